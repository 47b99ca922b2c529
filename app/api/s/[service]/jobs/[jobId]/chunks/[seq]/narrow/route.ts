import { chunkNarrowInputSchema } from '@/lib/schemas/issue-job';
import { ensureIssueJobOf, narrowChunk } from '@/server/jobs/issue';
import { jobOwnerFilter, requireClientsInScope } from '@/server/auth/scope';
import { chunkParamsSchema, MAX_CHUNK_BODY_BYTES } from '@/server/jobs/issue/params';
import { json, route } from '@/server/http/route';

/**
 * Narrows a failed chunk to its bad rows (lookups by hash and dry runs) and resubmits the rest as
 * a new chunk. The rows' values are used for this request only.
 */
export const POST = route({
  path: '/api/s/[service]/jobs/[jobId]/chunks/[seq]/narrow',
  permission: 'batches:write',
  clientScoped: true,
  audit: 'job.narrow',
  params: chunkParamsSchema,
  body: chunkNarrowInputSchema,
  maxBodyBytes: MAX_CHUNK_BODY_BYTES,
  handler: async ({ params, body, audit, authlete, service, clientScope, actor }) => {
    await ensureIssueJobOf(params.jobId, service.slug, jobOwnerFilter(clientScope, actor.id));
    requireClientsInScope(
      clientScope,
      body.rows.map((row) => row.token.clientId),
      'batch.create',
    );
    audit.count = body.rows.length;
    audit.details = { jobId: params.jobId, chunk: params.seq };
    const result = await narrowChunk(params.jobId, params.seq, body.rows, authlete);
    audit.details = { ...audit.details, ...result };
    return json(result);
  },
});
