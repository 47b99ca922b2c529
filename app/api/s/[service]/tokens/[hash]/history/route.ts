import { z } from 'zod';
import { activityQuerySchema, tokenHashSchema } from '@/lib/schemas';
import { listAudit } from '@/server/audit';
import { auditVisibilityOf } from '@/server/auth/scope';
import { json, route } from '@/server/http/route';

const paramsSchema = z.object({ hash: tokenHashSchema });

/**
 * One token's history from the audit log, newest first: who created, edited, rotated, revoked or
 * looked it up, with their reasons and the job it came from. Readable by every role, like the
 * token itself; a client-scoped person reads only entries about their clients.
 */
export const GET = route({
  path: '/api/s/[service]/tokens/[hash]/history',
  permission: 'tokens:read',
  clientScoped: true,
  params: paramsSchema,
  query: activityQuerySchema,
  handler: async ({ params, query, service, clientScope }) =>
    json(await listAudit({ ...query, tokenHash: params.hash, service: service.slug }, auditVisibilityOf(clientScope))),
});
