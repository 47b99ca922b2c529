import type { Locale } from '@/lib/i18n/locales';
import type messages from '@/messages/en.json';

// Typed keys: `t('tokens.title')` with a key missing from the English catalogue fails type-checking.
declare module 'next-intl' {
  interface AppConfig {
    Locale: Locale;
    Messages: typeof messages;
  }
}
