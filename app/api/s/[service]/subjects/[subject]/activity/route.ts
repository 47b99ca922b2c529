import { activityQuerySchema, subjectParamsSchema } from '@/lib/schemas';
import { listAudit } from '@/server/audit';
import { auditVisibilityOf } from '@/server/auth/scope';
import { json, route } from '@/server/http/route';

/**
 * One person's activity timeline: every audit entry about their tokens, apps and consent, newest
 * first. Readable by every role (the support desk's view of a person), unlike the whole audit log.
 */
export const GET = route({
  path: '/api/s/[service]/subjects/[subject]/activity',
  permission: 'tokens:read',
  // A client-scoped person sees the entries about their clients only.
  clientScoped: true,
  params: subjectParamsSchema,
  query: activityQuerySchema,
  handler: async ({ params, query, service, clientScope }) =>
    json(await listAudit({ ...query, subject: params.subject, service: service.slug }, auditVisibilityOf(clientScope))),
});
