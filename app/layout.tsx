import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { getLocale, getTranslations } from 'next-intl/server';
import { Providers } from './providers';
import { RouteMessages } from '@/components/shell/route-messages';
import { themeBootScript } from '@/components/shell/theme-boot';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations();
  return {
    title: { default: t('common.appName'), template: t('common.titleTemplate') },
    description: t('common.appDescription'),
  };
}

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // proxy.ts gives each page a CSP nonce; the theme script must carry it to run.
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  return (
    <html lang={await getLocale()} suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeBootScript }} />
      </head>
      <body className="min-h-screen bg-white text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <RouteMessages>
          <Providers>{children}</Providers>
        </RouteMessages>
      </body>
    </html>
  );
}
