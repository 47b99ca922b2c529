import { exportParamsSchema } from '@/lib/schemas/export';
import { findExportFor, isStalled, startExportRun, toExportJob } from '@/server/exports';
import { json, route } from '@/server/http/route';
import { exportNotFound } from '../not-found';

/** An export's progress; one whose worker stopped (a restart) is taken on again. */
export const GET = route({
  path: '/api/exports/[exportId]',
  permission: 'tokens:read',
  params: exportParamsSchema,
  handler: async ({ actor, params }) => {
    const row = await findExportFor(params.exportId, actor);
    if (!row) throw exportNotFound();
    if (isStalled(row)) startExportRun(row.id);
    return json({ export: toExportJob(row) });
  },
});
