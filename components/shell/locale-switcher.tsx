'use client';

import { useRouter } from 'next/navigation';
import { useLocale, useTranslations } from 'next-intl';
import { useTransition } from 'react';
import { localeCookieName, localeNames, locales, type Locale } from '@/lib/i18n/locales';
import { cx } from '@/components/ui/cx';

/** One year: the choice is the person's until they change it (it outranks Accept-Language). */
const cookieMaxAge = 365 * 24 * 60 * 60;

/**
 * The language switcher in the header. The choice is saved in a cookie the server reads on every
 * request (server/i18n/request.ts); a refresh then re-renders the page in it without a full reload.
 */
export function LocaleSwitcher({ className }: { className?: string }) {
  const t = useTranslations();
  const locale = useLocale();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <select
      aria-label={t('shell.language')}
      title={t('shell.language')}
      value={locale}
      disabled={pending}
      onChange={(event) => {
        const next = event.target.value as Locale;
        const secure = window.location.protocol === 'https:' ? '; secure' : '';
        document.cookie = `${localeCookieName}=${next}; path=/; max-age=${cookieMaxAge}; samesite=lax${secure}`;
        startTransition(() => router.refresh());
      }}
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
