import { z } from 'zod';
import { revokeRequestSchema, tokenActionHintSchema, tokenHashSchema } from '@/lib/schemas';
import { getAuthleteClient } from '@/server/authlete';
import { json, route } from '@/server/http/route';

/**
 * Revokes one access token (and its refresh token); answers how many Authlete revoked. The token
 * is found first (a narrowed scan) so the audit entry names its subject and client.
 */
export const POST = route({
  path: '/api/tokens/[hash]/revoke',
  permission: 'tokens:revoke',
  audit: 'token.revoke',
  params: z.object({ hash: tokenHashSchema }),
  query: tokenActionHintSchema,
  body: revokeRequestSchema,
  handler: async ({ params, query, body, audit, signal }) => {
    audit.target = { tokenHash: params.hash, subject: query.subject ?? null, clientId: query.clientId ?? null };
    audit.reason = body.reason;
    const client = getAuthleteClient();
    const { token } = await client.findToken(params.hash, query, signal);
    audit.target = { tokenHash: params.hash, subject: token.subject ?? null, clientId: token.clientId };
    const count = await client.revokeToken(params.hash);
    audit.count = count;
    return json({ count });
  },
});
