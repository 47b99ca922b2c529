import { z } from 'zod';
import { revokeRequestSchema, tokenHashSchema } from '@/lib/schemas';
import { getAuthleteClient } from '@/server/authlete';
import { json, route } from '@/server/http/route';

/** Revokes one access token (and its refresh token); answers how many Authlete revoked. */
export const POST = route({
  path: '/api/tokens/[hash]/revoke',
  permission: 'tokens:revoke',
  audit: 'token.revoke',
  params: z.object({ hash: tokenHashSchema }),
  body: revokeRequestSchema,
  handler: async ({ params, body, audit }) => {
    audit.target = { tokenHash: params.hash };
    audit.reason = body.reason;
    const count = await getAuthleteClient().revokeToken(params.hash);
    audit.count = count;
    return json({ count });
  },
});
