import { appActionRequestSchema, appParamsSchema } from '@/lib/schemas';
import { json, route } from '@/server/http/route';

/**
 * Forgets the person's remembered consent for the client: they will be asked again next time.
 * Tokens are left alone. Needs the permission of editing a token; the record before is audited.
 */
export const POST = route({
  path: '/api/s/[service]/subjects/[subject]/apps/[clientId]/forget-consent',
  clientScoped: true,
  permission: 'tokens:write',
  audit: 'consent.forget',
  params: appParamsSchema,
  body: appActionRequestSchema,
  handler: async ({ params, body, audit, authlete, service }) => {
    audit.target = { subject: params.subject, clientId: params.clientId };
    audit.reason = body.reason;
    audit.details = { service: service.slug };
    const before = await authlete.getGrantedScopes(params.subject, params.clientId);
    audit.before = { ...before };
    await authlete.deleteGrantedScopes(params.subject, params.clientId);
    audit.count = before.latestGrantedScopes === null ? 0 : 1;
    return json({ count: audit.count });
  },
});
