import { storedServiceInputSchema } from '@/lib/schemas/service';
import { json, route } from '@/server/http/route';
import { envelopeKeys, testConnection } from '@/server/services/manage';
import { targetOf } from '@/server/services/stored';

/** "Test connection" before adding a service: one call with the credentials as typed (nothing is stored). */
export const POST = route({
  path: '/api/s/[service]/services/connection-test',
  permission: 'services:manage',
  audit: 'service.test',
  stepUp: true,
  body: storedServiceInputSchema,
  handler: async ({ body, audit }) => {
    envelopeKeys();
    audit.details = { slug: body.slug, baseUrl: body.baseUrl, serviceId: body.serviceId };
    const result = await testConnection(targetOf(body));
    audit.details.ok = result.ok;
    return json(result);
  },
});
