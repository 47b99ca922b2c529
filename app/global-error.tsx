'use client';

import { useEffect } from 'react';
import { RenderError } from '@/components/ui/render-error';
import { themeStorageKey } from '@/components/shell/theme-boot';
import './globals.css';

/** The root layout itself failed, so this renders its own document; it re-applies the reader's theme. */
export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    let theme: string | null = null;
    try {
      theme = localStorage.getItem(themeStorageKey);
    } catch {
      // Storage may be refused (private window); fall back to the system preference.
    }
    const dark = theme === 'dark' || (theme !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches);
    document.documentElement.classList.toggle('dark', dark);
  }, []);
  return (
    <html lang="en">
      <body className="min-h-screen bg-white text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <title>Error · Token Desk</title>
        <RenderError error={error} retry={retry} />
      </body>
    </html>
  );
}
