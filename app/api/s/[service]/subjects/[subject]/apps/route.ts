import { subjectParamsSchema } from '@/lib/schemas';
import { json, route } from '@/server/http/route';
import { listAuthorizedApps } from '@/server/tokens/apps';

/** The apps one person has authorized: per client its consent, token counts and last activity. */
export const GET = route({
  path: '/api/s/[service]/subjects/[subject]/apps',
  clientScoped: true,
  permission: 'tokens:read',
  params: subjectParamsSchema,
  handler: async ({ params, authlete, signal }) => json(await listAuthorizedApps(authlete, params.subject, signal)),
});
