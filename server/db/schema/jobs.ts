import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Every job a person started (issue from CSV, export, …), whatever its type: who, when, where it
 * stands and how far it got. The work itself runs on the queue (pg-boss, in its own `pgboss`
 * schema); a type keeps its own details in its own tables (e.g. issue_jobs). `state` is one of the
 * type's states (server/jobs/core/define.ts), checked on every read and changed only by
 * `transitionJob()`.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    state: text('state').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    createdById: text('created_by_id').notNull(),
    createdByEmail: text('created_by_email').notNull(),
    /** The slug of the Authlete service the job works on (server/services); rows from before several services: `default`. */
    service: text('service').notNull().default('default'),
    /** Units of work done out of `progressTotal` (rows, tokens…; null total: not known yet). */
    progressDone: integer('progress_done').notNull().default(0),
    progressTotal: integer('progress_total'),
    /** The type's input, validated by its payload schema; never a secret. */
    payload: jsonb('payload').notNull().default({}),
    /** What the type produced (e.g. a download's location), when it has finished. */
    result: jsonb('result'),
    /** Why the job stopped, in a sentence a person can act on. */
    error: text('error'),
  },
  (table) => [index('jobs_type_created_at_idx').on(table.type, table.createdAt.desc())],
);
