'use client';

import { RenderError } from '@/components/ui/render-error';
import './globals.css';

/** The root layout itself failed, so this renders its own document (RenderError re-applies the theme). */
export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-white text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <title>Error · Token Desk</title>
        <RenderError error={error} retry={retry} />
      </body>
    </html>
  );
}
