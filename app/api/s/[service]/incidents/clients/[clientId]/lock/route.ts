import { clientParamsSchema, unlockClientSchema } from '@/lib/schemas/incident';
import { json, route } from '@/server/http/route';

/**
 * Unlocks a client locked by the kill switch (locking goes with revoking its tokens, as a previewed
 * revocation job with `lockClients`).
 */
export const DELETE = route({
  path: '/api/s/[service]/incidents/clients/[clientId]/lock',
  permission: 'incidents:revoke',
  audit: 'client.unlock',
  stepUp: true,
  params: clientParamsSchema,
  body: unlockClientSchema,
  handler: async ({ params, body, authlete, audit, service }) => {
    audit.target = { clientId: params.clientId };
    audit.reason = body.reason;
    audit.details = { service: service.slug };
    await authlete.setClientLocked(params.clientId, false);
    return json({ clientId: params.clientId, locked: false });
  },
});
