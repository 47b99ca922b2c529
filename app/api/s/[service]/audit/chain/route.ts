import { verifyAuditChain } from '@/server/audit';
import { getDb } from '@/server/db';
import { json, route } from '@/server/http/route';
import { auditSinkStatuses } from '@/server/jobs/audit-sinks';

/**
 * Verifies the audit log's hash chain now and answers what it found (the same check as `npm run
 * audit:verify`), with where each audit sink (AUDIT_SINKS) stands; admins only.
 */
export const GET = route({
  path: '/api/s/[service]/audit/chain',
  permission: 'audit:read',
  handler: async () => {
    const [report, sinks] = await Promise.all([verifyAuditChain(await getDb()), auditSinkStatuses()]);
    return json({ ...report, sinks });
  },
});
