import { z } from 'zod';
import { timestampSchema } from './common';

/** Most rows one batch may carry; larger files are split by the caller. */
export const MAX_BATCH_TOKENS = 1000;

/** Where an Authlete batch stands (read by the job routes). A FAILED batch may have created some tokens. */
export const batchStatusSchema = z.object({
  requestId: z.string(),
  /** `running` while Authlete has not reported a result yet. */
  state: z.enum(['running', 'succeeded', 'failed']),
  tokenCount: z.number().int().nonnegative(),
  errorCode: z.string().optional(),
  errorDescription: z.string().optional(),
  createdAt: timestampSchema.optional(),
  modifiedAt: timestampSchema.optional(),
});
export type BatchStatus = z.infer<typeof batchStatusSchema>;
