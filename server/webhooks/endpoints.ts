import 'server-only';
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { sealText } from '@/server/core/seal';
import { getDb } from '@/server/db';
import { webhookEndpoint } from '@/server/db/schema';
import { outboundPolicy, SECRET_PURPOSE } from './deliver';
import { checkOutboundUrl } from './outbound';
import { newWebhookSecret, type WebhookEventType } from './sign';

export interface NewEndpoint {
  service: string;
  url: string;
  description?: string;
  /** Empty = every event type. */
  eventTypes?: readonly WebhookEventType[];
  createdBy: string | null;
}

/**
 * Registers an endpoint; the URL must pass the SSRF guard now (and again at every delivery). The
 * returned secret is the only time it leaves the server in the clear.
 */
export async function createEndpoint(input: NewEndpoint): Promise<{ id: string; secret: string }> {
  await checkOutboundUrl(input.url, outboundPolicy());
  const id = `ep_${randomUUID().replaceAll('-', '')}`;
  const secret = newWebhookSecret();
  const db = await getDb();
  await db.insert(webhookEndpoint).values({
    id,
    service: input.service,
    url: input.url,
    description: input.description ?? '',
    eventTypes: [...(input.eventTypes ?? [])],
    secretSealed: sealText(SECRET_PURPOSE, id, secret),
    createdBy: input.createdBy,
  });
  return { id, secret };
}

/** A new secret for the endpoint (shown once); deliveries signed from now on use it. Null when not found. */
export async function rotateEndpointSecret(service: string, id: string): Promise<string | null> {
  const secret = newWebhookSecret();
  const db = await getDb();
  const updated = await db
    .update(webhookEndpoint)
    .set({ secretSealed: sealText(SECRET_PURPOSE, id, secret), updatedAt: new Date() })
    .where(and(eq(webhookEndpoint.service, service), eq(webhookEndpoint.id, id)))
    .returning({ id: webhookEndpoint.id });
  return updated.length > 0 ? secret : null;
}
