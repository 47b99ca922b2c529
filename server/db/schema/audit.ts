import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Append-only record of every mutation, denial and sign-in. Holds token hashes, never token values.
 * Written by server/audit; the columns mirror AuditEntry there.
 *
 * Tamper-evident: each record carries its place in commit order (`seq`, 1, 2, 3 … without gaps),
 * the hash of the record before it (`prev_hash`) and its own SHA-256 over both and every other
 * field (`hash`), see server/audit/chain.ts. Records written before the chain existed are chained
 * by the first write after the upgrade.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    action: text('action').notNull(),
    outcome: text('outcome').notNull(),
    actorId: text('actor_id'),
    actorEmail: text('actor_email'),
    actorRole: text('actor_role'),
    actorMethod: text('actor_method'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    requestId: text('request_id'),
    /** The slug of the Authlete service acted on; null for what belongs to no service (sign-in, staff accounts). */
    service: text('service'),
    tokenHash: text('token_hash'),
    clientId: text('client_id'),
    subject: text('subject'),
    batchRequestId: text('batch_request_id'),
    upstreamStatus: integer('upstream_status'),
    resultCode: text('result_code'),
    errorCode: text('error_code'),
    count: integer('count'),
    reason: text('reason'),
    /** Free-form detail: before/after of an update, the route, counts of a batch. Guarded against values. */
    details: jsonb('details')
      .$type<Record<string, unknown>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    seq: bigint('seq', { mode: 'number' }),
    prevHash: text('prev_hash'),
    hash: text('hash'),
  },
  (table) => [
    uniqueIndex('audit_log_seq_idx').on(table.seq),
    index('audit_log_occurred_at_idx').on(table.occurredAt.desc(), table.id.desc()),
    index('audit_log_actor_email_idx').on(table.actorEmail),
    index('audit_log_action_idx').on(table.action),
    index('audit_log_subject_idx').on(table.subject),
  ],
);

/**
 * The newest link of the audit chain (one row, `chain` = 'audit'), written in the same transaction
 * as the record, under an advisory lock: a record deleted from the end still shows, as the head
 * names a record that is no longer there.
 */
export const auditChainHead = pgTable('audit_chain_head', {
  chain: text('chain').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * How far each configured audit sink (AUDIT_SINKS, server/jobs/audit-sinks) has been sent: `position` is
 * the `seq` of the last record the sink acknowledged, so after an outage it is caught up from the
 * next one. The lease (`lease_owner` until `lease_until`) lets one runner at a time send a sink,
 * across instances and the cron pass; `next_attempt_at` is the backoff after a failure.
 */
export const auditSinkCheckpoint = pgTable('audit_sink_checkpoints', {
  sink: text('sink').primaryKey(),
  position: bigint('position', { mode: 'number' }).notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  lastError: text('last_error'),
  failingSince: timestamp('failing_since', { withTimezone: true }),
  failures: integer('failures').notNull().default(0),
  nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
  leaseOwner: text('lease_owner'),
  leaseUntil: timestamp('lease_until', { withTimezone: true }),
});
