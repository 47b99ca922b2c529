import { z } from 'zod';

/** The event types an endpoint may subscribe to (docs/webhooks.md). */
export const webhookEventTypes = [
  'token.created',
  'token.updated',
  'token.deleted',
  'token.revoked',
  'app.authorization_removed',
  'job.finished',
  'client.locked',
  'client.unlocked',
] as const;
export const webhookEventTypeSchema = z.enum(webhookEventTypes);
export type WebhookEventType = z.infer<typeof webhookEventTypeSchema>;

/** `POST /api/s/{service}/webhooks`: a new endpoint; the answer holds its secret, once. */
export const webhookEndpointCreateInputSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'an https:// address' }).max(2_000),
  description: z.string().trim().max(200).default(''),
  /** Empty = every event type. */
  eventTypes: z.array(webhookEventTypeSchema).max(webhookEventTypes.length).default([]),
});

/** The event an admin sends to check an endpoint (not subscribable: it goes to the one endpoint asked). */
export const WEBHOOK_TEST_EVENT = 'webhook.test';
export type WebhookDeliveryType = WebhookEventType | typeof WEBHOOK_TEST_EVENT;

/** `PATCH /api/s/{service}/webhooks/{endpointId}`: what changes (at least one field). */
export const webhookEndpointUpdateInputSchema = z
  .strictObject({
    url: webhookEndpointCreateInputSchema.shape.url.optional(),
    description: z.string().trim().max(200).optional(),
    /** Empty = every event type. */
    eventTypes: z.array(webhookEventTypeSchema).max(webhookEventTypes.length).optional(),
    enabled: z.boolean().optional(),
  })
  // Fields left out stay as they are (no defaults here: a new address alone must not clear the filter).
  .refine((input) => Object.values(input).some((value) => value !== undefined), { error: 'Nothing to change.' });

/** `[endpointId]` and `[deliveryId]` segments: the ids Token Desk made, nothing else. */
export const webhookEndpointParamsSchema = z.object({
  endpointId: z.string().regex(/^ep_[0-9a-f]{32}$/, 'The endpoint id is not valid.'),
});
export const webhookDeliveryParamsSchema = webhookEndpointParamsSchema.extend({
  deliveryId: z.string().regex(/^msg_[0-9a-f]{32}$/, 'The delivery id is not valid.'),
});

/** A delivery's id, its Standard Webhooks `webhook-id` (the form the params schema above accepts). */
export const newDeliveryId = () => `msg_${crypto.randomUUID().replaceAll('-', '')}`;

export const webhookDeliveryStates = ['pending', 'delivered', 'failed'] as const;

/** `GET …/deliveries`: newest first, a page at a time. */
export const webhookDeliveriesQuerySchema = z.object({
  state: z.enum(webhookDeliveryStates).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type WebhookDeliveriesQuery = z.infer<typeof webhookDeliveriesQuerySchema>;

/** An endpoint as the API shows it (never its secret), with how its deliveries are doing. */
export const webhookEndpointSchema = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  eventTypes: z.array(webhookEventTypeSchema),
  enabled: z.boolean(),
  /** `gone` when Token Desk turned it off because the receiver answered 410. */
  disabledReason: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  pending: z.number().int(),
  failed: z.number().int(),
  lastDeliveredAt: z.number().int().nullable(),
});
export type WebhookEndpoint = z.infer<typeof webhookEndpointSchema>;

export const webhookAttemptSchema = z.object({
  attemptedAt: z.number().int(),
  /** The receiver's HTTP status; null when no answer came. */
  status: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().int(),
});

export const webhookDeliverySchema = z.object({
  id: z.string(),
  eventType: z.union([webhookEventTypeSchema, z.literal(WEBHOOK_TEST_EVENT)]),
  occurredAt: z.number().int(),
  state: z.enum(webhookDeliveryStates),
  attempts: z.number().int(),
  lastStatus: z.number().int().nullable(),
  nextAttemptAt: z.number().int(),
  deliveredAt: z.number().int().nullable(),
  data: z.record(z.string(), z.unknown()),
  /** The latest attempts, newest first (at most ten). */
  history: z.array(webhookAttemptSchema),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;
