import { can } from '@/lib/roles';
import type { ExportKind } from '@/lib/schemas/export';
import { exportPermission, listExports, toExportJob } from '@/server/jobs/export';
import { json, route } from '@/server/http/route';
import { isAllClients } from '@/server/auth/scope';

/** The person's exports (an admin of every client: everyone's), newest first, until they expire. */
export const GET = route({
  path: '/api/s/[service]/exports',
  permission: 'tokens:read',
  clientScoped: true,
  handler: async ({ actor, service, clientScope }) => {
    const everyone = actor.role === 'admin' && isAllClients(clientScope);
    const rows = (await listExports(service.slug, everyone ? null : actor.id)).filter((row) =>
      can(actor.role, exportPermission[row.kind as ExportKind]),
    );
    return json({ exports: rows.map(toExportJob) });
  },
});
