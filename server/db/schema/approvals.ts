import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { authUser } from './auth';

/**
 * Four-eyes requests (server/approvals): a dangerous action one person asked for, waiting for another
 * admin. `digest` is the SHA-256 of the action exactly as the server previewed it; only a request with
 * the same digest may use the approval, and only once (`state` moves pending → approved → executed,
 * or to rejected / expired, each step a guarded update so two clicks cannot both win).
 */
export const approvals = pgTable(
  'approvals',
  {
    id: text('id').primaryKey(),
    /** The kind of action (lib/schemas/approval.ts), e.g. bulk_issue, revoke_all_client. */
    action: text('action').notNull(),
    /** The service the action is about (its slug). */
    service: text('service').notNull(),
    digest: text('digest').notNull(),
    /** What the approver is shown: counts, client, subject, job; never token values. */
    summary: jsonb('summary').$type<Record<string, unknown>>().notNull(),
    state: text('state', { enum: ['pending', 'approved', 'rejected', 'expired', 'executed'] })
      .notNull()
      .default('pending'),
    requestedBy: text('requested_by')
      .notNull()
      .references(() => authUser.id, { onDelete: 'cascade' }),
    requestedByEmail: text('requested_by_email').notNull(),
    justification: text('justification').notNull(),
    ticket: text('ticket'),
    tokenCount: integer('token_count'),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    decidedBy: text('decided_by').references(() => authUser.id, { onDelete: 'set null' }),
    decidedByEmail: text('decided_by_email'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionNote: text('decision_note'),
    executedAt: timestamp('executed_at', { withTimezone: true }),
  },
  (table) => [
    index('approvals_state_idx').on(table.state, table.expiresAt),
    index('approvals_digest_idx').on(table.digest),
  ],
);
