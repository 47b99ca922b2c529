import { ensureIssueJobOf, getIssueJobDetail } from '@/server/jobs/issue';
import { jobParamsSchema } from '@/server/jobs/issue/params';
import { json, route } from '@/server/http/route';

/** The job with its chunks, as the queue last left it (reading never calls Authlete). */
export const GET = route({
  path: '/api/s/[service]/jobs/[jobId]',
  permission: 'batches:read',
  params: jobParamsSchema,
  handler: async ({ params, service }) => {
    await ensureIssueJobOf(params.jobId, service.slug);
    return json(await getIssueJobDetail(params.jobId));
  },
});
