import { jobCreateInputSchema, jobListQuerySchema } from '@/lib/schemas/issue-job';
import { createIssueJob, listIssueJobs } from '@/server/jobs/issue';
import { json, route } from '@/server/http/route';
import { jobOwnerFilter } from '@/server/auth/scope';

/** Every bulk-issuing job, newest first (kept beyond Authlete's batch retention). */
export const GET = route({
  path: '/api/s/[service]/jobs',
  permission: 'batches:read',
  clientScoped: true,
  query: jobListQuerySchema,
  handler: async ({ query, service, actor, clientScope }) =>
    json(await listIssueJobs(service.slug, query.page, query.pageSize, jobOwnerFilter(clientScope, actor.id))),
});

/** Records a new job (file facts and chunk plan, no rows): the start of its dry run. */
export const POST = route({
  path: '/api/s/[service]/jobs',
  permission: 'batches:write',
  clientScoped: true,
  audit: 'job.create',
  body: jobCreateInputSchema,
  maxBodyBytes: 2 * 1024 * 1024,
  handler: async ({ actor, body, audit, service, authlete }) => {
    const detail = await createIssueJob({ id: actor.id, email: actor.email, service: service.slug }, body, {
      client: authlete,
    });
    audit.count = body.rowCount;
    audit.details = {
      jobId: detail.job.id,
      fileName: body.fileName,
      fileSha256: body.fileSha256,
      chunks: body.chunks.length,
      issueMode: detail.job.issueMode,
    };
    return json(detail, 201);
  },
});
