import { verifyAuditChain } from '@/server/audit';
import { getDb } from '@/server/db';
import { json, route } from '@/server/http/route';

/** Verifies the audit log's hash chain now and answers what it found; admins only (the same check as `npm run audit:verify`). */
export const GET = route({
  path: '/api/s/[service]/audit/chain',
  permission: 'audit:read',
  handler: async () => json(await verifyAuditChain(await getDb())),
});
