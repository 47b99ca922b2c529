import { batchCreateInputSchema } from '@/lib/schemas';
import { getAuthleteClient } from '@/server/authlete';
import { json, route } from '@/server/http/route';

/** Starts an asynchronous batch create (or a dry run that creates nothing); poll its status. */
export const POST = route({
  path: '/api/batches',
  permission: 'batches:write',
  audit: 'batch.create',
  body: batchCreateInputSchema,
  // 1000 rows with properties and supplied values fit well within this.
  maxBodyBytes: 4 * 1024 * 1024,
  handler: async ({ body, audit }) => {
    audit.action = body.dryRun ? 'batch.dry_run' : 'batch.create';
    audit.count = body.tokens.length;
    const { requestId } = await getAuthleteClient().createBatch(body.tokens, body.dryRun);
    audit.target = { batchRequestId: requestId };
    return json({ requestId, dryRun: body.dryRun }, 202);
  },
});
