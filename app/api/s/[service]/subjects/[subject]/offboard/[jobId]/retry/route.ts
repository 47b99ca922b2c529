import { offboardJobParamsSchema } from '@/lib/schemas';
import { json, route } from '@/server/http/route';
import { retryOffboarding } from '@/server/jobs/offboard';

/** Runs the failed parts of an offboarding again; the parts already done are not repeated. */
export const POST = route({
  path: '/api/s/[service]/subjects/[subject]/offboard/[jobId]/retry',
  permission: 'subjects:offboard',
  audit: 'subject.offboard_retry',
  params: offboardJobParamsSchema,
  handler: async ({ params, audit }) => {
    audit.target = { subject: params.subject };
    audit.details = { jobId: params.jobId };
    return json({ job: await retryOffboarding(params.jobId, params.subject) }, 202);
  },
});
