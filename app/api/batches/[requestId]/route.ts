import { z } from 'zod';
import { batchRequestIdSchema } from '@/lib/schemas';
import { getAuthleteClient } from '@/server/authlete';
import { json, route } from '@/server/http/route';

/** Where a batch stands: running, succeeded or failed (a failed batch may have created some tokens). */
export const GET = route({
  path: '/api/batches/[requestId]',
  permission: 'batches:read',
  params: z.object({ requestId: batchRequestIdSchema }),
  handler: async ({ params }) => json(await getAuthleteClient().getBatchStatus(params.requestId)),
});
