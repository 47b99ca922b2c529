import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { jobs } from './jobs';

/**
 * A revoke-by-query job's own row (same id as its `jobs` record): the service, the query, the
 * scan cursor while previewing, the preview and its digest, why and under which ticket it runs,
 * and a lease so one worker at a time works on it.
 */
export const revokeJobs = pgTable('revoke_jobs', {
  id: text('id')
    .primaryKey()
    .references(() => jobs.id, { onDelete: 'cascade' }),
  service: text('service').notNull(),
  query: jsonb('query').notNull(),
  subjectsUploaded: integer('subjects_uploaded').notNull().default(0),
  /** Where the preview scan stands: `{ client: index in clients, offset }`; null when not scanning. */
  scanCursor: jsonb('scan_cursor'),
  /** Tokens read by the preview scan so far. */
  scanned: integer('scanned').notNull().default(0),
  /** Clients the query covers, fixed when the preview starts. */
  clients: jsonb('clients'),
  preview: jsonb('preview'),
  digest: text('digest'),
  reason: text('reason'),
  ticket: text('ticket'),
  /** Items with an outcome (done: revoked or already gone; failed), and tokens Authlete said it revoked. */
  itemsDone: integer('items_done').notNull().default(0),
  itemsFailed: integer('items_failed').notNull().default(0),
  revokedTokens: integer('revoked_tokens').notNull().default(0),
  startedAt: timestamp('started_at', { withTimezone: true }),
  leaseUntil: timestamp('lease_until', { withTimezone: true }),
});

/**
 * One upstream revoke call of a job and, once made, its outcome: the work list and the report in
 * one. `key` makes each call's item unique within its job, so a chunk uploaded twice or a token
 * listed twice is one item.
 */
export const revokeItems = pgTable(
  'revoke_items',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    jobId: text('job_id')
      .notNull()
      .references(() => revokeJobs.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    /** `client` (all of a client's tokens), `subject` (a subject's, optionally of one client) or `token` (one hash). */
    kind: text('kind').notNull(),
    clientId: text('client_id'),
    subject: text('subject'),
    tokenHash: text('token_hash'),
    /** Null until done: `revoked`, `gone` (nothing left to revoke: done too) or `failed`. */
    outcome: text('outcome'),
    /** Tokens Authlete said it revoked. */
    count: integer('count'),
    resultCode: text('result_code'),
  },
  (table) => [
    uniqueIndex('revoke_items_job_key_idx').on(table.jobId, table.key),
    index('revoke_items_job_outcome_idx').on(table.jobId, table.outcome, table.id),
  ],
);
