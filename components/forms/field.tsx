import { useTranslations } from 'next-intl';
import { validationKey } from '@/lib/i18n/validation';
import { cx } from '@/components/ui/cx';

interface FieldProps {
  label: string;
  /** id of the control, so the label, hint and error attach to it. */
  htmlFor: string;
  hint?: React.ReactNode;
  error?: string;
  required?: boolean;
  /** Label a group of controls (role=group) instead of one control. */
  group?: boolean;
  children: React.ReactNode;
  className?: string;
}

/**
 * Label, control, hint and error in one column. Controls should set
 * `aria-describedby={describedBy(id, …)}` and `aria-invalid` themselves.
 */
export function Field({ label, htmlFor, hint, error, required, group = false, children, className }: FieldProps) {
  const translate = useValidationMessage();
  const labelContent = (
    <>
      {label}
      {required && (
        <span className="ml-0.5 text-red-600 dark:text-red-400" aria-hidden="true">
          *
        </span>
      )}
    </>
  );
  return (
    // A composite control (several inputs and buttons) is a named group, not one labelled input.
    <div
      {...(group ? { role: 'group', 'aria-labelledby': `${htmlFor}-label` } : {})}
      className={cx('flex min-w-0 flex-col gap-1', className)}
    >
      {group ? (
        <span id={`${htmlFor}-label`} className="text-sm font-medium">
          {labelContent}
        </span>
      ) : (
        <label htmlFor={htmlFor} className="text-sm font-medium">
          {labelContent}
        </label>
      )}
      {children}
      {hint && (
        <p id={`${htmlFor}-hint`} className="text-xs text-zinc-500 dark:text-zinc-400">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${htmlFor}-error`} className="text-xs font-medium text-red-700 dark:text-red-400">
          {translate(error)}
        </p>
      )}
    </div>
  );
}

/**
 * Shows a shared schema's (English) message in the person's language; see lib/i18n/validation.ts.
 * A message without a catalogue entry shows as it is.
 */
export function useValidationMessage(): (message: string | undefined) => string | undefined {
  const t = useTranslations();
  return (message) => {
    const key = message === undefined ? undefined : validationKey(message);
    return key ? t(key) : message;
  };
}

/** The ids a control should list in aria-describedby, given what the Field shows. */
export function describedBy(id: string, { hint, error }: { hint?: unknown; error?: unknown }): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}
