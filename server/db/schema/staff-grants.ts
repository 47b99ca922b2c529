import { jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { authUser } from './auth';

/**
 * What a person may do in one service: a role and a client scope (server/auth/scope.ts). A person
 * with no grant for a service works there with their account's role over all its clients (how
 * every account worked before grants), so adding this table changes nothing for existing staff.
 */
export const staffGrant = pgTable(
  'staff_grant',
  {
    userId: text('user_id')
      .notNull()
      .references(() => authUser.id, { onDelete: 'cascade' }),
    /** The service slug (server/services). */
    service: text('service').notNull(),
    /** viewer | support | admin (lib/roles.ts). */
    role: text('role').notNull(),
    /** Client ids (decimal strings) the grant covers; null = all clients of the service. */
    clientIds: jsonb('client_ids').$type<string[] | null>(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.service] })],
);
