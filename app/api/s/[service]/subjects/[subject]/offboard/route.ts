import { offboardStartRequestSchema, subjectParamsSchema } from '@/lib/schemas';
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
  params: subjectParamsSchema,
  body: offboardStartRequestSchema,
  handler: async ({ params, body, actor, audit, authlete, service }) => {
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
    const job = await startOffboarding(
      { id: actor.id, email: actor.email, service: service.slug },
      { service: service.slug, subject: params.subject, reason: body.reason },
      preview,
    );
    audit.count = preview.clients.reduce((sum, client) => sum + client.tokens, 0);
    audit.details = { jobId: job.id, service: service.slug, clients: preview.clients.length };
    return json({ job }, 202);
  },
});
