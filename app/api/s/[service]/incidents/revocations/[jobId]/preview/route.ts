import { revokeJobParamsSchema } from '@/lib/schemas/incident';
import { json, route } from '@/server/http/route';
import { startPreview } from '@/server/jobs/revoke';

/** Starts counting what the job would revoke (exact counts, or a scan shown with progress). */
export const POST = route({
  path: '/api/s/[service]/incidents/revocations/[jobId]/preview',
  permission: 'incidents:revoke',
  audit: 'incident.preview',
  params: revokeJobParamsSchema,
  handler: async ({ params, service, authlete, audit }) => {
    audit.details = { jobId: params.jobId, service: service.slug };
    return json(await startPreview(authlete, params.jobId, service.slug), 202);
  },
});
