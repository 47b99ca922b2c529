import { subjectParamsSchema } from '@/lib/schemas';
import { json, route } from '@/server/http/route';
import { listOffboardings } from '@/server/jobs/offboard';

/** This person's newest offboarding jobs on this service, newest first (a running one survives a reload). */
export const GET = route({
  path: '/api/s/[service]/subjects/[subject]/offboardings',
  permission: 'tokens:read',
  params: subjectParamsSchema,
  handler: async ({ params, service }) => json({ jobs: await listOffboardings(service.slug, params.subject) }),
});
