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
