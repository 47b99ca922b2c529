'use client';

import { useTranslations } from 'next-intl';
import { setTheme, useTheme } from './theme';

export function ThemeToggle() {
  const t = useTranslations();
  const theme = useTheme();
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      onClick={() => setTheme(next)}
      aria-label={next === 'dark' ? t('shell.theme.toDark') : t('shell.theme.toLight')}
      title={next === 'dark' ? t('shell.theme.toDark') : t('shell.theme.toLight')}
      className="rounded-md p-1.5 text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-white"
    >
      {theme === 'dark' ? (
        <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4" fill="currentColor">
          <path d="M10 3a1 1 0 011 1v1a1 1 0 11-2 0V4a1 1 0 011-1zm0 11a4 4 0 100-8 4 4 0 000 8zm6-4a1 1 0 011-1h.5a1 1 0 110 2H17a1 1 0 01-1-1zM2.5 9H3a1 1 0 110 2h-.5a1 1 0 110-2zM10 15a1 1 0 011 1v.5a1 1 0 11-2 0V16a1 1 0 011-1zm5-9.6l.4-.4a1 1 0 111.4 1.4l-.4.4A1 1 0 0115 5.4zM3.2 15.4l.4-.4A1 1 0 015 16.4l-.4.4a1 1 0 01-1.4-1.4zm0-10.8a1 1 0 011.4 0l.4.4A1 1 0 013.6 6.4l-.4-.4a1 1 0 010-1.4zm11.8 11.8a1 1 0 011.4-1.4l.4.4a1 1 0 01-1.4 1.4z" />
        </svg>
      ) : (
        <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4" fill="currentColor">
          <path d="M7.5 2a.75.75 0 01.26.77 7 7 0 009.96 7.97.75.75 0 011.07.85A8.5 8.5 0 116.65 1.92a.75.75 0 01.85.08z" />
        </svg>
      )}
    </button>
  );
}
