import { chunkNarrowInputSchema } from '@/lib/schemas/issue-job';
import { ensureIssueJobOf, narrowDryRun } from '@/server/jobs/issue';
import { jobOwnerFilter, requireClientsInScope } from '@/server/auth/scope';
import { chunkParamsSchema, MAX_CHUNK_BODY_BYTES } from '@/server/jobs/issue/params';
import { json, route } from '@/server/http/route';

/**
 * Finds every bad row of a chunk whose dry run failed, by dry-running parts of it (bounded).
 * Nothing is created; the rows' values are used for this request only.
 */
export const POST = route({
  path: '/api/s/[service]/jobs/[jobId]/chunks/[seq]/narrow-dry-run',
  permission: 'batches:write',
  clientScoped: true,
  audit: 'job.find_bad_rows',
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
    const result = await narrowDryRun(params.jobId, params.seq, body.rows, authlete);
    audit.details = {
      ...audit.details,
      dryRuns: result.dryRuns,
      alreadyPresent: result.badRows.filter((row) => row.outcome === 'already_present').length,
      rejected: result.badRows.filter((row) => row.outcome === 'rejected').length,
      limitReached: result.limitReached,
    };
    return json(result);
  },
});
