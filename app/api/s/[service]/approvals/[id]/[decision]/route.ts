import { approvalDecisionParamsSchema, approvalDecisionSchema } from '@/lib/schemas/approval';
import { decideApproval } from '@/server/approvals';
import { json, route } from '@/server/http/route';

/**
 * `…/approvals/{id}/approve` or `…/reject`: another admin decides a pending request (never one's
 * own, never after it expired, only once).
 */
export const POST = route({
  path: '/api/s/[service]/approvals/[id]/[decision]',
  permission: 'approvals:decide',
  audit: 'approval.approve',
  stepUp: true,
  params: approvalDecisionParamsSchema,
  body: approvalDecisionSchema,
  handler: async ({ actor, service, params, body, audit }) => {
    audit.action = params.decision === 'approve' ? 'approval.approve' : 'approval.reject';
    audit.reason = body.note;
    audit.details = { approvalId: params.id, service: service.slug };
    const approval = await decideApproval(params.id, service.slug, actor, params.decision, body.note);
    audit.count = approval.tokenCount ?? undefined;
    audit.details = {
      ...audit.details,
      approvalAction: approval.action,
      requestedBy: approval.requestedByEmail,
      digest: approval.digest,
    };
    return json({ approval });
  },
});
