import { auditListQuerySchema } from '@/lib/schemas/audit';
import { listAudit } from '@/server/audit';
import { auditVisibilityOf } from '@/server/auth/scope';
import { json, route } from '@/server/http/route';

/** The audit log, newest first; admins only (a client-scoped admin reads only entries about their clients). Filters: actor, action, outcome, subject, from/to (ms). */
export const GET = route({
  path: '/api/s/[service]/audit',
  permission: 'audit:read',
  clientScoped: true,
  query: auditListQuerySchema,
  handler: async ({ query, clientScope }) => json(await listAudit(query, auditVisibilityOf(clientScope))),
});
