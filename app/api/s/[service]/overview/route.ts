import { json, route } from '@/server/http/route';
import { countTokensByClient, summariseCounts } from '@/server/overview/counts';

/** Valid and expired token counts per client the person may see (two count calls per client). */
export const GET = route({
  path: '/api/s/[service]/overview',
  permission: 'tokens:read',
  clientScoped: true,
  handler: async ({ authlete, signal }) =>
    json(summariseCounts(await countTokensByClient(authlete, signal), Date.now())),
});
