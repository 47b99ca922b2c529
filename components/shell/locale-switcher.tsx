'use client';

import { useLocale, useTranslations } from 'next-intl';
import { localeNames, locales, type Locale } from '@/lib/i18n/locales';
import { useSaveLocale } from '@/components/data/session';
import { cx } from '@/components/ui/cx';

/**
 * The language switcher in the header. The choice is saved on the person's account (so every device
 * they sign in on follows it) and in this browser's cookie; the page then renders again in it
 * without a full reload.
 */
export function LocaleSwitcher({ className }: { className?: string }) {
  const t = useTranslations();
  const locale = useLocale();
  const save = useSaveLocale();
  return (
    <select
      aria-label={t('shell.language')}
      title={t('shell.language')}
      value={save.isPending && save.variables ? save.variables : locale}
      disabled={save.isPending}
      onChange={(event) => save.mutate(event.target.value as Locale)}
      className={cx(
        'h-7 rounded-md border border-zinc-300 bg-white px-1 text-xs text-zinc-700 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200',
        className,
      )}
    >
      {locales.map((value) => (
        <option key={value} value={value} lang={value}>
          {localeNames[value]}
        </option>
      ))}
    </select>
  );
}
