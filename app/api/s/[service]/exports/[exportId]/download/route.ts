import { exportParamsSchema } from '@/lib/schemas/export';
import { exportFileBytes, exportFileStream, findExportFor, toExportJob } from '@/server/jobs/export';
import { HttpError } from '@/server/http/errors';
import { route } from '@/server/http/route';
import { exportNotFound } from '../../not-found';

/** The finished CSV file, streamed from its stored parts; only to its creator (and admins). */
export const GET = route({
  path: '/api/s/[service]/exports/[exportId]/download',
  permission: 'tokens:read',
  clientScoped: true,
  params: exportParamsSchema,
  handler: async ({ actor, params, service, clientScope }) => {
    const row = await findExportFor(params.exportId, actor, service.slug, clientScope);
    if (!row) throw exportNotFound();
    if (row.state !== 'succeeded') {
      throw new HttpError(409, 'conflict', 'This export has not finished; download it when it is done.', {
        state: row.state,
      });
    }
    return new Response(exportFileStream(row.id), {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${toExportJob(row).fileName}"`,
        'Content-Length': String(exportFileBytes(row)),
        'Cache-Control': 'no-store',
      },
    });
  },
});
