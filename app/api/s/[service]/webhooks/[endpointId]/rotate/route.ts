import { webhookEndpointParamsSchema } from '@/lib/schemas/webhook';
import { json, route } from '@/server/http/route';
import { rotateEndpointSecret } from '@/server/webhooks/endpoints';

/**
 * A new signing secret, in this answer only; deliveries signed from now on (retries included) use
 * it, so the receiver must take it before the next event. The old one is gone at once.
 */
export const POST = route({
  path: '/api/s/[service]/webhooks/[endpointId]/rotate',
  permission: 'webhooks:manage',
  audit: 'webhook.rotate_secret',
  stepUp: true,
  params: webhookEndpointParamsSchema,
  handler: async ({ params, audit, service }) => {
    audit.details = { endpointId: params.endpointId };
    return json({ secret: await rotateEndpointSecret(service.slug, params.endpointId) });
  },
});
