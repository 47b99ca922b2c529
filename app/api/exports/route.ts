import { can } from '@/lib/roles';
import type { ExportKind } from '@/lib/schemas/export';
import { exportPermission, isStalled, listExports, startExportRun, toExportJob } from '@/server/exports';
import { json, route } from '@/server/http/route';

/** The person's exports (an admin's: everyone's), newest first, until they expire. */
export const GET = route({
  path: '/api/exports',
  permission: 'tokens:read',
  handler: async ({ actor }) => {
    const rows = (await listExports(actor.role === 'admin' ? null : actor.id)).filter((row) =>
      can(actor.role, exportPermission[row.kind as ExportKind]),
    );
    for (const row of rows) if (isStalled(row)) startExportRun(row.id);
    return json({ exports: rows.map(toExportJob) });
  },
});
