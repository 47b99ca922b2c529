import { revokeJobParamsSchema } from '@/lib/schemas/incident';
import { json, route } from '@/server/http/route';
import { getRevokeJob } from '@/server/jobs/revoke';

/** One revoke job: state, preview, counts (done / failed / remaining) and rate. */
export const GET = route({
  path: '/api/s/[service]/incidents/revocations/[jobId]',
  permission: 'incidents:revoke',
  params: revokeJobParamsSchema,
  handler: async ({ params, service }) => json(await getRevokeJob(params.jobId, service.slug)),
});
