import { revokeJobCreateSchema } from '@/lib/schemas/incident';
import { json, route } from '@/server/http/route';
import { createRevokeJob, listRevokeJobs } from '@/server/jobs/revoke';

/** The service's revoke-by-query jobs, newest first (job history). */
export const GET = route({
  path: '/api/s/[service]/incidents/revocations',
  permission: 'incidents:revoke',
  handler: async ({ service }) => json({ jobs: await listRevokeJobs(service.slug) }),
});

/** Drafts a revoke-by-query job: nothing is revoked until it is previewed and started. */
export const POST = route({
  path: '/api/s/[service]/incidents/revocations',
  permission: 'incidents:revoke',
  audit: 'incident.create',
  body: revokeJobCreateSchema,
  handler: async ({ actor, body, service, audit }) => {
    const job = await createRevokeJob(actor, service.slug, body.query);
    audit.details = { jobId: job.id, service: service.slug, query: body.query };
    return json(job, 201);
  },
});
