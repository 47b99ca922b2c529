/** The languages Token Desk speaks; shared by the server's negotiation and the header's switcher. */
export const locales = ['en', 'ja'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'en';

/** Cookie holding the language a person chose with the switcher (next-intl's own name for it). */
export const localeCookieName = 'NEXT_LOCALE';

/** Each language named in itself, as a switcher lists them. */
export const localeNames: Record<Locale, string> = { en: 'English', ja: '日本語' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}
