import { z } from 'zod';
import { sha256Base64Url } from '@/lib/hash';
import type { Token, TokenCreated, TokenCreateInput, TokenProperty, TokenStatusFilter } from '@/lib/schemas';
import { AuthleteError } from './errors';
import { wireInteger } from './json';

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
      locked: z.boolean().nullish(),
    }),
  ),
});

/** openapi `client_flag_update_response`. */
export const wireClientFlagUpdateResponseSchema = wireResultSchema.extend({});

/** openapi `service`, only `supportedScopes`. */
export const wireServiceSchema = z.object({
  supportedScopes: nullableArray(
    z.object({
      name: z.string(),
      description: z.string().nullish(),
    }),
  ),
});

/** openapi `service_get_list_response`: only each service's id (`apiKey`) and name are read. */
export const wireServiceListResponseSchema = z.object({
  totalCount: z.number().int().nullish(),
  services: nullableArray(z.object({ apiKey: wireInt64, serviceName: z.string().nullish() })),
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

/* Mapping between the wire format and Token Desk's own types (lib/schemas). */

/** `tokenStatus` of the list API (sent by Authlete's own Java client; not in the OpenAPI file). */
export const upstreamTokenStatus: Record<TokenStatusFilter, string> = {
  valid: 'VALID',
  expired: 'INVALID',
  all: 'ALL',
};

/** Expiry at or beyond 9999-12-31 is Authlete's "never" (a persistent token); Token Desk says 0. */
const NEVER_THRESHOLD_MS = 253_402_300_800_000;
export const normaliseExpiry = (value: number | null | undefined) =>
  value === null || value === undefined || value >= NEVER_THRESHOLD_MS ? 0 : value;

/** Token properties with Authlete's absent `value`/`hidden` spelt out. */
export function toTokenProperties(wire: WireProperty[] | null | undefined): TokenProperty[] {
  return (wire ?? []).map(({ key, value, hidden }) => ({ key, value: value ?? '', hidden: hidden ?? false }));
}

/** ms since epoch from a wire integer (a far-future "never" becomes the nearest number). */
const toTimestamp = (value: number | string | null | undefined) =>
  value === null || value === undefined ? 0 : Number(value);

export function toToken(wire: WireAccessToken): Token {
  return {
    accessTokenHash: wire.accessTokenHash,
    ...(wire.refreshTokenHash ? { refreshTokenHash: wire.refreshTokenHash } : {}),
    clientId: String(wire.clientId),
    ...(wire.subject ? { subject: wire.subject } : {}),
    grantType: wire.grantType ?? 'UNKNOWN',
    scopes: wire.scopes ?? [],
    createdAt: toTimestamp(wire.createdAt),
    accessTokenExpiresAt: normaliseExpiry(toTimestamp(wire.accessTokenExpiresAt)),
    refreshTokenExpiresAt: normaliseExpiry(toTimestamp(wire.refreshTokenExpiresAt)),
    lastRefreshedAt: toTimestamp(wire.lastRefreshedAt),
    properties: toTokenProperties(wire.properties),
    ...(wire.refreshTokenScopes ? { refreshTokenScopes: wire.refreshTokenScopes } : {}),
  };
}

/** A token create request as Authlete takes it, alone or as one row of a batch. */
export function wireTokenCreateRequest(input: TokenCreateInput) {
  return {
    grantType: input.grantType,
    clientId: wireInteger(input.clientId),
    subject: input.subject,
    scopes: input.scopes,
    accessTokenDuration: input.accessTokenDuration,
    refreshTokenDuration: input.refreshTokenDuration,
    accessTokenPersistent: input.accessTokenPersistent,
    properties: input.properties,
    accessToken: input.accessToken,
    refreshToken: input.refreshToken,
  };
}

/** A create's answer as Token Desk keeps it: the values (shown once) and the token by its hashes. */
export async function toTokenCreated(
  wire: z.output<typeof wireTokenCreateResponseSchema>,
  input: TokenCreateInput,
): Promise<TokenCreated> {
  if (!wire.accessToken) {
    throw new AuthleteError('bad_upstream_response', 'Authlete reported success but returned no access token.', {
      operation: 'token.create',
    });
  }
  return {
    accessToken: wire.accessToken,
    ...(wire.refreshToken ? { refreshToken: wire.refreshToken } : {}),
    ...(wire.tokenType ? { tokenType: wire.tokenType } : {}),
    ...(wire.expiresIn !== null && wire.expiresIn !== undefined ? { expiresIn: wire.expiresIn } : {}),
    token: {
      accessTokenHash: await sha256Base64Url(wire.accessToken),
      ...(wire.refreshToken ? { refreshTokenHash: await sha256Base64Url(wire.refreshToken) } : {}),
      clientId: wire.clientId ?? input.clientId,
      ...((wire.subject ?? input.subject) ? { subject: (wire.subject ?? input.subject) as string } : {}),
      grantType: wire.grantType ?? input.grantType,
      scopes: wire.scopes,
      accessTokenExpiresAt: normaliseExpiry(wire.expiresAt),
      properties: toTokenProperties(wire.properties),
      ...(wire.refreshTokenScopes ? { refreshTokenScopes: wire.refreshTokenScopes } : {}),
    },
  };
}
