import { ensureIssueJobOf, getIssueJobDetail } from '@/server/jobs/issue';
import { jobOwnerFilter } from '@/server/auth/scope';
import { jobParamsSchema } from '@/server/jobs/issue/params';
import { json, route } from '@/server/http/route';

/** The job with its chunks, as the queue last left it (reading never calls Authlete). */
export const GET = route({
  path: '/api/s/[service]/jobs/[jobId]',
  permission: 'batches:read',
  clientScoped: true,
  params: jobParamsSchema,
  handler: async ({ params, service, actor, clientScope }) => {
    await ensureIssueJobOf(params.jobId, service.slug, jobOwnerFilter(clientScope, actor.id));
    return json(await getIssueJobDetail(params.jobId));
  },
});
