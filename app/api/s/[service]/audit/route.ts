import { auditListQuerySchema } from '@/lib/schemas/audit';
import { listAudit } from '@/server/audit';
import { json, route } from '@/server/http/route';

/** The audit log, newest first; admins only. Filters: actor, action, outcome, subject, from/to (ms). */
export const GET = route({
  path: '/api/s/[service]/audit',
  permission: 'audit:read',
  query: auditListQuerySchema,
  handler: async ({ query }) => json(await listAudit(query)),
});
