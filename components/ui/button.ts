import { cx } from './cx';

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'ghost';

const variants: Record<ButtonVariant, string> = {
  primary:
    'border-transparent bg-indigo-600 text-white hover:bg-indigo-500 disabled:bg-indigo-600/50 dark:bg-indigo-500 dark:hover:bg-indigo-400',
  secondary:
    'border-zinc-300 bg-white text-zinc-800 hover:bg-zinc-50 disabled:text-zinc-400 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800 dark:disabled:text-zinc-500',
  danger:
    'border-transparent bg-red-600 text-white hover:bg-red-500 disabled:bg-red-600/50 dark:bg-red-600 dark:hover:bg-red-500',
  ghost:
    'border-transparent bg-transparent text-zinc-700 hover:bg-zinc-100 disabled:text-zinc-400 dark:text-zinc-300 dark:hover:bg-zinc-800',
};

/** Class names for a button or a link styled as one, so both look and focus the same. */
export function buttonClass(variant: ButtonVariant = 'secondary', size: 'sm' | 'md' = 'md', extra?: string): string {
  return cx(
    'inline-flex items-center justify-center gap-1.5 whitespace-nowrap rounded-md border font-medium shadow-xs transition-colors disabled:cursor-not-allowed',
    size === 'sm' ? 'h-7 px-2 text-xs' : 'h-8 px-3 text-sm',
    variants[variant],
    extra,
  );
}

/** Shared look of text inputs and selects. */
export const inputClass =
  'h-8 max-w-full rounded-md border border-zinc-300 bg-white px-2 text-sm text-zinc-900 placeholder:text-zinc-400 aria-[invalid=true]:border-red-500 disabled:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:placeholder:text-zinc-500 dark:disabled:bg-zinc-800';

/** A small caption stacked over its control, as in the filter bars. */
export const filterLabelClass =
  'flex max-w-full min-w-0 flex-col gap-1 text-xs font-medium text-zinc-600 dark:text-zinc-400';
