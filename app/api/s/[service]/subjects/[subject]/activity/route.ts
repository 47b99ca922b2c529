import { activityQuerySchema, subjectParamsSchema } from '@/lib/schemas';
import { listAudit } from '@/server/audit';
import { json, route } from '@/server/http/route';

/**
 * One person's activity timeline: every audit entry about their tokens, apps and consent, newest
 * first. Readable by every role (the support desk's view of a person), unlike the whole audit log.
 */
export const GET = route({
  path: '/api/s/[service]/subjects/[subject]/activity',
  permission: 'tokens:read',
  params: subjectParamsSchema,
  query: activityQuerySchema,
  handler: async ({ params, query }) => json(await listAudit({ ...query, subject: params.subject })),
});
