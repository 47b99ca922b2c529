import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { Providers } from './providers';
import { themeBootScript } from '@/components/shell/theme-boot';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Token Desk', template: '%s · Token Desk' },
  description: 'Find, issue, edit and revoke Authlete access tokens.',
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // proxy.ts gives each page a CSP nonce; the theme script must carry it to run.
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeBootScript }} />
      </head>
      <body className="min-h-screen bg-white text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
