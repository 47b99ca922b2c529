import { trendsQuerySchema } from '@/lib/schemas/overview';
import { isAllClients } from '@/server/auth/scope';
import { json, route } from '@/server/http/route';
import { readTrends } from '@/server/overview/snapshot';

/**
 * The overview's daily snapshots: totals per day and each client's latest counts and estimates
 * (tokens expiring within 7 and 30 days, stale for the sweep). A client-scoped person sees only
 * their clients' rows, summed over them alone. Read from the database: no Authlete call.
 */
export const GET = route({
  path: '/api/s/[service]/overview/trends',
  permission: 'tokens:read',
  clientScoped: true,
  query: trendsQuerySchema,
  handler: async ({ query, service, clientScope }) =>
    json(await readTrends(service.slug, query.days, isAllClients(clientScope) ? null : clientScope.clientIds)),
});
