import { z } from 'zod';
import { grantTypeLabel } from '@/lib/format';
import {
  clientIdSchema,
  emptyToUndefined,
  grantTypeSchema,
  pageQuerySchema,
  pageSizeQuerySchema,
  reasonSchema,
  scopeNameSchema,
  subjectSchema,
  timestampSchema,
  tokenHashSchema,
  tokenPropertySchema,
} from './common';

/** A token as Token Desk's API returns it. Values never appear, only hashes. */
export const tokenSchema = z.object({
  accessTokenHash: tokenHashSchema,
  refreshTokenHash: z.string().optional(),
  /** Decimal string; see `clientIdSchema`. */
  clientId: z.string(),
  /** Absent for CLIENT_CREDENTIALS tokens. */
  subject: z.string().optional(),
  /** Usually one of `grantTypeSchema`; kept open so a grant type Authlete adds later still lists. */
  grantType: z.string(),
  scopes: z.array(z.string()),
  createdAt: timestampSchema,
  /** 0 means the access token never expires (persistent). */
  accessTokenExpiresAt: timestampSchema,
  /** 0 means there is no refresh token. */
  refreshTokenExpiresAt: timestampSchema,
  /** 0 means never refreshed. */
  lastRefreshedAt: timestampSchema,
  properties: z.array(z.object({ key: z.string(), value: z.string(), hidden: z.boolean() })),
  refreshTokenScopes: z.array(z.string()).optional(),
});
export type Token = z.infer<typeof tokenSchema>;

export const tokenStatusFilterSchema = z.enum(['valid', 'expired', 'all'], {
  error: 'Status must be valid, expired or all.',
});
export type TokenStatusFilter = z.infer<typeof tokenStatusFilterSchema>;

export const PAGE_SIZES = [10, 20, 50, 100] as const;
export type PageSize = (typeof PAGE_SIZES)[number];

/** Query of `GET /api/tokens` (values arrive as strings from the URL). */
export const tokenListQuerySchema = z.object({
  subject: z.preprocess(emptyToUndefined, subjectSchema.optional()),
  clientId: z.preprocess(emptyToUndefined, clientIdSchema.optional()),
  status: z.preprocess(emptyToUndefined, tokenStatusFilterSchema.default('valid')),
  page: pageQuerySchema,
  pageSize: pageSizeQuerySchema(PAGE_SIZES, 20),
});
export type TokenListQueryInput = z.input<typeof tokenListQuerySchema>;

export const tokenListResponseSchema = z.object({
  tokens: z.array(tokenSchema),
  totalCount: z.number().int().nonnegative(),
  page: z.number().int().positive(),
  pageSize: z.number().int().positive(),
});
export type TokenListResponse = z.infer<typeof tokenListResponseSchema>;

/** `GET /api/tokens/{hash}`: the token, and what was searched to find it ("all 3 tokens of subject ana (1 page)"). */
export const tokenResponseSchema = z.object({ token: tokenSchema, searched: z.string().optional() });
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

const optionalHint = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/**
 * Query of `GET`/`PATCH /api/tokens/{hash}`: Authlete cannot fetch a token by hash, so the server
 * scans the list of the tokens of this subject and/or client (one of them is required).
 */
export const tokenHintSchema = z.object({
  subject: optionalHint(subjectSchema),
  clientId: optionalHint(clientIdSchema),
});
export type TokenHint = z.infer<typeof tokenHintSchema>;

/**
 * Query of revoke and delete: the token is looked up before it is changed, so its audit entry
 * names its subject and client. The client is required; the subject too, unless the token has
 * none (client credentials), when the client's newest tokens are searched.
 */
export const tokenActionHintSchema = z.object({
  subject: optionalHint(subjectSchema),
  clientId: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string({ error: "Give the token's client (clientId) so it can be found before it is changed." })
      .pipe(clientIdSchema),
  ),
});

/** Body of `POST /api/tokens/lookup`: a token value someone pasted. Error messages never repeat it. */
export const tokenLookupRequestSchema = z.strictObject({
  token: z
    .string({ error: 'Paste the token value as text.' })
    .trim()
    .min(1, 'Paste a token value.')
    .max(2048, 'A token value is at most 2048 characters; check what was pasted.')
    .regex(/^[\x21-\x7E]+$/, 'A token value is printable ASCII without spaces; check what was pasted.'),
});

