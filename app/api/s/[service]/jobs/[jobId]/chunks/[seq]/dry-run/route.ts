import { chunkTokensInputSchema } from '@/lib/schemas/issue-job';
import { ensureIssueJobOf, startDryRun } from '@/server/jobs/issue';
import { jobOwnerFilter, requireClientsInScope } from '@/server/auth/scope';
import { chunkParamsSchema, MAX_CHUNK_BODY_BYTES } from '@/server/jobs/issue/params';
import { json, route } from '@/server/http/route';

/** Authlete dry run of one chunk's rows (values included, never stored or logged). */
export const POST = route({
  path: '/api/s/[service]/jobs/[jobId]/chunks/[seq]/dry-run',
  permission: 'batches:write',
  clientScoped: true,
  audit: 'job.dry_run',
  params: chunkParamsSchema,
  body: chunkTokensInputSchema,
  maxBodyBytes: MAX_CHUNK_BODY_BYTES,
  handler: async ({ params, body, audit, authlete, service, clientScope, actor }) => {
    await ensureIssueJobOf(params.jobId, service.slug, jobOwnerFilter(clientScope, actor.id));
    // Rows for clients outside the person's grant: refused before anything is recorded or sent.
    requireClientsInScope(
      clientScope,
      body.tokens.map((token) => token.clientId),
      'batch.create',
    );
    audit.count = body.tokens.length;
    audit.details = { jobId: params.jobId, chunk: params.seq };
    const chunk = await startDryRun(params.jobId, params.seq, body.tokens, authlete);
    audit.target = { batchRequestId: chunk.dryRunRequestId };
    return json({ chunk }, 202);
  },
});
