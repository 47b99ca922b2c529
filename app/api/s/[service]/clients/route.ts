import { json, route } from '@/server/http/route';

/** The service's clients (ids as decimal strings), for filters and the create form. */
export const GET = route({
  path: '/api/s/[service]/clients',
  permission: 'tokens:read',
  clientScoped: true,
  handler: async ({ authlete }) => json({ clients: await authlete.listClients() }),
});
