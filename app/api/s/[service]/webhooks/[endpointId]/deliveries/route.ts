import { webhookDeliveriesQuerySchema, webhookEndpointParamsSchema } from '@/lib/schemas/webhook';
import { json, route } from '@/server/http/route';
import { listDeliveries } from '@/server/webhooks/endpoints';

/** The endpoint's delivery log: newest first, each delivery with its latest attempts and their answers. */
export const GET = route({
  path: '/api/s/[service]/webhooks/[endpointId]/deliveries',
  permission: 'webhooks:manage',
  params: webhookEndpointParamsSchema,
  query: webhookDeliveriesQuerySchema,
  handler: async ({ params, query, service }) => json(await listDeliveries(service.slug, params.endpointId, query)),
});
