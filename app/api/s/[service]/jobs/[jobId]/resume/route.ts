import { ensureIssueJobOf, getIssueJobDetail } from '@/server/jobs/issue';
import { jobOwnerFilter } from '@/server/auth/scope';
import { jobParamsSchema } from '@/server/jobs/issue/params';
import { json, route } from '@/server/http/route';

/**
 * Records that an admin resumes an interrupted job (the browser then submits the chunks still
 * pending, each one its own audited request). Answers with the job, to know what is left.
 */
export const POST = route({
  path: '/api/s/[service]/jobs/[jobId]/resume',
  permission: 'batches:write',
  clientScoped: true,
  audit: 'job.resume',
  params: jobParamsSchema,
  handler: async ({ params, audit, service, clientScope, actor }) => {
    await ensureIssueJobOf(params.jobId, service.slug, jobOwnerFilter(clientScope, actor.id));
    audit.details = { jobId: params.jobId };
    const detail = await getIssueJobDetail(params.jobId);
    const pending = detail.chunks.filter((chunk) => chunk.state === 'pending');
    audit.count = pending.reduce((sum, chunk) => sum + chunk.rowCount, 0);
    audit.details = { ...audit.details, pendingChunks: pending.length };
    return json(detail);
  },
});
