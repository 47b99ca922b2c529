import { can } from '@/lib/roles';
import type { ExportKind } from '@/lib/schemas/export';
import { exportPermission, listExports, toExportJob } from '@/server/jobs/export';
import { json, route } from '@/server/http/route';

/** The person's exports (an admin's: everyone's), newest first, until they expire. */
export const GET = route({
  path: '/api/s/[service]/exports',
  permission: 'tokens:read',
  handler: async ({ actor, service }) => {
    const rows = (await listExports(service.slug, actor.role === 'admin' ? null : actor.id)).filter((row) =>
      can(actor.role, exportPermission[row.kind as ExportKind]),
    );
    return json({ exports: rows.map(toExportJob) });
  },
});
