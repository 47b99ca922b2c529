import { appNarrowRequestSchema, appParamsSchema } from '@/lib/schemas';
import { HttpError } from '@/server/http/errors';
import { json, route } from '@/server/http/route';
import { currentAppScopes } from '@/server/tokens/apps';

/**
 * Narrows an app: replaces the scopes on every token of the person for the client (Authlete's
 * authorization update). Needs the permission of editing a token; before and after are audited.
 */
export const POST = route({
  path: '/api/s/[service]/subjects/[subject]/apps/[clientId]/narrow',
  clientScoped: true,
  permission: 'tokens:write',
  audit: 'app.narrow',
  params: appParamsSchema,
  body: appNarrowRequestSchema,
  handler: async ({ params, body, audit, authlete, service, signal }) => {
    audit.target = { subject: params.subject, clientId: params.clientId };
    audit.reason = body.reason;
    audit.details = { service: service.slug };
    audit.after = { scopes: body.scopes };
    // Narrowing removes scopes; it never grants one the person has not granted this app.
    const current = await currentAppScopes(authlete, params.subject, params.clientId, signal);
    audit.before = { scopes: [...current].sort() };
    const added = body.scopes.filter((scope) => !current.has(scope));
    if (added.length > 0)
      throw new HttpError(
        400,
        'validation_failed',
        `Narrowing can only remove scopes; this app does not have ${added.map((scope) => `"${scope}"`).join(', ')} now.`,
        {
          fieldErrors: { scopes: ['Only scopes the app has now can be kept.'] },
          formErrors: [],
          added,
        },
      );
    const result = await authlete.updateAuthorization(params.subject, params.clientId, body.scopes);
    // Authlete gives the count only in its message; when that cannot be read, the message is kept instead.
    if (result.count === null) audit.details = { ...audit.details, countUnknown: result.resultMessage ?? null };
    else audit.count = result.count;
    return json(result);
  },
});
