import { z } from 'zod';

/** Largest value of a signed 64-bit integer: Authlete's clientId is a Java `long`. */
const MAX_INT64 = BigInt('9223372036854775807');

/**
 * A client id as Token Desk carries it: a decimal string, because the 64-bit integer on the
 * Authlete wire does not fit a JavaScript number above 2^53.
 */
export const clientIdSchema = z
  .string({ error: 'Client ID is required.' })
  .trim()
  // An empty value is a form with no client chosen: say that, and only that (the regex lets empty pass;
  // `abort` would also skip the object's own refinements, hiding the form's other messages).
  .min(1, 'Choose a client: a client ID is required.')
  .regex(/^(\d{1,19})?$/, 'Client ID must be the numeric client ID (digits only).')
  // Guarded: zod runs every check even after the regex has failed.
  .refine(
    (value) => !/^\d{1,19}$/.test(value) || BigInt(value) <= MAX_INT64,
    'Client ID is too large to be an Authlete client ID.',
  )
  // Canonical form: "007" and "7" are the same client; upstream and our URLs use the latter.
  .transform((value) => BigInt(value).toString());

/** Access or refresh token hash: 43-character base64url SHA-256 of the value. */
export const tokenHashSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, 'A token hash is 43 characters of A-Z, a-z, 0-9, "-" and "_".');

/** Milliseconds since the Unix epoch. */
export const timestampSchema = z.number().int().nonnegative();

/** The grant types Authlete accepts in a token create request (openapi `grant_type`). */
export const grantTypeSchema = z.enum(
  [
    'AUTHORIZATION_CODE',
    'IMPLICIT',
    'PASSWORD',
    'CLIENT_CREDENTIALS',
    'REFRESH_TOKEN',
    'CIBA',
    'DEVICE_CODE',
    'TOKEN_EXCHANGE',
    'JWT_BEARER',
    'PRE_AUTHORIZED_CODE',
  ],
  { error: 'Grant type must be one of the Authlete grant types, e.g. AUTHORIZATION_CODE.' },
);
export type GrantType = z.infer<typeof grantTypeSchema>;

/** RFC 6749 §3.3 scope-token: printable ASCII without space, `"` or `\`. */
export const scopeNameSchema = z
  .string()
  .min(1, 'A scope name cannot be empty.')
  .max(200, 'A scope name is at most 200 characters.')
  .regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'A scope name is printable ASCII without spaces, quotes or backslashes.');

/**
 * A user identifier (Authlete `subject`): ASCII, at most 100 characters (Authlete's own limit
 * on token create).
 */
export const subjectSchema = z
  .string()
  .trim()
  .min(1, 'Subject cannot be empty.')
  .max(100, 'Subject must be at most 100 characters (an Authlete limit).')
  .regex(/^[\x20-\x7E]+$/, 'Subject must contain only printable ASCII characters (an Authlete limit).');

/** Extra data attached to a token; `hidden` properties are not shown to client applications. */
export const tokenPropertySchema = z.strictObject({
  key: z.string().min(1, 'A property key cannot be empty.').max(100, 'A property key is at most 100 characters.'),
  value: z.string().max(1000, 'A property value is at most 1000 characters.'),
  hidden: z.boolean().default(false),
});
export type TokenProperty = z.infer<typeof tokenPropertySchema>;

/** Free-text justification recorded in the audit log (never sent upstream). */
export const reasonSchema = z
  .string()
  .trim()
  .min(1, 'Give a reason; it is kept in the audit log.')
  .max(500, 'A reason is at most 500 characters.');

/** An empty query value (`?subject=`) means "no filter". */
export const emptyToUndefined = (value: unknown) => (value === '' || value === null ? undefined : value);

/** `page` of a list query (a string from the URL): 1-based, 1 when absent. */
export const pageQuerySchema = z.preprocess(
  emptyToUndefined,
  z.coerce
    .number({ error: 'Page must be a whole number.' })
    .int('Page must be a whole number.')
    .min(1, 'Page starts at 1.')
    .max(100_000, 'Page is at most 100000; narrow the search instead.')
    .default(1),
);

/** `pageSize` of a list query (a string from the URL): one of `sizes`, `fallback` when absent. */
export function pageSizeQuerySchema<const Size extends number>(sizes: readonly Size[], fallback: NoInfer<Size>) {
  const message = `Page size must be ${sizes.slice(0, -1).join(', ')} or ${sizes.at(-1)}.`;
  return z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: message })
      .pipe(
        z.union(
          sizes.map((size) => z.literal(size)),
          { error: message },
        ),
      )
      .default(fallback),
  );
}
