import { revokeJobParamsSchema } from '@/lib/schemas/incident';
import { route } from '@/server/http/route';
import { revokeReport } from '@/server/jobs/revoke';

/** The per-item report (CSV: subject or hash, client, outcome, Authlete result code), streamed. */
export const GET = route({
  path: '/api/s/[service]/incidents/revocations/[jobId]/report',
  permission: 'incidents:revoke',
  params: revokeJobParamsSchema,
  handler: async ({ params, service }) =>
    new Response(await revokeReport(params.jobId, service.slug), {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="revocation-${params.jobId}.csv"`,
        'Cache-Control': 'no-store',
      },
    }),
});
