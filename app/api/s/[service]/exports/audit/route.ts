import { auditExportFilterSchema } from '@/lib/schemas/export';
import { startExport } from '@/server/jobs/export';
import { json, route } from '@/server/http/route';

/** Starts an export of the audit log for the audit page's filters, as a job; admins only. */
export const POST = route({
  path: '/api/s/[service]/exports/audit',
  permission: 'audit:read',
  clientScoped: true,
  audit: 'export.create',
  body: auditExportFilterSchema,
  handler: async ({ actor, body, audit, service, clientScope }) => {
    audit.target = { subject: body.subject ?? null };
    const started = await startExport(actor, service.slug, clientScope, 'audit', body);
    audit.details = { exportId: started.id, kind: 'audit', filter: started.filter };
    return json({ export: started }, 201);
  },
});
