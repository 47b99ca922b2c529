import type { MessageKey } from './keys';

/**
 * The shared zod schemas (lib/schemas) speak English, and so does the API that uses them. A person
 * sees their messages in their own language: each message maps to a catalogue key here, by its exact
 * English text, and the UI translates it where it shows it (`useValidationMessage`). A message with
 * no entry shows as it is. lib/i18n/validation.test.ts checks every schema message has an entry.
 */
export const validationKeys = {
  'Client ID is required.': 'validation.clientIdRequired',
  'Choose a client: a client ID is required.': 'validation.clientIdChoose',
  'Client ID must be the numeric client ID (digits only).': 'validation.clientIdDigits',
  'Client ID is too large to be an Authlete client ID.': 'validation.clientIdTooLarge',
  'A token hash is 43 characters of A-Z, a-z, 0-9, "-" and "_".': 'validation.tokenHash',
  'Grant type must be one of the Authlete grant types, e.g. AUTHORIZATION_CODE.': 'validation.grantType',
  'A scope name cannot be empty.': 'validation.scopeEmpty',
  'A scope name is at most 200 characters.': 'validation.scopeTooLong',
  'A scope name is printable ASCII without spaces, quotes or backslashes.': 'validation.scopeChars',
  'Subject cannot be empty.': 'validation.subjectEmpty',
  'Subject must be at most 100 characters (an Authlete limit).': 'validation.subjectTooLong',
  'Subject must contain only printable ASCII characters (an Authlete limit).': 'validation.subjectChars',
  'A property key cannot be empty.': 'validation.propertyKeyEmpty',
  'A property key is at most 100 characters.': 'validation.propertyKeyTooLong',
  'A property value is at most 1000 characters.': 'validation.propertyValueTooLong',
  'Give a reason; it is kept in the audit log.': 'validation.reasonRequired',
  'A reason is at most 500 characters.': 'validation.reasonTooLong',
  'Page must be a whole number.': 'validation.pageWhole',
  'Page starts at 1.': 'validation.pageMin',
  'Page is at most 100000; narrow the search instead.': 'validation.pageMax',
  'Status must be valid, expired or all.': 'validation.statusFilter',
  "Give the token's client (clientId) so it can be found before it is changed.": 'validation.actionHintClient',
  'Paste the token value as text.': 'validation.lookupText',
  'Paste a token value.': 'validation.lookupEmpty',
  'A token value is at most 2048 characters; check what was pasted.': 'validation.lookupTooLong',
  'A token value is printable ASCII without spaces; check what was pasted.': 'validation.lookupChars',
  'A token value cannot be empty.': 'validation.tokenValueEmpty',
  'A token value is at most 1024 characters.': 'validation.tokenValueTooLong',
  'A token value is printable ASCII without spaces.': 'validation.tokenValueChars',
  'Duration must be a number of seconds.': 'validation.durationNumber',
  'Duration must be a whole number of seconds.': 'validation.durationWhole',
  'Duration cannot be negative.': 'validation.durationNegative',
  'Duration is at most ten years (315360000 seconds).': 'validation.durationMax',
  'At most 100 scopes.': 'validation.scopesMax',
  'At most 50 properties.': 'validation.propertiesMax',
  'Subject is required unless the grant type is client credentials (no subject) or jwt bearer (optional).':
    'validation.subjectRequired',
  "A client credentials token has no subject (Authlete would ignore it): leave subject empty, or choose the grant type of a user's token.":
    'validation.subjectForbidden',
  'Expiry must be a date; use "never expires" instead of 0.': 'validation.expiryDate',
  'Refresh expiry must be a date.': 'validation.refreshExpiryDate',
  'Change at least one field.': 'validation.changeOne',
  'Choose either an expiry date or "never expires", not both.': 'validation.expiryOrNever',
  'Language must be en or ja.': 'validation.localeEnum',
  'Time zone must be an IANA time zone, e.g. Asia/Tokyo.': 'validation.timeZone',
} as const satisfies Record<string, MessageKey>;

export type ValidationKey = (typeof validationKeys)[keyof typeof validationKeys];

export function validationKey(message: string): ValidationKey | undefined {
  return Object.hasOwn(validationKeys, message) ? validationKeys[message as keyof typeof validationKeys] : undefined;
}