/**
 * Answer of `POST /api/tokens/lookup`. `expired`: Authlete reported the token expired and, by
 * introspecting it, deleted it. `complete` is false when the token's full record was not among the
 * tokens searched: the fields then come from introspection alone.
 */
export const tokenLookupResponseSchema = z.object({
  state: z.enum(['active', 'expired']),
  token: tokenSchema,
  complete: z.boolean(),
  searched: z.string().optional(),
});
export type TokenLookupResponse = z.infer<typeof tokenLookupResponseSchema>;

/** A token value supplied on create (migration from another system). */
const tokenValueSchema = z
  .string()
  .min(1, 'A token value cannot be empty.')
  .max(1024, 'A token value is at most 1024 characters.')
  .regex(/^[\x21-\x7E]+$/, 'A token value is printable ASCII without spaces.');

/** Seconds; 0 lets the service settings decide. At most ten years. */
const durationSchema = z
  .number({ error: 'Duration must be a number of seconds.' })
  .int('Duration must be a whole number of seconds.')
  .min(0, 'Duration cannot be negative.')
  .max(315_360_000, 'Duration is at most ten years (315360000 seconds).');

/** Fields of a token create request, without the cross-field rule (usable by forms). */
export const tokenCreateFieldsSchema = z.strictObject({
  grantType: grantTypeSchema,
  clientId: clientIdSchema,
  subject: subjectSchema.optional(),
  scopes: z.array(scopeNameSchema).max(100, 'At most 100 scopes.').default([]),
  /** Seconds; 0 or absent = the service's default. */
  accessTokenDuration: durationSchema.optional(),
  refreshTokenDuration: durationSchema.optional(),
  /** True = the access token never expires. */
  accessTokenPersistent: z.boolean().optional(),
  properties: z.array(tokenPropertySchema).max(50, 'At most 50 properties.').optional(),
  /** Only for migrations: the existing value to keep. Never logged or audited. */
  accessToken: tokenValueSchema.optional(),
  refreshToken: tokenValueSchema.optional(),
});

/**
 * Whether a token of a grant type takes a subject, as Authlete documents and the emulator does:
 * none for client credentials (the token is the client's; Authlete ignores a subject), optional
 * for JWT bearer (the assertion may have none), required otherwise. The form, the CSV preflight
 * and the API all follow it through `tokenCreateInputSchema`.
 */
export type SubjectRule = 'none' | 'optional' | 'required';
export function subjectRule(grantType: string | undefined): SubjectRule {
  if (grantType === 'CLIENT_CREDENTIALS') return 'none';
  if (grantType === 'JWT_BEARER') return 'optional';
  return 'required';
}

/** Body of `POST /api/tokens`; also one row of a batch. */
export const tokenCreateInputSchema = tokenCreateFieldsSchema.superRefine((input, ctx) => {
  const rule = subjectRule(input.grantType);
  if (rule === 'required' && input.subject === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['subject'],
      // Named as the form shows them ("client credentials"), not by their wire constants.
      message: `Subject is required unless the grant type is ${grantTypeLabel('CLIENT_CREDENTIALS')} (no subject) or ${grantTypeLabel('JWT_BEARER')} (optional).`,
    });
  }
  // Refused rather than dropped: Authlete would ignore it, and a token someone meant for a user
  // would silently belong to no one (a CSV column shifted, or the wrong grant type chosen).
  if (rule === 'none' && input.subject !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['subject'],
      message: `A ${grantTypeLabel('CLIENT_CREDENTIALS')} token has no subject (Authlete would ignore it): leave subject empty, or choose the grant type of a user's token.`,
    });
  }
});
export type TokenCreateInput = z.infer<typeof tokenCreateInputSchema>;
export type TokenCreateFormValues = z.input<typeof tokenCreateInputSchema>;

