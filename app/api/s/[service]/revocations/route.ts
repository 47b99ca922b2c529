import { revokeAllRequestSchema } from '@/lib/schemas';
import { json, route } from '@/server/http/route';

/** Revokes every token of one user, optionally only for one client; answers the count. */
export const POST = route({
  path: '/api/s/[service]/revocations',
  permission: 'tokens:revoke',
  clientScoped: true,
  audit: 'token.revoke_all',
  stepUp: true,
  body: revokeAllRequestSchema,
  handler: async ({ body, audit, authlete }) => {
    audit.target = { subject: body.subject, clientId: body.clientId ?? null };
    audit.reason = body.reason;
    const count = await authlete.revokeSubjectTokens(body.subject, body.clientId);
    audit.count = count;
    return json({ count });
  },
});
