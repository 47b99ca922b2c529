import { approvalDecisionSchema, approvalParamsSchema } from '@/lib/schemas/approval';
import { decideApproval } from '@/server/approvals';
import { json, route } from '@/server/http/route';

/** Approves another person's pending request (never one's own, never after it expired, only once). */
export const POST = route({
  path: '/api/s/[service]/approvals/[id]/approve',
  permission: 'approvals:decide',
  audit: 'approval.approve',
  stepUp: true,
  params: approvalParamsSchema,
  body: approvalDecisionSchema,
  handler: async ({ actor, service, params, body, audit }) => {
    audit.reason = body.note;
    audit.details = { approvalId: params.id, service: service.slug };
    const approval = await decideApproval(params.id, service.slug, actor, 'approve', body.note);
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