/** Response of `POST /api/tokens`: the values are shown this once and never stored. */
export const tokenCreatedSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string().optional(),
  tokenType: z.string().optional(),
  /** Seconds until the access token expires, as Authlete reported it. */
  expiresIn: z.number().int().optional(),
  token: z.object({
    accessTokenHash: tokenHashSchema,
    refreshTokenHash: tokenHashSchema.optional(),
    clientId: z.string(),
    subject: z.string().optional(),
    grantType: z.string(),
    scopes: z.array(z.string()),
    /** 0 means never expires. */
    accessTokenExpiresAt: timestampSchema,
    properties: z.array(z.object({ key: z.string(), value: z.string(), hidden: z.boolean() })),
    refreshTokenScopes: z.array(z.string()).optional(),
  }),
});
export type TokenCreated = z.infer<typeof tokenCreatedSchema>;

/** Body of `PATCH /api/tokens/{hash}`; every field optional, at least one present. */
export const tokenUpdateInputSchema = z
  .strictObject({
    scopes: z.array(scopeNameSchema).max(100, 'At most 100 scopes.').optional(),
    /** New expiry (ms since epoch). Use `accessTokenPersistent: true` for "never". */
    accessTokenExpiresAt: timestampSchema.min(1, 'Expiry must be a date; use "never expires" instead of 0.').optional(),
    accessTokenPersistent: z.boolean().optional(),
    properties: z.array(tokenPropertySchema).max(50, 'At most 50 properties.').optional(),
    refreshTokenExpiresAt: timestampSchema.min(1, 'Refresh expiry must be a date.').optional(),
  })
  .superRefine((input, ctx) => {
    if (Object.values(input).every((value) => value === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'Change at least one field.' });
    }
    if (input.accessTokenPersistent === true && input.accessTokenExpiresAt !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['accessTokenExpiresAt'],
        message: 'Choose either an expiry date or "never expires", not both.',
      });
    }
  });
export type TokenUpdateInput = z.infer<typeof tokenUpdateInputSchema>;

/**
 * Answer of `PATCH /api/tokens/{hash}`: the token as Authlete left it, and the requested scopes
 * Authlete dropped silently (not supported by the service, or not requestable by the client).
 */
export const tokenUpdateResponseSchema = z.object({ token: tokenSchema, droppedScopes: z.array(z.string()) });
export type TokenUpdateResponse = z.infer<typeof tokenUpdateResponseSchema>;

/** The requested scopes missing from what Authlete kept, in the order they were requested. */
export function droppedScopes(requested: readonly string[] | undefined, kept: readonly string[]): string[] {
  if (!requested) return [];
  const keptSet = new Set(kept);
  return [...new Set(requested)].filter((scope) => !keptSet.has(scope));
}

/**
 * Body of `POST /api/tokens/{hash}/revoke` and of `DELETE /api/tokens/{hash}`: an optional reason,
 * kept in the audit log.
 */
export const reasonRequestSchema = z.strictObject({ reason: reasonSchema.optional() });
export type RevokeRequest = z.infer<typeof reasonRequestSchema>;
export type DeleteRequest = RevokeRequest;

/**
 * Body of `POST /api/tokens/{hash}/rotate`: replacing a value breaks the app that holds it, so a
 * reason is required, like revoking everything of a user.
 */
export const rotateRequestSchema = z.strictObject({ reason: reasonSchema });
export type RotateRequest = z.infer<typeof rotateRequestSchema>;

/**
 * Answer of `POST /api/tokens/{hash}/rotate`: the new value, shown this once and never stored or
 * logged, and the token under its new hash (the old hash no longer exists).
 */
export const tokenRotatedSchema = z.object({
  accessToken: z.string(),
  previousHash: tokenHashSchema,
  token: tokenSchema,
});
export type TokenRotated = z.infer<typeof tokenRotatedSchema>;

/** Body of `POST /api/revocations`: every token of one user, optionally only for one client. */
export const revokeAllRequestSchema = z.strictObject({
  subject: subjectSchema,
  clientId: clientIdSchema.optional(),
  reason: reasonSchema,
});
export type RevokeAllRequest = z.infer<typeof revokeAllRequestSchema>;

export const revokeResultSchema = z.object({ count: z.number().int().nonnegative() });
export type RevokeResult = z.infer<typeof revokeResultSchema>;
