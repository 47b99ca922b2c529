import { revokeJobActionSchema, revokeJobParamsSchema } from '@/lib/schemas/incident';
import { json, route } from '@/server/http/route';
import { controlRevokeJob } from '@/server/jobs/revoke';

/** Pauses, resumes or cancels a job (cancel keeps what is done; the report says what was). */
export const POST = route({
  path: '/api/s/[service]/incidents/revocations/[jobId]/control',
  permission: 'incidents:revoke',
  audit: 'incident.pause',
  params: revokeJobParamsSchema,
  body: revokeJobActionSchema,
  handler: async ({ params, body, service, audit }) => {
    audit.action =
      body.action === 'pause' ? 'incident.pause' : body.action === 'resume' ? 'incident.resume' : 'incident.cancel';
    audit.details = { jobId: params.jobId, service: service.slug };
    return json(await controlRevokeJob(params.jobId, service.slug, body.action));
  },
});
