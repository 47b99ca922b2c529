import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Append-only record of every mutation, denial and sign-in. Holds token hashes, never token values.
 * Written by server/audit; the columns mirror AuditEntry there.
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
  },
  (table) => [
    index('audit_log_occurred_at_idx').on(table.occurredAt.desc(), table.id.desc()),
    index('audit_log_actor_email_idx').on(table.actorEmail),
    index('audit_log_action_idx').on(table.action),
    index('audit_log_subject_idx').on(table.subject),
  ],
);
