import { z } from 'zod';
import { reasonRequestSchema, tokenActionHintSchema, tokenHashSchema } from '@/lib/schemas';
import { json, route } from '@/server/http/route';
import { findTokenToChange } from '@/server/tokens/find-to-change';

/**
 * Revokes one access token (and its refresh token); answers how many Authlete revoked. The token
 * is found first (a narrowed scan) so the audit entry names its subject and client.
 */
export const POST = route({
  path: '/api/s/[service]/tokens/[hash]/revoke',
  permission: 'tokens:revoke',
  clientScoped: true,
  audit: 'token.revoke',
  params: z.object({ hash: tokenHashSchema }),
  query: tokenActionHintSchema,
  body: reasonRequestSchema,
  handler: async ({ params, query, body, audit, signal, authlete }) => {
    audit.reason = body.reason;
    await findTokenToChange(authlete, params.hash, query, audit, signal);
    const count = await authlete.revokeToken(params.hash);
    audit.count = count;
    return json({ count });
  },
});
