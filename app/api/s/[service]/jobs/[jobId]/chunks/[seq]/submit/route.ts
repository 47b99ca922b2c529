import { chunkTokensInputSchema } from '@/lib/schemas/issue-job';
import { ensureIssueJobOf, submitChunk } from '@/server/jobs/issue';
import { chunkParamsSchema, MAX_CHUNK_BODY_BYTES } from '@/server/jobs/issue/params';
import { json, route } from '@/server/http/route';

/** Submits one chunk as an Authlete batch, once; its request id is recorded with the job. */
export const POST = route({
  path: '/api/s/[service]/jobs/[jobId]/chunks/[seq]/submit',
  permission: 'batches:write',
  audit: 'job.submit',
  params: chunkParamsSchema,
  body: chunkTokensInputSchema,
  maxBodyBytes: MAX_CHUNK_BODY_BYTES,
  handler: async ({ params, body, audit, authlete, service }) => {
    await ensureIssueJobOf(params.jobId, service.slug);
    audit.count = body.tokens.length;
    audit.details = { jobId: params.jobId, chunk: params.seq };
    const chunk = await submitChunk(params.jobId, params.seq, body.tokens, authlete, body.lines);
    audit.target = { batchRequestId: chunk.requestId };
    return json({ chunk }, 202);
  },
});
