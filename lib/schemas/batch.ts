import { z } from 'zod';
import { timestampSchema } from './common';
import { tokenCreateInputSchema } from './token';

/** Most rows one batch may carry; larger files are split by the caller. */
export const MAX_BATCH_TOKENS = 1000;

/** Authlete batch request ids are opaque; this allowlist keeps them safe in a URL path. */
export const batchRequestIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, 'A batch request ID is 1-128 characters of A-Z, a-z, 0-9, "-" and "_".');

/** Body of `POST /api/batches`. */
export const batchCreateInputSchema = z.strictObject({
  tokens: z
    .array(tokenCreateInputSchema)
    .min(1, 'A batch needs at least one token.')
    .max(MAX_BATCH_TOKENS, `A batch holds at most ${MAX_BATCH_TOKENS} tokens; split the file.`),
  /** True: Authlete validates every row but creates nothing. */
  dryRun: z.boolean().default(false),
});
export type BatchCreateInput = z.infer<typeof batchCreateInputSchema>;

export const batchCreatedSchema = z.object({ requestId: z.string(), dryRun: z.boolean() });
export type BatchCreated = z.infer<typeof batchCreatedSchema>;

/** `GET /api/batches/{requestId}`. A FAILED batch may have created some tokens. */
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
