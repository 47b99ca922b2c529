import { storedServiceParamsSchema, storedServiceUpdateSchema } from '@/lib/schemas/service';
import { getDb } from '@/server/db';
import { json, route } from '@/server/http/route';
import { invalidateServices } from '@/server/services';
import { envelopeKeys } from '@/server/services/manage';
import { deleteStoredService, updateStoredService } from '@/server/services/stored';

/** Changes a stored service (no credentials: keep them), or disables it (refused while its jobs run). */
export const PATCH = route({
  path: '/api/s/[service]/services/stored/[slug]',
  permission: 'services:manage',
  audit: 'service.update',
  stepUp: true,
  params: storedServiceParamsSchema,
  body: storedServiceUpdateSchema,
  handler: async ({ params, body, audit, actor }) => {
    const { credentials, ...changes } = body;
    // Whether the credential was replaced, never what it is.
    audit.details = { slug: params.slug, ...changes, credentialsReplaced: credentials !== undefined };
    const { before, after } = await updateStoredService(await getDb(), envelopeKeys(), params.slug, body, actor.email);
    audit.before = { ...before };
    audit.after = { ...after };
    await invalidateServices();
    return json({ service: after });
  },
});

/** Deletes a stored service (refused while its jobs run); its audit records and job history stay. */
export const DELETE = route({
  path: '/api/s/[service]/services/stored/[slug]',
  permission: 'services:manage',
  audit: 'service.delete',
  stepUp: true,
  params: storedServiceParamsSchema,
  handler: async ({ params, audit }) => {
    audit.details = { slug: params.slug };
    envelopeKeys();
    const deleted = await deleteStoredService(await getDb(), params.slug);
    audit.before = { ...deleted };
    await invalidateServices();
    return json({ service: deleted });
  },
});
