import { match } from '@formatjs/intl-localematcher';
import Negotiator from 'negotiator';
import { defaultLocale, isLocale, locales, type Locale } from '@/lib/i18n/locales';

/**
 * The language of a request: the person's saved choice (the switcher's cookie) when it names one we
 * speak, else the best match for the browser's `Accept-Language` ("ja-JP" → ja), else English.
 */
export function resolveLocale(saved: string | undefined, acceptLanguage: string | null | undefined): Locale {
  if (isLocale(saved)) return saved;
  const requested = new Negotiator({ headers: { 'accept-language': acceptLanguage ?? '' } }).languages();
  try {
    const matched = match(requested, locales, defaultLocale);
    return isLocale(matched) ? matched : defaultLocale;
  } catch {
    // A malformed language tag in the header: fall back rather than fail the page.
    return defaultLocale;
  }
}
