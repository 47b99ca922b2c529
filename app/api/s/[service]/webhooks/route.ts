import { webhookEndpointCreateInputSchema } from '@/lib/schemas/webhook';
import { HttpError } from '@/server/http/errors';
import { json, route } from '@/server/http/route';
import { createEndpoint, listEndpoints } from '@/server/webhooks/endpoints';
import { OutboundRefusedError } from '@/server/webhooks/outbound';

/** The service's webhook endpoints (never their secrets). */
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
    try {
      const created = await createEndpoint({ ...body, service: service.slug, createdBy: actor.id });
      audit.details.endpointId = created.id;
      return json(created, 201);
    } catch (error) {
      if (!(error instanceof OutboundRefusedError)) throw error;
      throw new HttpError(400, 'validation_failed', error.message, {
        fieldErrors: { url: [error.message] },
        formErrors: [],
      });
    }
  },
});
