import 'server-only';
import { randomUUID } from 'node:crypto';
import { and, desc, eq, getTableColumns } from 'drizzle-orm';
import type { WebhookEventType } from '@/lib/schemas/webhook';
import { config } from '@/server/config';
import { openText, sealText } from '@/server/core/seal';
import { getDb } from '@/server/db';
import { webhookEndpoint } from '@/server/db/schema';
import { checkOutboundUrl, type OutboundPolicy } from './outbound';
import { newWebhookSecret } from './sign';

/** The secret's sealing purpose; the endpoint id binds it to its row. */
const SECRET_PURPOSE = 'token-desk webhook secret v1';
/** Connect, first byte, between body parts (the whole request gets three times this). */
const TIMEOUT_MS = 10_000;

/** The SSRF guard's settings for webhook receivers: at save time and at every delivery. */
export function outboundPolicy(): OutboundPolicy {
  return { allowedRanges: config.webhooks.allowedRanges, allowHttp: config.webhooks.allowHttp, timeoutMs: TIMEOUT_MS };
}

/** The endpoint's `whsec_` secret, to sign a delivery. */
export function endpointSecret(endpoint: { id: string; secretSealed: string }): string {
  return openText(SECRET_PURPOSE, endpoint.id, endpoint.secretSealed);
}

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

/** The service's endpoints, newest first, without their secrets. */
export async function listEndpoints(service: string) {
  const db = await getDb();
  const { secretSealed, ...columns } = getTableColumns(webhookEndpoint);
  void secretSealed; // never read back: the secret leaves the server only when made
  const rows = await db
    .select(columns)
    .from(webhookEndpoint)
    .where(eq(webhookEndpoint.service, service))
    .orderBy(desc(webhookEndpoint.createdAt));
  return rows;
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
