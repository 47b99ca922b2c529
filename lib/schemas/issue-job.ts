import { z } from 'zod';
import { MAX_BATCH_TOKENS } from './batch';
import { timestampSchema } from './common';
import { tokenCreateInputSchema } from './token';
import {
  CHUNK_STATES,
  DRY_RUN_STATES,
  ISSUE_JOB_STATES,
  ROW_OUTCOMES,
  type IssueJobState,
} from '@/lib/jobs/issue-states';

/**
 * Issue-from-CSV jobs (`/api/jobs`): a CSV file's valid rows split into chunks, each chunk sent
 * as one Authlete batch request. Rows are identified by their index among the job's rows (0-based) and shown by
 * their line in the uploaded file. Token values travel only inside `tokens` bodies, never stored.
 */

export const jobIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9-]{8,64}$/, 'A job ID is 8-64 characters of A-Z, a-z, 0-9 and "-".');

const count = z.number().int().nonnegative();

export const jobChunkPlanSchema = z.strictObject({
  rowFrom: count,
  /** Exclusive. */
  rowTo: count,
  firstLine: z.number().int().positive(),
  lastLine: z.number().int().positive(),
});

/** Body of `POST /api/jobs`: the file's facts and how its rows are split; no rows, no values. */
export const jobCreateInputSchema = z
  .strictObject({
    fileName: z.string().trim().min(1, 'File name is required.').max(255, 'File name is at most 255 characters.'),
    fileSha256: z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 of the file as 64 lower-case hex digits.'),
    fileBytes: count,
    fileRows: count,
    rowCount: z
      .number()
      .int()
      .min(1, 'A job needs at least one row.')
      .max(1_000_000, 'A job holds at most 1,000,000 rows.'),
    excludedRows: count,
    generatedRows: count,
    chunkSize: z
      .number()
      .int()
      .min(1)
      .max(MAX_BATCH_TOKENS, `Chunk size is at most ${MAX_BATCH_TOKENS} (Authlete batch limit in Token Desk).`),
    chunks: z.array(jobChunkPlanSchema).min(1).max(1_000_000),
  })
  .superRefine((input, ctx) => {
    let expected = 0;
    for (const [i, chunk] of input.chunks.entries()) {
      const size = chunk.rowTo - chunk.rowFrom;
      if (chunk.rowFrom !== expected || size < 1 || size > input.chunkSize || chunk.lastLine < chunk.firstLine) {
        ctx.addIssue({
          code: 'custom',
          path: ['chunks', i],
          message: 'Chunks must cover the rows in order, each 1..chunkSize rows.',
        });
        return;
      }
      expected = chunk.rowTo;
    }
    if (expected !== input.rowCount)
      ctx.addIssue({ code: 'custom', path: ['chunks'], message: 'Chunks must cover exactly rowCount rows.' });
  });
export type JobCreateInput = z.infer<typeof jobCreateInputSchema>;

/** Body of a chunk's dry run or submission: its rows, in order, with their values. */
export const chunkTokensInputSchema = z
  .strictObject({
    tokens: z.array(tokenCreateInputSchema).min(1).max(MAX_BATCH_TOKENS),
    /**
     * The file line of each row (same order). A service without the batch API (Authlete 2.x) needs
     * them on submission: its rows are created one by one and a refused row is recorded by its line.
     */
    lines: z.array(z.number().int().positive()).max(MAX_BATCH_TOKENS).optional(),
  })
  .refine((input) => input.lines === undefined || input.lines.length === input.tokens.length, {
    path: ['lines'],
    message: 'Send one line per row.',
  });

/** Body of narrowing a failed chunk: every row of the chunk with its index, line and values. */
export const chunkNarrowInputSchema = z.strictObject({
  rows: z
    .array(
      z.strictObject({
        index: count,
        line: z.number().int().positive(),
        token: tokenCreateInputSchema,
      }),
    )
    .min(1)
    .max(MAX_BATCH_TOKENS),
});

export const jobStateSchema = z.enum(ISSUE_JOB_STATES);
export type JobState = IssueJobState;

export const chunkStateSchema = z.enum(CHUNK_STATES);

export const dryRunStateSchema = z.enum(DRY_RUN_STATES);

