import { z } from 'zod';
import { jobIdSchema } from '@/lib/schemas/issue-job';

/** Route parameters of `/api/jobs/[jobId]/...`. */
export const jobParamsSchema = z.object({ jobId: jobIdSchema });
export const chunkParamsSchema = z.object({
  jobId: jobIdSchema,
  seq: z.coerce.number({ error: 'Chunk number must be a whole number.' }).int().min(0).max(10_000_000),
});

/** 1000 rows with properties and supplied values, as JSON. */
export const MAX_CHUNK_BODY_BYTES = 4 * 1024 * 1024;
