import { offboardJobParamsSchema } from '@/lib/schemas';
import { json, route } from '@/server/http/route';
import { getOffboarding } from '@/server/jobs/offboard';

/** An offboarding job of this person: its state, progress and report (removed / failed per client). */
export const GET = route({
  path: '/api/s/[service]/subjects/[subject]/offboard/[jobId]',
  permission: 'tokens:read',
  params: offboardJobParamsSchema,
  handler: async ({ params }) => json({ job: await getOffboarding(params.jobId, params.subject) }),
});
