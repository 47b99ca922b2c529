import { z } from 'zod';
import { clientIdSchema, subjectSchema, tokenHashSchema, tokenUpdateInputSchema, type Token } from '@/lib/schemas';
import { getAuthleteClient } from '@/server/authlete';
import { json, noContent, route } from '@/server/http/route';

const paramsSchema = z.object({ hash: tokenHashSchema });

/**
 * Authlete cannot fetch a token by hash, so the server scans the list; `subject` and `clientId`
 * narrow that scan (the UI passes the ones it knows).
 */
const narrowSchema = z.object({
  subject: z.preprocess((v) => (v === '' ? undefined : v), subjectSchema.optional()),
  clientId: z.preprocess((v) => (v === '' ? undefined : v), clientIdSchema.optional()),
});

export const GET = route({
  path: '/api/tokens/[hash]',
  permission: 'tokens:read',
  params: paramsSchema,
  query: narrowSchema,
  handler: async ({ params, query }) => json({ token: await getAuthleteClient().findToken(params.hash, query) }),
});

/** Changes scopes, expiry ("never" = persistent) or properties; the audit keeps before and after. */
export const PATCH = route({
  path: '/api/tokens/[hash]',
  permission: 'tokens:write',
  audit: 'token.update',
  params: paramsSchema,
  query: narrowSchema,
  body: tokenUpdateInputSchema,
  handler: async ({ params, query, body, audit }) => {
    audit.target = { tokenHash: params.hash, subject: query.subject ?? null, clientId: query.clientId ?? null };
    const client = getAuthleteClient();
    const before = await client.findToken(params.hash, query);
    audit.target = { tokenHash: params.hash, subject: before.subject ?? null, clientId: before.clientId };
    audit.before = auditView(before);
    const result = await client.updateToken(params.hash, body);
    const after: Token = {
      ...before,
      scopes: result.scopes ?? body.scopes ?? before.scopes,
      accessTokenExpiresAt: result.accessTokenExpiresAt ?? (body.accessTokenPersistent ? 0 : (body.accessTokenExpiresAt ?? before.accessTokenExpiresAt)),
      refreshTokenExpiresAt: result.refreshTokenExpiresAt ?? before.refreshTokenExpiresAt,
      // Authlete omits properties from its answer when there are none left.
      properties: result.properties ?? body.properties ?? before.properties,
    };
    audit.after = auditView(after);
    return json({ token: after });
  },
});

/** Deletes the token outright (no revocation notice to anyone). */
export const DELETE = route({
  path: '/api/tokens/[hash]',
  permission: 'tokens:write',
  audit: 'token.delete',
  params: paramsSchema,
  handler: async ({ params, audit }) => {
    audit.target = { tokenHash: params.hash };
    await getAuthleteClient().deleteToken(params.hash);
    return noContent();
  },
});

/** What an update may change, for the audit's before/after. */
function auditView(token: Token): Record<string, unknown> {
  return {
    scopes: token.scopes,
    accessTokenExpiresAt: token.accessTokenExpiresAt,
    refreshTokenExpiresAt: token.refreshTokenExpiresAt,
    properties: token.properties,
  };
}
