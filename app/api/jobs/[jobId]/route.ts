import { getAuthleteClient } from '@/server/authlete';
import { getJobDetail } from '@/server/batches/jobs';
import { jobParamsSchema } from '@/server/batches/params';
import { json, route } from '@/server/http/route';

/** The job with its chunks; chunks due a status check are first asked about at Authlete (with backoff). */
export const GET = route({
  path: '/api/jobs/[jobId]',
  permission: 'batches:read',
  params: jobParamsSchema,
  handler: async ({ params }) => json(await getJobDetail(params.jobId, getAuthleteClient())),
});
