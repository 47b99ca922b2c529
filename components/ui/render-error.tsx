'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useEffect } from 'react';
import { themeStorageKey } from '@/components/shell/theme-boot';
import { errorDigest } from '@/lib/error-digest';
import { buttonClass } from './button';

/**
 * When server rendering fails, Next renders the page in the browser instead, where the root layout's
 * inline theme script does not run: re-apply the stored theme.
 */
function applyStoredTheme(): void {
  let theme: string | null = null;
  try {
    theme = localStorage.getItem(themeStorageKey);
  } catch {
    // Storage may be refused (private window); fall back to the system preference.
  }
  const dark = theme === 'dark' || (theme !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.classList.toggle('dark', dark);
}

/** The page-level fallback of app/error.tsx: what happened, the digest, a retry. (No custom global-error: the root layout is trivial, and its chunk would load on every page; Next's default covers it.) */
export function RenderError({ error, retry }: { error: unknown; retry: () => void }) {
  const t = useTranslations();
  const digest = errorDigest(error);
  useEffect(applyStoredTheme, []);
  return (
    <main className="mx-auto flex min-h-[60vh] max-w-lg flex-col justify-center px-6 py-12">
      <div
        role="alert"
        aria-labelledby="render-error-title"
        className="rounded-md border border-red-200 bg-red-50 p-6 text-sm text-red-900 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-100"
      >
        <h1 id="render-error-title" className="text-base font-semibold">
          {t('errors.page.title')}
        </h1>
        <p className="mt-2">{t('errors.page.body')}</p>
        {digest && (
          <p className="mt-2 text-xs text-red-800/80 dark:text-red-200/80">
            {t('errors.page.errorId')} <code className="font-mono select-all">{digest}</code>
          </p>
        )}
        <div className="mt-4 flex flex-wrap gap-2">
          <button type="button" className={buttonClass('primary', 'sm')} onClick={retry}>
            {t('common.tryAgain')}
          </button>
          <Link href="/" className={buttonClass('secondary', 'sm')}>
            {t('errors.page.home')}
          </Link>
        </div>
      </div>
    </main>
  );
}
