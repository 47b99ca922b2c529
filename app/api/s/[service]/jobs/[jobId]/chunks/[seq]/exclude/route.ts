import { excludeBadRowsInputSchema } from '@/lib/schemas/issue-job';
import { ensureIssueJobOf, excludeBadRows } from '@/server/jobs/issue';
import { jobOwnerFilter } from '@/server/auth/scope';
import { chunkParamsSchema } from '@/server/jobs/issue/params';
import { json, route } from '@/server/http/route';

/** The admin leaves out the bad rows a narrowed dry run found; the rest becomes a new chunk to dry-run. */
export const POST = route({
  path: '/api/s/[service]/jobs/[jobId]/chunks/[seq]/exclude',
  permission: 'batches:write',
  clientScoped: true,
  audit: 'job.exclude_rows',
  params: chunkParamsSchema,
  body: excludeBadRowsInputSchema,
  handler: async ({ params, body, audit, service, clientScope, actor }) => {
    await ensureIssueJobOf(params.jobId, service.slug, jobOwnerFilter(clientScope, actor.id));
    audit.details = { jobId: params.jobId, chunk: params.seq };
    const result = await excludeBadRows(params.jobId, params.seq, body.remaining);
    audit.count = result.excludedRows;
    audit.details = { ...audit.details, remainderChunk: result.chunk?.seq ?? null };
    return json(result);
  },
});
