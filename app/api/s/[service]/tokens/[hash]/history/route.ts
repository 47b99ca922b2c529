import { z } from 'zod';
import { activityQuerySchema, tokenHashSchema } from '@/lib/schemas';
import { listAudit } from '@/server/audit';
import type { TokenHistoryResponse } from '@/lib/schemas/audit';
import { auditVisibilityOf, jobOwnerFilter } from '@/server/auth/scope';
import { findIssuingJob } from '@/server/jobs/issue';
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
  handler: async ({ params, query, service, clientScope, actor }) => {
    const [entries, issuedBy] = await Promise.all([
      listAudit({ ...query, tokenHash: params.hash, service: service.slug }, auditVisibilityOf(clientScope)),
      findIssuingJob(params.hash, service.slug),
    ]);
    // A client-scoped person sees only their own jobs (as on the Jobs page).
    const hidden = jobOwnerFilter(clientScope, actor.id) !== undefined && issuedBy?.createdBy.id !== actor.id;
    return json({ ...entries, issuedBy: hidden ? null : issuedBy } satisfies TokenHistoryResponse);
  },
});
