import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Exports of a long list (tokens, audit log) run as jobs: who asked for which filter, where the
 * reading has got to (`cursor`, advanced with `steps` as a compare-and-set so a step is never
 * stored twice), and when the file is deleted. Token hashes only, never token values.
 */
export const exportJobs = pgTable(
  'export_jobs',
  {
    id: text('id').primaryKey(),
    /** tokens | audit */
    kind: text('kind').notNull(),
    filter: jsonb('filter').$type<Record<string, unknown>>().notNull(),
    createdById: text('created_by_id').notNull(),
    createdByEmail: text('created_by_email').notNull(),
    /** The slug of the service whose tokens (or audit records) are exported; `default` for rows from before several services. */
    service: text('service').notNull().default('default'),
    /** The clients its creator's grant covered (a list), or null for all clients: the export reads no other. */
    clientIds: jsonb('client_ids').$type<string[]>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** queued | running | succeeded | failed */
    state: text('state').notNull().default('queued'),
    /** Where the next step starts; null once the last step is stored. */
    cursor: jsonb('cursor').$type<Record<string, unknown>>(),
    steps: integer('steps').notNull().default(0),
    rowsDone: integer('rows_done').notNull().default(0),
    rowsTotal: integer('rows_total'),
    bytes: bigint('bytes', { mode: 'number' }).notNull().default(0),
    error: text('error'),
    /** A worker holds the export until then; another may take it over afterwards (a crash, a restart). */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    index('export_jobs_created_by_idx').on(table.createdById, table.createdAt.desc()),
    index('export_jobs_expires_at_idx').on(table.expiresAt),
  ],
);

/** The CSV of an export, one part per step, streamed back in `seq` order. */
export const exportParts = pgTable(
  'export_parts',
  {
    exportId: text('export_id')
      .notNull()
      .references(() => exportJobs.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    rows: integer('rows').notNull(),
    body: text('body').notNull(),
  },
  (table) => [primaryKey({ columns: [table.exportId, table.seq] })],
);
