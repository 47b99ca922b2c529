import { json, route } from '@/server/http/route';

/** The scopes the service supports, for scope pickers. */
export const GET = route({
  path: '/api/s/[service]/scopes',
  permission: 'tokens:read',
  clientScoped: true,
  handler: async ({ authlete }) => json({ scopes: await authlete.listSupportedScopes() }),
});
