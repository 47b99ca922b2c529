import { webhookEndpointCreateInputSchema } from '@/lib/schemas/webhook';
import { json, route } from '@/server/http/route';
import { createEndpoint, listEndpoints } from '@/server/webhooks/endpoints';

/** The service's webhook endpoints (never their secrets), each with its pending and failed deliveries. */
export const GET = route({
  path: '/api/s/[service]/webhooks',
  permission: 'webhooks:manage',
  handler: async ({ service }) => json({ endpoints: await listEndpoints(service.slug) }),
});

/** A new endpoint; its `whsec_` secret is in this answer only. The URL must pass the SSRF guard. */
export const POST = route({
  path: '/api/s/[service]/webhooks',
  permission: 'webhooks:manage',
  audit: 'webhook.create',
  body: webhookEndpointCreateInputSchema,
  handler: async ({ body, audit, service, actor }) => {
    audit.details = { url: body.url, eventTypes: body.eventTypes };
    const created = await createEndpoint({ ...body, service: service.slug, createdBy: actor.id });
    audit.details.endpointId = created.id;
    return json(created, 201);
  },
});
