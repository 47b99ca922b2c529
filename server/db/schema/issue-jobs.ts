import { CHUNK_STATES, DRY_RUN_STATES, ROW_OUTCOMES } from '@/lib/jobs/issue-states';
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
import { jobs } from './jobs';

/**
 * The details of an issue-from-CSV job (its record, state and owner are in `jobs`), kept beyond
 * Authlete's batch retention: which file (name, size, SHA-256) and how its rows were split into
 * chunks. Never token values: those exist only in the admin's browser and in Authlete.
 */
export const issueJobs = pgTable('issue_jobs', {
  id: text('id')
    .primaryKey()
    .references(() => jobs.id, { onDelete: 'cascade' }),
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
  /**
   * How chunks reach Authlete: `batch`, one batch request per chunk (Authlete 3.x), or `single`, one
   * create per row from the queue (a service without the batch API: Authlete 2.x).
   */
  issueMode: text('issue_mode', { enum: ['batch', 'single'] })
    .notNull()
    .default('batch'),
  submittedAt: timestamp('submitted_at', { withTimezone: true }),
  tokensCreated: integer('tokens_created').notNull().default(0),
  alreadyPresent: integer('already_present').notNull().default(0),
  /** Rows Authlete rejected when submitted for real (never rows the admin excluded after the dry run). */
  rejectedRows: integer('rejected_rows').notNull().default(0),
  /** Rows Authlete rejected in the dry run that the admin excluded: never sent, never created. */
  dryRunRejectedRows: integer('dry_run_rejected_rows').notNull().default(0),
});

/**
 * One chunk of an issue job, sent as one Authlete batch request: the rows it carries (ranges of
 * the job's row indexes, half-open), its dry run and its real submission with Authlete's request
 * ids and results. A failed chunk is narrowed: its bad rows become row outcomes and the rest goes
 * into a new chunk (parentSeq). Both state columns follow lib/jobs/issue-states.ts.
 */
export const issueChunks = pgTable(
  'issue_chunks',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    jobId: text('job_id')
      .notNull()
      .references(() => issueJobs.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    parentSeq: integer('parent_seq'),
    rowRanges: jsonb('row_ranges').$type<[number, number][]>().notNull(),
    rowCount: integer('row_count').notNull(),
    firstLine: integer('first_line').notNull(),
    lastLine: integer('last_line').notNull(),
    dryRunState: text('dry_run_state', { enum: DRY_RUN_STATES }).notNull().default('none'),
    dryRunRequestId: text('dry_run_request_id'),
    dryRunErrorCode: text('dry_run_error_code'),
    dryRunErrorDescription: text('dry_run_error_description'),
    /**
     * SHA-256 of the canonical rows of the chunk's latest dry run (server/jobs/issue/digest.ts): the
     * chunk may only be submitted or narrowed with exactly these rows.
     */
    dryRunDigest: text('dry_run_digest'),
    state: text('state', { enum: CHUNK_STATES }).notNull().default('pending'),
    requestId: text('request_id'),
    tokenCount: integer('token_count').notNull().default(0),
    errorCode: text('error_code'),
    errorDescription: text('error_description'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** Status polling: how often Authlete was asked, and not before when to ask again (backoff). */
    checks: integer('checks').notNull().default(0),
    nextCheckAt: timestamp('next_check_at', { withTimezone: true }),
    /**
     * Single creates (issue mode `single`): the chunk's rows, values included, sealed
     * (server/jobs/issue/sealed.ts) while the queue creates them one by one, and dropped when the
     * chunk ends. Rows before `rowsDone` are accounted for; rows up to `inFlightTo` may have been
     * sent by a step that did not finish (a value found in Authlete among them was created by it).
     */
    sealedRows: text('sealed_rows'),
    rowsDone: integer('rows_done').notNull().default(0),
    inFlightTo: integer('in_flight_to').notNull().default(0),
  },
  (table) => [uniqueIndex('issue_chunks_job_seq_idx').on(table.jobId, table.seq)],
);

/** Rows of an issue job that were not created by it: already present in Authlete, or rejected by Authlete. */
export const issueRowOutcomes = pgTable(
  'issue_row_outcomes',
  {
    jobId: text('job_id')
      .notNull()
      .references(() => issueJobs.id, { onDelete: 'cascade' }),
    rowIndex: integer('row_index').notNull(),
    line: integer('line').notNull(),
    chunkSeq: integer('chunk_seq').notNull(),
    outcome: text('outcome', { enum: ROW_OUTCOMES }).notNull(),
    errorCode: text('error_code'),
    errorDescription: text('error_description'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.jobId, table.rowIndex] })],
);

/**
 * The access token hash of each row an issue job sent (a hash, never a value: Authlete shows it on
 * every token), so a token's page can say which job and file issued it.
 */
export const issueRowTokens = pgTable(
  'issue_row_tokens',
  {
    jobId: text('job_id')
      .notNull()
      .references(() => issueJobs.id, { onDelete: 'cascade' }),
    rowIndex: integer('row_index').notNull(),
    /** The row's line in the file, where the browser sent it (single creates). */
    line: integer('line'),
    tokenHash: text('token_hash').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.jobId, table.rowIndex] }),
    index('issue_row_tokens_hash_idx').on(table.tokenHash),
  ],
);
