import { webhookDeliveryParamsSchema } from '@/lib/schemas/webhook';
import { json, route } from '@/server/http/route';
import { redeliver } from '@/server/jobs/webhooks/deliver';
import { findDelivery } from '@/server/webhooks/endpoints';

/**
 * Sends a delivery again, under the same `webhook-id` (a receiver that already has it de-duplicates),
 * with a fresh set of attempts. Only a delivery of this endpoint in this service.
 */
export const POST = route({
  path: '/api/s/[service]/webhooks/[endpointId]/deliveries/[deliveryId]/redeliver',
  permission: 'webhooks:manage',
  audit: 'webhook.redeliver',
  params: webhookDeliveryParamsSchema,
  handler: async ({ params, audit, service }) => {
    audit.details = { endpointId: params.endpointId, deliveryId: params.deliveryId };
    const delivery = await findDelivery(service.slug, params.endpointId, params.deliveryId);
    audit.details.eventType = delivery.eventType;
    await redeliver(delivery.id);
    return json({ deliveryId: delivery.id }, 202);
  },
});
