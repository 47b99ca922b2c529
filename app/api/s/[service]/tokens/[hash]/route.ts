import { z } from 'zod';
import {
  reasonRequestSchema,
  droppedScopes,
  tokenActionHintSchema,
  tokenHashSchema,
  tokenHintSchema,
  tokenUpdateInputSchema,
  type Token,
} from '@/lib/schemas';
import { describeScan } from '@/server/authlete/client';
import { json, noContent, route } from '@/server/http/route';
import { findTokenToChange } from '@/server/tokens/find-to-change';

const paramsSchema = z.object({ hash: tokenHashSchema });

/**
 * Authlete cannot fetch a token by hash, so the server scans the list of the tokens of the given
 * subject and/or client (one of them is required; the UI passes the ones it knows).
 */
export const GET = route({
  path: '/api/s/[service]/tokens/[hash]',
  permission: 'tokens:read',
  clientScoped: true,
  params: paramsSchema,
  query: tokenHintSchema,
  handler: async ({ params, query, signal, authlete }) => {
    const { token, searched } = await authlete.findToken(params.hash, query, signal);
    return json({ token, searched: describeScan(searched) });
  },
});

/**
 * Changes scopes, expiry ("never" = persistent) or properties; the audit keeps before and after.
 * Authlete drops requested scopes the client may not request without saying so: the answer names them.
 */
export const PATCH = route({
  path: '/api/s/[service]/tokens/[hash]',
  permission: 'tokens:write',
  clientScoped: true,
  audit: 'token.update',
  params: paramsSchema,
  query: tokenHintSchema,
  body: tokenUpdateInputSchema,
  handler: async ({ params, query, body, audit, signal, authlete }) => {
    const before = await findTokenToChange(authlete, params.hash, query, audit, signal);
    audit.before = auditView(before);
    const result = await authlete.updateToken(params.hash, body);
    const after: Token = {
      ...before,
      scopes: result.scopes ?? body.scopes ?? before.scopes,
      accessTokenExpiresAt:
        result.accessTokenExpiresAt ??
        (body.accessTokenPersistent ? 0 : (body.accessTokenExpiresAt ?? before.accessTokenExpiresAt)),
      refreshTokenExpiresAt: result.refreshTokenExpiresAt ?? before.refreshTokenExpiresAt,
      // Authlete omits properties from its answer when there are none left.
      properties: result.properties ?? body.properties ?? before.properties,
    };
    const dropped = droppedScopes(body.scopes, after.scopes);
    audit.after = { ...auditView(after), ...(dropped.length > 0 ? { droppedScopes: dropped } : {}) };
    return json({ token: after, droppedScopes: dropped });
  },
});

/**
 * Deletes the token outright (no revocation notice to anyone), with a reason like a revocation.
 * The token is found first (a narrowed scan) so the audit entry names its subject and client.
 */
export const DELETE = route({
  path: '/api/s/[service]/tokens/[hash]',
  permission: 'tokens:write',
  clientScoped: true,
  audit: 'token.delete',
  stepUp: true,
  params: paramsSchema,
  query: tokenActionHintSchema,
  body: reasonRequestSchema,
  handler: async ({ params, query, body, audit, signal, authlete }) => {
    audit.reason = body.reason;
    await findTokenToChange(authlete, params.hash, query, audit, signal);
    await authlete.deleteToken(params.hash);
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
