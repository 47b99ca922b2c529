import { appNarrowRequestSchema, appParamsSchema } from '@/lib/schemas';
import { json, route } from '@/server/http/route';

/**
 * Narrows an app: replaces the scopes on every token of the person for the client (Authlete's
 * authorization update). Needs the permission of editing a token; before and after are audited.
 */
export const POST = route({
  path: '/api/s/[service]/subjects/[subject]/apps/[clientId]/narrow',
  permission: 'tokens:write',
  audit: 'app.narrow',
  params: appParamsSchema,
  body: appNarrowRequestSchema,
  handler: async ({ params, body, audit, authlete, service }) => {
    audit.target = { subject: params.subject, clientId: params.clientId };
    audit.reason = body.reason;
    audit.details = { service: service.slug };
    audit.after = { scopes: body.scopes };
    const result = await authlete.updateAuthorization(params.subject, params.clientId, body.scopes);
    // Authlete gives the count only in its message; when that cannot be read, the message is kept instead.
    if (result.count === null) audit.details = { ...audit.details, countUnknown: result.resultMessage ?? null };
    else audit.count = result.count;
    return json(result);
  },
});
