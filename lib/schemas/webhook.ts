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
