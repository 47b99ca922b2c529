import { revokeJobParamsSchema, SUBJECT_CHUNK_SIZE, subjectChunkSchema } from '@/lib/schemas/incident';
import { json, route } from '@/server/http/route';
import { addSubjects } from '@/server/jobs/revoke';

/** One chunk of a draft job's subject list (the browser parses the CSV file and sends it in chunks). */
export const POST = route({
  path: '/api/s/[service]/incidents/revocations/[jobId]/subjects',
  permission: 'incidents:revoke',
  audit: 'incident.upload',
  params: revokeJobParamsSchema,
  body: subjectChunkSchema,
  // A chunk of 100-character subjects, JSON-quoted.
  maxBodyBytes: SUBJECT_CHUNK_SIZE * 110 + 1024,
  handler: async ({ params, body, service, audit }) => {
    audit.details = { jobId: params.jobId, service: service.slug, chunk: body.seq };
    const added = await addSubjects(params.jobId, service.slug, body.subjects);
    audit.count = added;
    return json({ added });
  },
});
