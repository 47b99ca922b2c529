import 'server-only';
import { randomUUID } from 'node:crypto';
import { and, count, desc, eq, getTableColumns, inArray, max, sql } from 'drizzle-orm';
import {
  newDeliveryId,
  WEBHOOK_TEST_EVENT,
  type WebhookDeliveriesQuery,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEventType,
} from '@/lib/schemas/webhook';
import { config } from '@/server/config';
import { openText, sealText } from '@/server/core/seal';
import { getDb } from '@/server/db';
import { webhookAttempt, webhookDelivery, webhookEndpoint } from '@/server/db/schema';
import { checkOutboundUrl, OutboundRefusedError, type OutboundPolicy } from './outbound';
import { newWebhookSecret } from './sign';

/** The secret's sealing purpose; the endpoint id binds it to its row. */
const SECRET_PURPOSE = 'token-desk webhook secret v1';
/** Connect, first byte, between body parts (the whole request gets three times this). */
const TIMEOUT_MS = 10_000;

export type WebhookErrorKind = 'not_found' | 'url_refused';

/** A webhook request that cannot be done: no such endpoint or delivery here, or an address the SSRF guard refuses. */
export class WebhookError extends Error {
  override name = 'WebhookError';
  constructor(
    readonly kind: WebhookErrorKind,
    message: string,
  ) {
    super(message);
  }
}

const endpointNotFound = () => new WebhookError('not_found', 'No such webhook endpoint in this service.');

/** The SSRF guard on an address an admin typed in, as the domain's refusal. */
async function checkEndpointUrl(url: string): Promise<void> {
  try {
    await checkOutboundUrl(url, outboundPolicy());
  } catch (error) {
    if (error instanceof OutboundRefusedError) throw new WebhookError('url_refused', error.message);
    throw error;
  }
}

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
  await checkEndpointUrl(input.url);
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

const { secretSealed, ...publicColumns } = getTableColumns(webhookEndpoint);
void secretSealed; // never read back: the secret leaves the server only when made or rotated

type EndpointRow = Omit<typeof webhookEndpoint.$inferSelect, 'secretSealed'>;

function endpointView(
  row: EndpointRow,
  stats?: { pending: number; failed: number; lastDeliveredAt: Date | null },
): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.eventTypes as WebhookEventType[],
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    createdBy: row.createdBy,
    createdAt: row.createdAt.getTime(),
    updatedAt: row.updatedAt.getTime(),
    pending: stats?.pending ?? 0,
    failed: stats?.failed ?? 0,
    lastDeliveredAt: stats?.lastDeliveredAt?.getTime() ?? null,
  };
}

/** The service's endpoints, newest first, without their secrets, each with its pending and failed deliveries. */
export async function listEndpoints(service: string): Promise<WebhookEndpoint[]> {
  const db = await getDb();
  const rows = await db
    .select(publicColumns)
    .from(webhookEndpoint)
    .where(eq(webhookEndpoint.service, service))
    .orderBy(desc(webhookEndpoint.createdAt));
  if (rows.length === 0) return [];
  const stats = await db
    .select({
      endpointId: webhookDelivery.endpointId,
      pending: sql<number>`count(*) filter (where ${webhookDelivery.state} = 'pending')`.mapWith(Number),
      failed: sql<number>`count(*) filter (where ${webhookDelivery.state} = 'failed')`.mapWith(Number),
      lastDeliveredAt: max(webhookDelivery.deliveredAt),
    })
    .from(webhookDelivery)
    .where(
      inArray(
        webhookDelivery.endpointId,
        rows.map((row) => row.id),
      ),
    )
    .groupBy(webhookDelivery.endpointId);
  const byEndpoint = new Map(stats.map((stat) => [stat.endpointId, stat]));
  return rows.map((row) => endpointView(row, byEndpoint.get(row.id)));
}

export type EndpointChange = Partial<Pick<NewEndpoint, 'url' | 'description' | 'eventTypes'> & { enabled: boolean }>;

/**
 * Changes an endpoint; a new URL passes the SSRF guard first. Turning it back on clears why it was
 * off (a receiver that answered 410 and is back). Answers the endpoint before and after, for the audit.
 */
export async function updateEndpoint(
  service: string,
  id: string,
  change: EndpointChange,
): Promise<{ before: WebhookEndpoint; after: WebhookEndpoint }> {
  if (change.url !== undefined) await checkEndpointUrl(change.url);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const where = and(eq(webhookEndpoint.service, service), eq(webhookEndpoint.id, id));
    const [before] = await tx.select(publicColumns).from(webhookEndpoint).where(where).for('update');
    if (!before) throw endpointNotFound();
    const [after] = await tx
      .update(webhookEndpoint)
      .set({
        ...(change.url !== undefined ? { url: change.url } : {}),
        ...(change.description !== undefined ? { description: change.description } : {}),
        ...(change.eventTypes !== undefined ? { eventTypes: [...change.eventTypes] } : {}),
        ...(change.enabled !== undefined ? { enabled: change.enabled, disabledReason: null } : {}),
        updatedAt: new Date(),
      })
      .where(where)
      .returning(publicColumns);
    return { before: endpointView(before), after: endpointView(after!) };
  });
}

