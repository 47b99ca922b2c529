import {
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * Bulk-issuing jobs from CSV files, kept beyond Authlete's batch retention. A job holds who
 * submitted which file (name, size, SHA-256) and how its rows were split into Authlete batches.
 * Never token values: those exist only in the admin's browser and in Authlete.
 */
export const batchJobs = pgTable(
  'batch_jobs',
  {
    id: text('id').primaryKey(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    createdById: text('created_by_id').notNull(),
    createdByEmail: text('created_by_email').notNull(),
    fileName: text('file_name').notNull(),
    fileSha256: text('file_sha256').notNull(),
    fileBytes: integer('file_bytes').notNull(),
    /** Data rows in the file, rows to issue (valid, not excluded) and rows the admin excluded as invalid. */
    fileRows: integer('file_rows').notNull(),
    rowCount: integer('row_count').notNull(),
    excludedRows: integer('excluded_rows').notNull().default(0),
    /** Rows whose values the browser generated (the admin downloaded them once). */
    generatedRows: integer('generated_rows').notNull().default(0),
    chunkSize: integer('chunk_size').notNull(),
    /** draft (dry run only) | submitting | processing | attention | completed (derived from the chunks, stored for the list). */
    state: text('state').notNull().default('draft'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    tokensCreated: integer('tokens_created').notNull().default(0),
    alreadyPresent: integer('already_present').notNull().default(0),
    /** Rows Authlete rejected when submitted for real (never rows the admin excluded after the dry run). */
    rejectedRows: integer('rejected_rows').notNull().default(0),
    /** Rows Authlete rejected in the dry run that the admin excluded: never sent, never created. */
    dryRunRejectedRows: integer('dry_run_rejected_rows').notNull().default(0),
  },
  (table) => [index('batch_jobs_created_at_idx').on(table.createdAt.desc())],
);

/**
 * One Authlete batch of a job: the rows it carries (ranges of the job's row indexes, half-open),
 * its dry run and its real submission with Authlete's request ids and results. A failed chunk is
 * narrowed: its bad rows become row outcomes and the rest goes into a new chunk (parentSeq).
 */
export const batchChunks = pgTable(
  'batch_chunks',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    jobId: text('job_id')
      .notNull()
      .references(() => batchJobs.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    parentSeq: integer('parent_seq'),
    rowRanges: jsonb('row_ranges').$type<[number, number][]>().notNull(),
    rowCount: integer('row_count').notNull(),
    firstLine: integer('first_line').notNull(),
    lastLine: integer('last_line').notNull(),
    /** none | running | succeeded | failed */
    dryRunState: text('dry_run_state').notNull().default('none'),
    dryRunRequestId: text('dry_run_request_id'),
    dryRunErrorCode: text('dry_run_error_code'),
    dryRunErrorDescription: text('dry_run_error_description'),
    /**
     * SHA-256 of the canonical rows of the chunk's latest dry run (server/batches/digest.ts): the
     * chunk may only be submitted or narrowed with exactly these rows.
     */
    dryRunDigest: text('dry_run_digest'),
    /** pending | submitting | running | succeeded | failed | unknown (sent, answer lost) | narrowed */
    state: text('state').notNull().default('pending'),
    requestId: text('request_id'),
    tokenCount: integer('token_count').notNull().default(0),
    errorCode: text('error_code'),
    errorDescription: text('error_description'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** Status polling: how often Authlete was asked, and not before when to ask again (backoff). */
    checks: integer('checks').notNull().default(0),
    nextCheckAt: timestamp('next_check_at', { withTimezone: true }),
  },
  (table) => [uniqueIndex('batch_chunks_job_seq_idx').on(table.jobId, table.seq)],
);

/** Rows of a job that were not created by it: already present in Authlete, or rejected by Authlete. */
export const batchRowOutcomes = pgTable(
  'batch_row_outcomes',
  {
    jobId: text('job_id')
      .notNull()
      .references(() => batchJobs.id, { onDelete: 'cascade' }),
    rowIndex: integer('row_index').notNull(),
    line: integer('line').notNull(),
    chunkSeq: integer('chunk_seq').notNull(),
    /** already_present | rejected */
    outcome: text('outcome').notNull(),
    errorCode: text('error_code'),
    errorDescription: text('error_description'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.jobId, table.rowIndex] })],
);
