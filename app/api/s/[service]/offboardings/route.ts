import { jobListQuerySchema } from '@/lib/schemas/issue-job';
import { jobOwnerFilter } from '@/server/auth/scope';
import { json, route } from '@/server/http/route';
import { listRecentOffboardings } from '@/server/jobs/offboard';

/**
 * Every offboarding of the service, newest first, for the Jobs page: whose, by whom, its state and
 * progress. A client-scoped person sees only their own (offboarding needs a grant for every client).
 */
export const GET = route({
  path: '/api/s/[service]/offboardings',
  permission: 'tokens:read',
  clientScoped: true,
  query: jobListQuerySchema,
  handler: async ({ query, service, actor, clientScope }) =>
    json(await listRecentOffboardings(service.slug, query.page, query.pageSize, jobOwnerFilter(clientScope, actor.id))),
});
