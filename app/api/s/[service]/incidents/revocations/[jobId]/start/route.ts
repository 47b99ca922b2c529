import { revokeJobParamsSchema, revokeJobStartSchema, tokenFieldsOf } from '@/lib/schemas/incident';
import { approvalRequestAudit, guardWithApproval } from '@/server/approvals';
import { recordAudit } from '@/server/audit';
import { json, route } from '@/server/http/route';
import { checkStart, startRun } from '@/server/jobs/revoke';

/**
 * Starts a previewed job: the preview's digest for the same query, the item count typed back, a
 * reason and a ticket. With `lockClients` (the kill switch) each client is locked first, each
 * lock its own audit record, so no new token is issued while the old ones are revoked.
 */
export const POST = route({
  path: '/api/s/[service]/incidents/revocations/[jobId]/start',
  permission: 'incidents:revoke',
  audit: 'incident.start',
  stepUp: true,
  params: revokeJobParamsSchema,
  body: revokeJobStartSchema,
  handler: async ({ actor, params, body, service, authlete, audit, requestId, headers }) => {
    audit.reason = body.reason;
    audit.details = { jobId: params.jobId, service: service.slug, ticket: body.ticket, query: body.query };
    const row = await checkStart(params.jobId, service.slug, body);
    audit.count = row.preview?.tokens ?? row.preview?.items;
    // Four-eyes for every token of whole clients (APPROVAL_REVOKE_ALL_CLIENT): the approval is for this preview.
    const guard = await guardWithApproval({
      action: 'revoke_all_client',
      service: service.slug,
      actor,
      payload: { jobId: params.jobId, digest: body.digest },
      summary: { jobId: params.jobId, clients: row.query.clientIds, tokens: audit.count, lock: row.query.lockClients },
      facts: {
        tokenCount: audit.count,
        wholeClient: row.query.clientIds.length > 0 && !row.query.subjectList && !tokenFieldsOf(row.query),
      },
      headers,
    });
    if (guard.kind === 'requested') {
      const { details, ...rest } = approvalRequestAudit(guard.approval);
      Object.assign(audit, rest, { details: { ...audit.details, ...details } });
      return json({ approval: guard.approval }, 202);
    }
    if (guard.approvalId) audit.details = { ...audit.details, approvalId: guard.approvalId };
    if (row.query.lockClients) {
      for (const clientId of row.query.clientIds) {
        await authlete.setClientLocked(clientId, true);
        await recordAudit({
          action: 'client.lock',
          outcome: 'success',
          actor: { id: actor.id, email: actor.email, role: actor.role, method: actor.method },
          request: { requestId },
          target: { clientId },
          reason: body.reason,
          details: { jobId: params.jobId, service: service.slug, ticket: body.ticket },
        });
      }
    }
    return json(await startRun(params.jobId, service.slug, body.reason, body.ticket));
  },
});
