import 'server-only';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { WebhookEventType } from '@/lib/schemas/webhook';

/**
 * Standard Webhooks (https://www.standardwebhooks.com): the body is `{ type, timestamp, data }`,
 * signed with the endpoint's secret by the `standardwebhooks` package, in the `webhook-id`,
 * `webhook-timestamp` and `webhook-signature` headers a receiver checks with any Standard Webhooks
 * library (`new Webhook(secret).verify(body, headers)`).
 */

export interface WebhookEvent {
  /** Stable per event: the receiver de-duplicates retries and redeliveries by it. */
  id: string;
  type: WebhookEventType;
  occurredAt: Date;
  /** The Authlete service the event is about (its slug) and the event's own facts; never token values. */
  data: Record<string, unknown>;
}

/** A new endpoint secret: shown to the admin once, in the `whsec_` form Standard Webhooks libraries take. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** The body and headers of one delivery attempt of `event` to an endpoint holding `secret`. */
export function signedDelivery(secret: string, event: WebhookEvent): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({ type: event.type, timestamp: event.occurredAt.toISOString(), data: event.data });
  // Signed at send time: receivers refuse a timestamp more than five minutes off, and a retry an hour later must pass.
  const now = new Date();
  return {
    body,
    headers: {
      'webhook-id': event.id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(event.id, now, body),
    },
  };
}
