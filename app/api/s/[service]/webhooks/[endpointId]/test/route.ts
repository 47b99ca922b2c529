import { webhookEndpointParamsSchema } from '@/lib/schemas/webhook';
import { json, route } from '@/server/http/route';
import { queueTestEvent } from '@/server/webhooks/endpoints';

/** Queues a signed `webhook.test` event to this endpoint; its outcome shows in the delivery log. */
export const POST = route({
  path: '/api/s/[service]/webhooks/[endpointId]/test',
  permission: 'webhooks:manage',
  audit: 'webhook.test',
  params: webhookEndpointParamsSchema,
  handler: async ({ params, audit, service, actor }) => {
    audit.details = { endpointId: params.endpointId };
    const deliveryId = await queueTestEvent(service.slug, params.endpointId, actor.email);
    audit.details.deliveryId = deliveryId;
    return json({ deliveryId }, 202);
  },
});
