import { integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The overview's daily counts (server/overview/snapshot.ts): one row per service, UTC day and
 * client, written once a day from Authlete's `totalCount` and a small sample of each client's
 * valid tokens. The key makes a second writer that day (another instance, a restart) a no-op.
 */
export const tokenSnapshot = pgTable(
  'token_snapshot',
  {
    service: text('service').notNull(),
    /** The UTC day, `YYYY-MM-DD`. */
    day: text('day').notNull(),
    clientId: text('client_id').notNull(),
    clientName: text('client_name'),
    valid: integer('valid').notNull(),
    expired: integer('expired').notNull(),
    /** Estimated from the sample (exact when the sample is every valid token): expiring within 7 and 30 days. */
    expiring7: integer('expiring_7').notNull(),
    expiring30: integer('expiring_30').notNull(),
    /** Estimated: unused for 76 days or more, so Authlete's 90-day sweep removes them within two weeks. */
    stale: integer('stale').notNull(),
    /** Valid tokens read for the estimates (≤ 60). */
    sampled: integer('sampled').notNull(),
    countedAt: timestamp('counted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.service, table.day, table.clientId] })],
);
