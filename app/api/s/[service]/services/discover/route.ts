import { serviceDiscoveryInputSchema } from '@/lib/schemas/service';
import { json, route } from '@/server/http/route';
import { discoverServices, envelopeKeys } from '@/server/services/manage';

/**
 * The services a 3.x organization token sees on a cluster (`GET /api/service/get/list`), to offer
 * each for adding. The token is used for this call only: never stored, logged or audited.
 */
export const POST = route({
  path: '/api/s/[service]/services/discover',
  permission: 'services:manage',
  audit: 'service.discover',
  stepUp: true,
  body: serviceDiscoveryInputSchema,
  handler: async ({ body, audit, signal }) => {
    envelopeKeys();
    audit.details = { baseUrl: body.baseUrl };
    const services = await discoverServices(body, signal);
    audit.details.found = services.length;
    return json({ services });
  },
});
