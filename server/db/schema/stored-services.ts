import { boolean, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Authlete services admins added in the app (server/services/stored.ts), beside those in the
 * environment. Only when ENCRYPTION_KEY is set: the credential (3.x service access token, 2.x API
 * secret) is an envelope (server/core/seal.ts) and never leaves the server.
 */
export const storedServices = pgTable('stored_services', {
  slug: text('slug').primaryKey(),
  name: text('name').notNull(),
  environment: text('environment').notNull(),
  apiVersion: integer('api_version').notNull(),
  baseUrl: text('base_url').notNull(),
  /** 3.x: the service id; 2.x: the API key (which is its id). */
  serviceId: text('service_id').notNull(),
  /** The credential, envelope-encrypted under ENCRYPTION_KEY, bound to the slug. */
  credentialsSealed: text('credentials_sealed').notNull(),
  /** Id of the key-encryption key that wrapped its data key: the rows a rotation still has to re-wrap. */
  keyId: text('key_id').notNull(),
  /** Kept (and shown to admins) but in no switcher, and refused to every route and job. */
  disabled: boolean('disabled').notNull().default(false),
  createdBy: text('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
