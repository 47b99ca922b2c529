import { tokenExportFilterSchema } from '@/lib/schemas/export';
import { startExport } from '@/server/jobs/export';
import { json, route } from '@/server/http/route';

/** Starts an export of every token matching the token page's filters, as a job. */
export const POST = route({
  path: '/api/s/[service]/exports/tokens',
  permission: 'tokens:read',
  clientScoped: true,
  audit: 'export.create',
  body: tokenExportFilterSchema,
  handler: async ({ actor, body, audit, service, clientScope }) => {
    audit.target = { subject: body.subject ?? null, clientId: body.clientId ?? null };
    const started = await startExport(actor, service.slug, clientScope, 'tokens', body);
    audit.details = { exportId: started.id, kind: 'tokens', filter: started.filter };
    return json({ export: started }, 201);
  },
});
