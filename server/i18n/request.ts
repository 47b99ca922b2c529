import { cookies, headers } from 'next/headers';
import { getRequestConfig } from 'next-intl/server';
import { localeCookieName, type Locale } from '@/lib/i18n/locales';
import { resolveLocale } from './locale';

/** The catalogue of each language, loaded only for the language a request needs. */
const catalogues = {
  en: () => import('@/messages/en.json'),
  ja: () => import('@/messages/ja.json'),
} satisfies Record<Locale, () => Promise<{ default: unknown }>>;

/**
 * next-intl's per-request configuration (no locale in the URL): the saved choice, else
 * Accept-Language. Pages hand the browser only the namespaces they use (components/shell/route-messages.tsx).
 * The time zone is the server's fallback only: times are formatted in the browser, in the person's zone.
 */
export default getRequestConfig(async () => {
  const locale = resolveLocale(
    (await cookies()).get(localeCookieName)?.value,
    (await headers()).get('accept-language'),
  );
  return { locale, messages: (await catalogues[locale]()).default, timeZone: 'UTC' };
});
