import type { MessageKey } from '@/lib/i18n/keys';
import { validationKey } from '@/lib/i18n/validation';

/**
 * A CSV problem in a form any language can say: a whole catalogue key and its ICU arguments. The
 * preflight (in the worker) attaches one to each issue beside its English `message`; the page's
 * table and the downloadable error report translate it (`describeIssue`).
 */
export interface CsvText {
  key: MessageKey;
  values?: Record<string, string | number>;
}

/** A translator as next-intl's `useTranslations()` / `createTranslator()` return it, loosely typed. */
export type CsvTranslate = (key: MessageKey, values?: Record<string, string | number>) => string;

/**
 * An issue's sentence in the translator's language: its own text, else a shared schema message's
 * translation (lib/i18n/validation.ts), else the English message as it is.
 */
export function describeIssue(issue: { message: string; text?: CsvText }, t: CsvTranslate): string {
  if (issue.text) return t(issue.text.key, issue.text.values);
  const key = validationKey(issue.message);
  return key ? t(key) : issue.message;
}

/** The namespaces the error report needs from the catalogue (handed to the worker with the request). */
export const reportNamespaces = ['batches', 'validation'] as const;
