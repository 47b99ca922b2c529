import { getIssueJobDetail } from '@/server/jobs/issue';
import { jobParamsSchema } from '@/server/jobs/issue/params';
import { json, route } from '@/server/http/route';

/** The job with its chunks, as the queue last left it (reading never calls Authlete). */
export const GET = route({
  path: '/api/jobs/[jobId]',
  permission: 'batches:read',
  params: jobParamsSchema,
  handler: async ({ params }) => json(await getIssueJobDetail(params.jobId)),
});
