import { z } from 'zod';

/**
 * Authlete's wire format, written from its OpenAPI description. Lenient where Authlete is
 * (fields may be absent or null), strict where Token Desk relies on a value.
 */

/**
 * A 64-bit integer as `parseUpstreamJson` hands it over: a number, or the exact decimal string of
 * one beyond 2^53.
 */
const wireIntegerSchema = z.union([z.number().int(), z.string().regex(/^-?\d+$/)]);

/** A 64-bit integer as a decimal string. */
export const wireInt64 = wireIntegerSchema.transform((value) => value.toString());

/** ms since epoch; a far-future value (e.g. Long.MAX_VALUE for "never") becomes the nearest number. */
export const wireTimestamp = wireIntegerSchema.transform((value) => Number(value));

const nullableArray = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((value) => value ?? []);

export const wireResultSchema = z.object({
  resultCode: z.union([z.string(), z.number()]).nullish(),
  resultMessage: z.string().nullish(),
});

/** openapi `pair` (a token property); absent `value`/`hidden` mean '' and false (see `toTokenProperties`). */
export const wirePropertySchema = z.object({
  key: z.string(),
  value: z.string().nullish(),
  hidden: z.boolean().nullish(),
});
export type WireProperty = z.infer<typeof wirePropertySchema>;

/**
 * openapi `access_token` (one entry of a token list). Validation only, no transforms: a page holds
 * up to 20 of these on every list call, and zod's transforms cost several times its checks, so the
 * conversion to Token Desk's shape is done once in `toToken`.
 */
export const wireAccessTokenSchema = z.object({
  accessTokenHash: z.string(),
  accessTokenExpiresAt: wireIntegerSchema.nullish(),
  refreshTokenHash: z.string().nullish(),
  refreshTokenExpiresAt: wireIntegerSchema.nullish(),
  createdAt: wireIntegerSchema.nullish(),
  lastRefreshedAt: wireIntegerSchema.nullish(),
  clientId: wireIntegerSchema,
  subject: z.string().nullish(),
  grantType: z.string().nullish(),
  scopes: z.array(z.string()).nullish(),
  properties: z.array(wirePropertySchema).nullish(),
  refreshTokenScopes: z.array(z.string()).nullish(),
});
export type WireAccessToken = z.infer<typeof wireAccessTokenSchema>;

/** openapi `token_get_list_response`. */
export const wireTokenListResponseSchema = z.object({
  start: z.number().int().nullish(),
  end: z.number().int().nullish(),
  totalCount: z.number().int().nonnegative(),
  subject: z.string().nullish(),
  accessTokens: z.array(wireAccessTokenSchema).nullish(),
});

/** `action` of create/update responses: anything but OK is a failure even with HTTP 200. */
const wireActionSchema = z.string().nullish();

/** openapi `token_create_response`. */
export const wireTokenCreateResponseSchema = wireResultSchema.extend({
  action: wireActionSchema,
  accessToken: z.string().nullish(),
  clientId: wireInt64.nullish(),
  expiresAt: wireTimestamp.nullish(),
  expiresIn: wireTimestamp.nullish(),
  grantType: z.string().nullish(),
  properties: nullableArray(wirePropertySchema),
  refreshToken: z.string().nullish(),
  scopes: nullableArray(z.string()),
  subject: z.string().nullish(),
  tokenType: z.string().nullish(),
  refreshTokenScopes: z.array(z.string()).nullish(),
});

/** openapi `token_update_response`. */
export const wireTokenUpdateResponseSchema = wireResultSchema.extend({
  action: wireActionSchema,
  /** The new value after `accessTokenValueUpdated: true` (only in that answer). */
  accessToken: z.string().nullish(),
  accessTokenExpiresAt: wireTimestamp.nullish(),
  properties: z.array(wirePropertySchema).nullish(),
  scopes: z.array(z.string()).nullish(),
  refreshTokenExpiresAt: wireTimestamp.nullish(),
});

/** openapi `token_revoke_response`. */
export const wireTokenRevokeResponseSchema = wireResultSchema.extend({
  count: z.number().int().nonnegative(),
});

/** openapi `token_create_batch_response`. */
export const wireTokenBatchCreateResponseSchema = wireResultSchema.extend({
  requestId: z.string().min(1),
});

/** openapi `token_create_batch_status_response` / `token_batch_status`. */
export const wireTokenBatchStatusResponseSchema = wireResultSchema.extend({
  status: z.object({
    batchKind: z.string().nullish(),
    requestId: z.string().nullish(),
    result: z.string().nullish(),
    errorCode: z.string().nullish(),
    errorDescription: z.string().nullish(),
    tokenCount: wireTimestamp.nullish(),
    createdAt: wireTimestamp.nullish(),
    modifiedAt: wireTimestamp.nullish(),
  }),
});

/** openapi `client_get_list_response`, only the fields Token Desk shows. */
export const wireClientListResponseSchema = z.object({
  start: z.number().int().nullish(),
  end: z.number().int().nullish(),
  totalCount: z.number().int().nonnegative(),
  clients: nullableArray(
    z.object({
      clientId: wireInt64,
      clientIdAlias: z.string().nullish(),
      clientName: z.string().nullish(),
    }),
  ),
});

/** openapi `service`, only `supportedScopes`. */
export const wireServiceSchema = z.object({
  supportedScopes: nullableArray(
    z.object({
      name: z.string(),
      description: z.string().nullish(),
    }),
  ),
});

/**
 * openapi `introspection_response`, the fields Token Desk reads. Its `action` describes the token
 * (OK, UNAUTHORIZED = unknown or expired, ...), not the call, so it is read here, not as a failure.
 */
export const wireIntrospectionResponseSchema = wireResultSchema.extend({
  action: z.enum(['OK', 'BAD_REQUEST', 'UNAUTHORIZED', 'FORBIDDEN', 'INTERNAL_SERVER_ERROR']),
  clientId: wireInt64.nullish(),
  subject: z.string().nullish(),
  scopes: z.array(z.string()).nullish(),
  expiresAt: wireTimestamp.nullish(),
  existent: z.boolean().nullish(),
  usable: z.boolean().nullish(),
  grantType: z.string().nullish(),
  properties: z.array(wirePropertySchema).nullish(),
});
