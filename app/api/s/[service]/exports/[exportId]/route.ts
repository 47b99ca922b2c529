import { exportParamsSchema } from '@/lib/schemas/export';
import { findExportFor, toExportJob } from '@/server/jobs/export';
import { json, route } from '@/server/http/route';
import { exportNotFound } from '../not-found';

/** An export's progress (the job workers advance it). */
export const GET = route({
  path: '/api/s/[service]/exports/[exportId]',
  permission: 'tokens:read',
  clientScoped: true,
  params: exportParamsSchema,
  handler: async ({ actor, params, service, clientScope }) => {
    const row = await findExportFor(params.exportId, actor, service.slug, clientScope);
    if (!row) throw exportNotFound();
    return json({ export: toExportJob(row) });
  },
});
