import { appActionRequestSchema, appParamsSchema } from '@/lib/schemas';
import { json, route } from '@/server/http/route';

/**
 * Revokes an app: deletes every token of the person for the client (Authlete's authorization
 * delete). Remembered consent stays. The count is the one Authlete reported in its message.
 */
export const POST = route({
  path: '/api/s/[service]/subjects/[subject]/apps/[clientId]/revoke',
  clientScoped: true,
  permission: 'tokens:revoke',
  audit: 'app.revoke',
  stepUp: true,
  params: appParamsSchema,
  body: appActionRequestSchema,
  handler: async ({ params, body, audit, authlete, service }) => {
    audit.target = { subject: params.subject, clientId: params.clientId };
    audit.reason = body.reason;
    audit.details = { service: service.slug };
    const result = await authlete.deleteAuthorization(params.subject, params.clientId);
    // Authlete gives the count only in its message; when that cannot be read, the message is kept instead.
    if (result.count === null) audit.details = { ...audit.details, countUnknown: result.resultMessage ?? null };
    else audit.count = result.count;
    return json(result);
  },
});
