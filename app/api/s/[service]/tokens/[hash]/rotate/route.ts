import { z } from 'zod';
import { rotateRequestSchema, tokenActionHintSchema, tokenHashSchema, type TokenRotated } from '@/lib/schemas';
import { json, route } from '@/server/http/route';
import { findTokenToChange } from '@/server/tokens/find-to-change';

/**
 * Replaces the access token's value (Authlete's `accessTokenValueUpdated`); the old value stops
 * working. The new value is in this answer only: never stored, logged or audited (the audit keeps
 * the new hash). The token is found first (a narrowed scan) so the audit entry names its subject
 * and client.
 */
export const POST = route({
  path: '/api/s/[service]/tokens/[hash]/rotate',
  permission: 'tokens:write',
  clientScoped: true,
  audit: 'token.rotate',
  params: z.object({ hash: tokenHashSchema }),
  query: tokenActionHintSchema,
  body: rotateRequestSchema,
  handler: async ({ params, query, body, audit, signal, authlete }) => {
    audit.reason = body.reason;
    const token = await findTokenToChange(authlete, params.hash, query, audit, signal);
    const rotated = await authlete.rotateTokenValue(params.hash);
    audit.after = { accessTokenHash: rotated.accessTokenHash };
    const answer: TokenRotated = {
      accessToken: rotated.accessToken,
      previousHash: params.hash,
      token: { ...token, accessTokenHash: rotated.accessTokenHash },
    };
    return json(answer);
  },
});
