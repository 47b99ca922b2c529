import { storedServiceParamsSchema, storedServiceUpdateSchema } from '@/lib/schemas/service';
import { getDb } from '@/server/db';
import { json, route } from '@/server/http/route';
import { envelopeKeys, testConnection } from '@/server/services/manage';
import { targetAfterUpdate } from '@/server/services/stored';

/** "Test connection" while editing: the stored service with the edit on top (blank credentials: the stored ones). */
export const POST = route({
  path: '/api/s/[service]/services/stored/[slug]/connection-test',
  permission: 'services:manage',
  audit: 'service.test',
  stepUp: true,
  params: storedServiceParamsSchema,
  body: storedServiceUpdateSchema,
  handler: async ({ params, body, audit }) => {
    const target = await targetAfterUpdate(await getDb(), envelopeKeys(), params.slug, body);
    audit.details = { slug: params.slug, baseUrl: target.baseUrl, serviceId: target.serviceId };
    const result = await testConnection(target);
    audit.details.ok = result.ok;
    return json(result);
  },
});
