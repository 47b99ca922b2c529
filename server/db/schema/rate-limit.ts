import { bigint, integer, pgTable, text } from 'drizzle-orm/pg-core';

/**
 * Fixed-window request counters (server/rate-limit) when no REDIS_URL is set, shared by every
 * instance of the app through the database. One row per key; a window that has ended is restarted
 * in place by the next hit. UNLOGGED (migration 0004): counters are not worth a WAL write.
 */
export const rateLimitCounter = pgTable('rate_limit_counter', {
  key: text('key').primaryKey(),
  count: integer('count').notNull(),
  /** When the current window ends (ms since epoch). */
  resetAt: bigint('reset_at', { mode: 'number' }).notNull(),
});
