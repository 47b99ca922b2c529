import { chunkTokensInputSchema } from '@/lib/schemas/issue-job';
import { approvalRequestAudit, guardWithApproval } from '@/server/approvals';
import { ensureIssueJobOf, issueJobForApproval, submitChunk } from '@/server/jobs/issue';
import { jobOwnerFilter, requireClientsInScope } from '@/server/auth/scope';
import { chunkParamsSchema, MAX_CHUNK_BODY_BYTES } from '@/server/jobs/issue/params';
import { json, route } from '@/server/http/route';

/**
 * Submits one chunk as an Authlete batch, once; its request id is recorded with the job. Needs a
 * fresh step-up, and for a job over APPROVAL_BULK_ISSUE_OVER tokens another admin's approval of
 * the job as previewed (asked for by sending the justification headers; answered 202).
 */
export const POST = route({
  path: '/api/s/[service]/jobs/[jobId]/chunks/[seq]/submit',
  permission: 'batches:write',
  clientScoped: true,
  audit: 'job.submit',
  stepUp: true,
  params: chunkParamsSchema,
  body: chunkTokensInputSchema,
  maxBodyBytes: MAX_CHUNK_BODY_BYTES,
  handler: async ({ params, body, audit, authlete, actor, service, headers, clientScope }) => {
    await ensureIssueJobOf(params.jobId, service.slug, jobOwnerFilter(clientScope, actor.id));
    // Rows for clients outside the person's grant: refused before anything is recorded or sent.
    requireClientsInScope(
      clientScope,
      body.tokens.map((token) => token.clientId),
      'batch.create',
    );
    audit.count = body.tokens.length;
    audit.details = { jobId: params.jobId, chunk: params.seq };
    const preview = await issueJobForApproval(params.jobId);
    const guard = await guardWithApproval({
      action: 'bulk_issue',
      service: service.slug,
      actor,
      payload: preview.payload,
      summary: preview.summary,
      facts: { tokenCount: preview.tokenCount },
      headers,
      coversParts: true,
    });
    if (guard.kind === 'requested') {
      const { details, ...rest } = approvalRequestAudit(guard.approval);
      Object.assign(audit, rest, { details: { ...audit.details, ...details } });
      return json({ approval: guard.approval }, 202);
    }
    if (guard.approvalId) audit.details = { ...audit.details, approvalId: guard.approvalId };
    const chunk = await submitChunk(params.jobId, params.seq, body.tokens, authlete, body.lines);
    audit.target = { batchRequestId: chunk.requestId };
    return json({ chunk }, 202);
  },
});
