import { webhookEndpointParamsSchema, webhookEndpointUpdateInputSchema } from '@/lib/schemas/webhook';
import { json, route } from '@/server/http/route';
import { deleteEndpoint, updateEndpoint } from '@/server/webhooks/endpoints';

/** Changes an endpoint's address (SSRF guard again), description, event filter, or turns it on or off. */
export const PATCH = route({
  path: '/api/s/[service]/webhooks/[endpointId]',
  permission: 'webhooks:manage',
  audit: 'webhook.update',
  params: webhookEndpointParamsSchema,
  body: webhookEndpointUpdateInputSchema,
  handler: async ({ params, body, audit, service }) => {
    audit.details = { endpointId: params.endpointId, change: body };
    const { before, after } = await updateEndpoint(service.slug, params.endpointId, body);
    audit.details.before = { url: before.url, eventTypes: before.eventTypes, enabled: before.enabled };
    return json({ endpoint: after });
  },
});

/** Removes an endpoint; its pending deliveries are never sent. A receiver stops hearing from this service. */
export const DELETE = route({
  path: '/api/s/[service]/webhooks/[endpointId]',
  permission: 'webhooks:manage',
  audit: 'webhook.delete',
  stepUp: true,
  params: webhookEndpointParamsSchema,
  handler: async ({ params, audit, service }) => {
    audit.details = { endpointId: params.endpointId };
    const deleted = await deleteEndpoint(service.slug, params.endpointId);
    audit.details.url = deleted.url;
    return json({ endpoint: deleted });
  },
});
