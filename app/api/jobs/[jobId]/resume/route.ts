import { getJobDetail } from '@/server/batches/jobs';
import { jobParamsSchema } from '@/server/batches/params';
import { json, route } from '@/server/http/route';

/**
 * Records that an admin resumes an interrupted job (the browser then submits the chunks still
 * pending, each one its own audited request). Answers with the job, to know what is left.
 */
export const POST = route({
  path: '/api/jobs/[jobId]/resume',
  permission: 'batches:write',
  audit: 'batch.resume',
  params: jobParamsSchema,
  handler: async ({ params, audit }) => {
    const detail = await getJobDetail(params.jobId);
    const pending = detail.chunks.filter((chunk) => chunk.state === 'pending');
    audit.count = pending.reduce((sum, chunk) => sum + chunk.rowCount, 0);
    audit.details = { phase: 'resume', jobId: params.jobId, pendingChunks: pending.length };
    return json(detail);
  },
});