/** Removes an endpoint with its deliveries and their attempts (pending ones are never sent). */
export async function deleteEndpoint(service: string, id: string): Promise<WebhookEndpoint> {
  const db = await getDb();
  const [deleted] = await db
    .delete(webhookEndpoint)
    .where(and(eq(webhookEndpoint.service, service), eq(webhookEndpoint.id, id)))
    .returning(publicColumns);
  if (!deleted) throw endpointNotFound();
  return endpointView(deleted);
}

/** Queues a `webhook.test` event to this endpoint only (whatever its event filter), signed like any other. */
export async function queueTestEvent(service: string, id: string, actor: string | null): Promise<string> {
  const db = await getDb();
  const [endpoint] = await db
    .select({ id: webhookEndpoint.id })
    .from(webhookEndpoint)
    .where(and(eq(webhookEndpoint.service, service), eq(webhookEndpoint.id, id)));
  if (!endpoint) throw endpointNotFound();
  const deliveryId = newDeliveryId();
  await db.insert(webhookDelivery).values({
    id: deliveryId,
    endpointId: id,
    service,
    eventType: WEBHOOK_TEST_EVENT,
    auditId: null,
    occurredAt: new Date(),
    data: { service, actor, message: 'A test event sent from Token Desk.' },
  });
  return deliveryId;
}

/** The endpoint's delivery log, newest first, each delivery with its latest attempts. */
export async function listDeliveries(
  service: string,
  id: string,
  query: WebhookDeliveriesQuery,
): Promise<{ deliveries: WebhookDelivery[]; totalCount: number }> {
  const db = await getDb();
  const [endpoint] = await db
    .select({ id: webhookEndpoint.id })
    .from(webhookEndpoint)
    .where(and(eq(webhookEndpoint.service, service), eq(webhookEndpoint.id, id)));
  if (!endpoint) throw endpointNotFound();
  const where = and(
    eq(webhookDelivery.endpointId, id),
    query.state ? eq(webhookDelivery.state, query.state) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(webhookDelivery)
      .where(where)
      .orderBy(desc(webhookDelivery.occurredAt), desc(webhookDelivery.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ value: count() }).from(webhookDelivery).where(where),
  ]);
  const attempts =
    rows.length === 0
      ? []
      : await db
          .select()
          .from(webhookAttempt)
          .where(
            inArray(
              webhookAttempt.deliveryId,
              rows.map((row) => row.id),
            ),
          )
          .orderBy(desc(webhookAttempt.id));
  const history = new Map<string, WebhookDelivery['history']>();
  for (const attempt of attempts) {
    const list = history.get(attempt.deliveryId) ?? [];
    if (list.length < HISTORY_SHOWN) {
      list.push({
        attemptedAt: attempt.attemptedAt.getTime(),
        status: attempt.status,
        error: attempt.error,
        durationMs: attempt.durationMs,
      });
    }
    history.set(attempt.deliveryId, list);
  }
  return {
    totalCount: total?.value ?? 0,
    deliveries: rows.map((row) => ({
      id: row.id,
      eventType: row.eventType as WebhookDelivery['eventType'],
      occurredAt: row.occurredAt.getTime(),
      state: row.state as WebhookDelivery['state'],
      attempts: row.attempts,
      lastStatus: row.lastStatus,
      nextAttemptAt: row.nextAttemptAt.getTime(),
      deliveredAt: row.deliveredAt?.getTime() ?? null,
      data: row.data,
      history: history.get(row.id) ?? [],
    })),
  };
}

/** Attempts of one delivery shown in the log (the newest). */
const HISTORY_SHOWN = 10;

/** The delivery, if it is this endpoint's in this service (the redeliver button's guard). */
export async function findDelivery(service: string, endpointId: string, deliveryId: string) {
  const db = await getDb();
  const [found] = await db
    .select({ id: webhookDelivery.id, eventType: webhookDelivery.eventType, state: webhookDelivery.state })
    .from(webhookDelivery)
    .where(
      and(
        eq(webhookDelivery.id, deliveryId),
        eq(webhookDelivery.endpointId, endpointId),
        eq(webhookDelivery.service, service),
      ),
    );
  if (!found) throw new WebhookError('not_found', 'No such delivery of this endpoint.');
  return found;
}

/** A new secret for the endpoint (shown once); deliveries signed from now on use it. */
export async function rotateEndpointSecret(service: string, id: string): Promise<string> {
  const secret = newWebhookSecret();
  const db = await getDb();
  const updated = await db
    .update(webhookEndpoint)
    .set({ secretSealed: sealText(SECRET_PURPOSE, id, secret), updatedAt: new Date() })
    .where(and(eq(webhookEndpoint.service, service), eq(webhookEndpoint.id, id)))
    .returning({ id: webhookEndpoint.id });
  if (updated.length === 0) throw endpointNotFound();
  return secret;
}
