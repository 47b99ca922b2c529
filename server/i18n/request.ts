import { cookies, headers } from 'next/headers';
import { getRequestConfig } from 'next-intl/server';
import { localeCookieName, type Locale } from '@/lib/i18n/locales';
import { preferencesOfRequest } from '@/server/auth/preferences';
import { resolveLocale } from './locale';

/** The catalogue of each language, loaded only for the language a request needs. */
const catalogues = {
  en: () => import('@/messages/en.json'),
  ja: () => import('@/messages/ja.json'),
} satisfies Record<Locale, () => Promise<{ default: unknown }>>;

/**
 * next-intl's per-request configuration (no locale in the URL): the language saved on the signed-in
 * person's account (so it follows them to any device), else the switcher's cookie, else
 * Accept-Language. Pages hand the browser only the namespaces they use (components/shell/route-messages.tsx).
 * The time zone is the one saved on the account, else UTC as the server's fallback: without a saved
 * zone, times are formatted in the browser, in the browser's zone (components/ui/time.tsx).
 */
export default getRequestConfig(async () => {
  const preferences = await preferencesOfRequest();
  const locale = resolveLocale(
    preferences?.locale ?? (await cookies()).get(localeCookieName)?.value,
    (await headers()).get('accept-language'),
  );
  return { locale, messages: (await catalogues[locale]()).default, timeZone: preferences?.timeZone ?? 'UTC' };
});
