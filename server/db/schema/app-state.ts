import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Facts about the installation itself, one row per key: e.g. `live_since`, when a run with a real
 * Authlete (not demo mode) first used this database.
 */
export const appState = pgTable('app_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
