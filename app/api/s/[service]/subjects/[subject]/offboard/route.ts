import { offboardStartRequestSchema, subjectParamsSchema } from '@/lib/schemas';
import { approvalRequestAudit, guardWithApproval } from '@/server/approvals';
import { HttpError } from '@/server/http/errors';
import { json, route } from '@/server/http/route';
import { previewOffboarding, startOffboarding } from '@/server/jobs/offboard';

/** What offboarding this person would remove (per client: tokens, consent record) and its digest. */
export const GET = route({
  path: '/api/s/[service]/subjects/[subject]/offboard',
  permission: 'tokens:read',
  params: subjectParamsSchema,
  handler: async ({ params, authlete }) => json(await previewOffboarding(authlete, params.subject)),
});

/**
 * Starts offboarding as a job: the subject typed again, a reason, and the digest of the preview the
 * person saw; the preview is taken again and a different one is refused (409), so nothing is
 * removed that was not shown.
 */
export const POST = route({
  path: '/api/s/[service]/subjects/[subject]/offboard',
  permission: 'subjects:offboard',
  audit: 'subject.offboard',
  stepUp: true,
  params: subjectParamsSchema,
  body: offboardStartRequestSchema,
  handler: async ({ params, body, actor, audit, authlete, service, headers }) => {
    audit.target = { subject: params.subject };
    audit.reason = body.reason;
    if (body.confirm !== params.subject)
      throw new HttpError(400, 'validation_failed', 'Type the subject exactly as shown to confirm.');
    const preview = await previewOffboarding(authlete, params.subject);
    if (preview.digest !== body.digest)
      throw new HttpError(
        409,
        'conflict',
        'What this would remove has changed since the preview (tokens issued, revoked or expired); review it again.',
      );
    const tokens = preview.clients.reduce((sum, client) => sum + client.tokens, 0);
    // Four-eyes when the policy covers an offboarding this large: the approval is for this preview.
    const guard = await guardWithApproval({
      action: 'offboarding',
      service: service.slug,
      actor,
      payload: { subject: params.subject, digest: preview.digest },
      summary: { subject: params.subject, clients: preview.clients.length, tokens },
      facts: { tokenCount: tokens },
      headers,
    });
    if (guard.kind === 'requested') {
      const { details, ...rest } = approvalRequestAudit(guard.approval);
      Object.assign(audit, rest, { details });
      return json({ approval: guard.approval }, 202);
    }
    const job = await startOffboarding(
      { id: actor.id, email: actor.email, service: service.slug },
      {
        service: service.slug,
        subject: params.subject,
        reason: body.reason,
        ...(body.ticket ? { ticket: body.ticket } : {}),
      },
      preview,
    );
    audit.count = tokens;
    audit.details = {
      jobId: job.id,
      service: service.slug,
      clients: preview.clients.length,
      ...(body.ticket ? { ticket: body.ticket } : {}),
      ...(guard.approvalId ? { approvalId: guard.approvalId } : {}),
    };
    return json({ job }, 202);
  },
});