export const jobSchema = z.object({
  id: z.string(),
  createdAt: timestampSchema,
  createdBy: z.object({ id: z.string(), email: z.string() }),
  fileName: z.string(),
  fileSha256: z.string(),
  fileBytes: count,
  fileRows: count,
  rowCount: count,
  excludedRows: count,
  generatedRows: count,
  chunkSize: count,
  /**
   * How chunks reach Authlete: one batch request each, or (a service without Authlete's batch
   * API: 2.x) one create per row, a few at a time from the queue, which is slower.
   */
  issueMode: z.enum(['batch', 'single']),
  state: jobStateSchema,
  submittedAt: timestampSchema.nullable(),
  finishedAt: timestampSchema.nullable(),
  tokensCreated: count,
  alreadyPresent: count,
  /** Rows Authlete rejected when they were submitted. */
  rejectedRows: count,
  /** Rows Authlete rejected in the dry run, which the admin excluded: never sent, never created. */
  dryRunRejectedRows: count,
});
export type Job = z.infer<typeof jobSchema>;

export const jobChunkSchema = z.object({
  seq: count,
  parentSeq: count.nullable(),
  rowRanges: z.array(z.tuple([count, count])),
  rowCount: count,
  firstLine: count,
  lastLine: count,
  dryRunState: dryRunStateSchema,
  dryRunRequestId: z.string().nullable(),
  dryRunErrorCode: z.string().nullable(),
  dryRunErrorDescription: z.string().nullable(),
  state: chunkStateSchema,
  requestId: z.string().nullable(),
  tokenCount: count,
  errorCode: z.string().nullable(),
  errorDescription: z.string().nullable(),
  submittedAt: timestampSchema.nullable(),
  finishedAt: timestampSchema.nullable(),
  checks: count,
  /** Issue mode `single`: rows of the chunk already created or accounted for. */
  rowsDone: count,
});
export type JobChunk = z.infer<typeof jobChunkSchema>;

export const rowOutcomeSchema = z.object({
  rowIndex: count,
  line: count,
  chunkSeq: count,
  outcome: z.enum(ROW_OUTCOMES),
  errorCode: z.string().nullable(),
  errorDescription: z.string().nullable(),
});
export type RowOutcome = z.infer<typeof rowOutcomeSchema>;

export const jobDetailResponseSchema = z.object({
  job: jobSchema,
  chunks: z.array(jobChunkSchema),
  outcomes: z.array(rowOutcomeSchema),
  /** More outcomes exist than were returned. */
  outcomesTruncated: z.boolean(),
});
export type JobDetailResponse = z.infer<typeof jobDetailResponseSchema>;

export const jobListQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const jobListResponseSchema = z.object({
  jobs: z.array(jobSchema),
  totalCount: count,
  page: z.number().int().positive(),
  pageSize: z.number().int().positive(),
});
export type JobListResponse = z.infer<typeof jobListResponseSchema>;

export const chunkNarrowResultSchema = z.object({
  alreadyPresent: count,
  rejected: count,
  /** The new chunk carrying the remaining rows, when there are any. */
  resubmittedSeq: count.nullable(),
  resubmittedRows: count,
});
export type ChunkNarrowResult = z.infer<typeof chunkNarrowResultSchema>;

/** Answer of narrowing a chunk whose dry run failed: every bad row found, with Authlete's error. */
export const dryRunNarrowResultSchema = z.object({
  seq: count,
  badRows: z.array(rowOutcomeSchema),
  dryRuns: count,
  maxDryRuns: count,
  /** The dry-run budget ran out: more bad rows may remain among the others. */
  limitReached: z.boolean(),
});
export type DryRunNarrowResult = z.infer<typeof dryRunNarrowResultSchema>;

/** Body of excluding a narrowed chunk's bad rows: the file lines of the first and last remaining row (null when none remain). */
export const excludeBadRowsInputSchema = z.strictObject({
  remaining: z
    .strictObject({ firstLine: z.number().int().positive(), lastLine: z.number().int().positive() })
    .nullable(),
});
export type ExcludeBadRowsInput = z.infer<typeof excludeBadRowsInputSchema>;

export const excludeBadRowsResultSchema = z.object({
  excludedRows: count,
  /** The new chunk with the remaining rows (it needs its own dry run), or null when none remain. */
  chunk: jobChunkSchema.nullable(),
});
export type ExcludeBadRowsResult = z.infer<typeof excludeBadRowsResultSchema>;
