import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * Webhooks (docs/webhooks.md): endpoints an admin of a service registers, one delivery per
 * (event, endpoint) written in the same transaction as the audit record the event comes from (an
 * outbox, so no path that audits can forget to notify), and every attempt of each delivery.
 */
export const webhookEndpoint = pgTable(
  'webhook_endpoint',
  {
    id: text('id').primaryKey(),
    /** The service slug (server/services). */
    service: text('service').notNull(),
    url: text('url').notNull(),
    description: text('description').notNull().default(''),
    /** Event types delivered (server/webhooks/sign.ts); empty = every type. */
    eventTypes: jsonb('event_types').$type<string[]>().notNull().default([]),
    enabled: boolean('enabled').notNull().default(true),
    /** Why it was turned off by Token Desk (the receiver answered 410 Gone); null when an admin did it. */
    disabledReason: text('disabled_reason'),
    /** The `whsec_` secret, sealed under the server secret (server/core/seal.ts): shown once, needed to sign. */
    secretSealed: text('secret_sealed').notNull(),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('webhook_endpoint_service_idx').on(table.service)],
);

export const webhookDelivery = pgTable(
  'webhook_delivery',
  {
    /** The Standard Webhooks `webhook-id`: the same on every retry and redelivery, for the receiver to de-duplicate. */
    id: text('id').primaryKey(),
    endpointId: text('endpoint_id')
      .notNull()
      .references(() => webhookEndpoint.id, { onDelete: 'cascade' }),
    service: text('service').notNull(),
    eventType: text('event_type').notNull(),
    /** The audit record the event comes from (null for a test event). */
    auditId: bigint('audit_id', { mode: 'number' }),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    /** The envelope's `data`: identifiers only, never token values. */
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    /** pending | delivered | failed (retries used up or endpoint gone). */
    state: text('state').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastStatus: integer('last_status'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (table) => [
    index('webhook_delivery_endpoint_idx').on(table.endpointId, table.occurredAt),
    index('webhook_delivery_due_idx').on(table.state, table.nextAttemptAt),
    uniqueIndex('webhook_delivery_event_endpoint_idx').on(table.auditId, table.endpointId),
  ],
);

export const webhookAttempt = pgTable(
  'webhook_attempt',
  {
    id: serial('id').primaryKey(),
    deliveryId: text('delivery_id')
      .notNull()
      .references(() => webhookDelivery.id, { onDelete: 'cascade' }),
    attemptedAt: timestamp('attempted_at', { withTimezone: true }).notNull().defaultNow(),
    /** The receiver's HTTP status; null when no answer came (refused, timeout, connection error). */
    status: integer('status'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
  },
  (table) => [index('webhook_attempt_delivery_idx').on(table.deliveryId)],
);
