import 'server-only';
import { and, eq, lte } from 'drizzle-orm';
import pMap from 'p-map';
import { z } from 'zod';
import { config } from '@/server/config';
import { describeError, logEvent } from '@/server/core/log';
import { getDatabaseHandle, getDb } from '@/server/db';
import { webhookAttempt, webhookDelivery, webhookEndpoint } from '@/server/db/schema';
import type { WebhookEventType } from '@/lib/schemas/webhook';
import { endpointSecret, outboundPolicy } from '@/server/webhooks/endpoints';
import { OutboundRefusedError, postGuarded } from '@/server/webhooks/outbound';
import { signedDelivery } from '@/server/webhooks/sign';
import { enqueueStep, ensureQueue, getQueue, queueNameOf } from '../core/queue';

/**
 * Sends pending deliveries through the job queue (pg-boss, one queued step per delivery, keyed by
 * its id so it is never doubled). The state lives in webhook_delivery, so a restart loses nothing:
 * `queueDueDeliveries` queues every pending one again. 2xx = delivered. 410 Gone = the receiver says
 * the endpoint is gone for good: the endpoint is disabled and the delivery fails (an admin may turn
 * it back on). Anything else (other status, timeout, refused address) is retried with exponential
 * backoff and ±25 % jitter, WEBHOOK_ATTEMPTS times in all: with the default 1 min base the retries
 * come about 1, 2, 4, 8, 16, 32 min, 1 h 4 min, 2 h 8 min and 4 h 16 min apart — 8½ hours in all,
 * so a receiver down for an hour (or a night's deploy) loses nothing.
 */

export const WEBHOOK_QUEUE = 'webhook';
export const WEBHOOK_ATTEMPTS = 10;
/**
 * An attempt holds its delivery this long (longer than a request may take): another worker or the
 * sweep leaves it alone meanwhile, and if this process dies mid-attempt the delivery is due again after it.
 */
const LEASE_MS = 5 * 60_000;
/** How often each worker process looks for due deliveries (new events from the outbox, retries, leases run out). */
const SWEEP_MS = 2_000;

/** The delay before attempt `attempt + 1` (attempt counts from 1): base·2^(attempt-1), ±25 % jitter. */
export function retryDelayMs(attempt: number, baseMs = config.webhooks.retryBaseMs, random = Math.random): number {
  const plain = baseMs * 2 ** (attempt - 1);
  return Math.round(plain * (0.75 + random() * 0.5));
}

export type AttemptOutcome = 'delivered' | 'retry' | 'failed' | 'skipped';

/** One attempt of one delivery; records it and schedules the next when it failed and attempts remain. */
export async function attemptDelivery(deliveryId: string): Promise<AttemptOutcome> {
  const db = await getDb();
  // Claimed atomically: only a pending, due delivery, and only by one worker at a time.
  const [claimed] = await db
    .update(webhookDelivery)
    .set({ nextAttemptAt: new Date(Date.now() + LEASE_MS) })
    .where(
      and(
        eq(webhookDelivery.id, deliveryId),
        eq(webhookDelivery.state, 'pending'),
        lte(webhookDelivery.nextAttemptAt, new Date()),
      ),
    )
    .returning({ id: webhookDelivery.id });
  if (!claimed) return 'skipped';
  const [found] = await db
    .select({ delivery: webhookDelivery, endpoint: webhookEndpoint })
    .from(webhookDelivery)
    .innerJoin(webhookEndpoint, eq(webhookEndpoint.id, webhookDelivery.endpointId))
    .where(eq(webhookDelivery.id, deliveryId));
  if (!found) return 'skipped';
  const { delivery, endpoint } = found;
  if (!endpoint.enabled) {
    await db.update(webhookDelivery).set({ state: 'failed' }).where(eq(webhookDelivery.id, deliveryId));
    return 'failed';
  }
  const secret = endpointSecret(endpoint);
  const { body, headers } = signedDelivery(secret, {
    id: delivery.id,
    type: delivery.eventType as WebhookEventType,
    occurredAt: delivery.occurredAt,
    data: delivery.data,
  });
  const started = performance.now();
  let status: number | null = null;
  let error: string | null = null;
  try {
    // The SSRF guard runs again here: the address may resolve elsewhere than when it was saved.
    status = (await postGuarded(endpoint.url, body, headers, outboundPolicy())).status;
  } catch (caught) {
    error =
      caught instanceof OutboundRefusedError
        ? `refused: ${caught.message}`
        : String((caught as Error).message ?? caught);
  }
  const durationMs = Math.round(performance.now() - started);
  const attempts = delivery.attempts + 1;
  const delivered = status !== null && status >= 200 && status < 300;
  const gone = status === 410;
  const outcome: AttemptOutcome = delivered ? 'delivered' : gone || attempts >= WEBHOOK_ATTEMPTS ? 'failed' : 'retry';
  const delay = outcome === 'retry' ? retryDelayMs(attempts) : 0;
  await db.transaction(async (tx) => {
    await tx.insert(webhookAttempt).values({ deliveryId, status, error: error?.slice(0, 500) ?? null, durationMs });
    await tx
      .update(webhookDelivery)
      .set({
        attempts,
        lastStatus: status,
        state: outcome === 'retry' ? 'pending' : outcome,
        nextAttemptAt: new Date(Date.now() + delay),
        deliveredAt: delivered ? new Date() : null,
      })
      .where(eq(webhookDelivery.id, deliveryId));
    if (gone) {
      await tx
        .update(webhookEndpoint)
        .set({ enabled: false, disabledReason: 'gone', updatedAt: new Date() })
        .where(eq(webhookEndpoint.id, endpoint.id));
    }
  });
  if (outcome === 'retry') await enqueueStep(WEBHOOK_QUEUE, deliveryId, delay);
  return outcome;
}

/** Deliveries one sweep queues at most (the most overdue first); the next sweep takes the rest. */
const SWEEP_BATCH = 500;

/**
 * Queues the pending deliveries that are due and have no step waiting in the queue (new ones from
 * the outbox, retries whose step was lost, leases that ran out), at most SWEEP_BATCH. Those already
 * queued are left alone: re-sending thousands of waiting steps every sweep would cost more than
 * the deliveries themselves (`npm run bench -- webhooks`). pg-boss's `job` table is documented and
 * stable within a major version (see enqueueStep).
 */
export async function queueDueDeliveries(now = new Date()): Promise<number> {
  await ensureQueue(WEBHOOK_QUEUE);
  const database = await getDatabaseHandle();
  const { rows } = await database.executeSql(
    `SELECT d.id FROM webhook_delivery d
      WHERE d.state = 'pending' AND d.next_attempt_at <= $1
        AND NOT EXISTS (
          SELECT 1 FROM pgboss.job j
           WHERE j.name = $2 AND COALESCE(j.singleton_key, '') = d.id AND j.state <= 'active')
      ORDER BY d.next_attempt_at
      LIMIT $3`,
    [now, queueNameOf(WEBHOOK_QUEUE), SWEEP_BATCH],
  );
  for (const row of rows) await enqueueStep(WEBHOOK_QUEUE, (row as { id: string }).id);
  return rows.length;
}

/** A failed or delivered delivery sent again under the same `webhook-id` (the admin's redeliver button). */
export async function redeliver(deliveryId: string): Promise<void> {
  const db = await getDb();
  await db
    .update(webhookDelivery)
    .set({ state: 'pending', attempts: 0, nextAttemptAt: new Date(), deliveredAt: null })
    .where(eq(webhookDelivery.id, deliveryId));
  await enqueueStep(WEBHOOK_QUEUE, deliveryId);
}

/** Deliveries a cron pass attempts at once (each attempt may wait up to the receiver's timeout). */
const CRON_CONCURRENCY = 4;

/**
 * Attempts every due delivery within `budgetMs` (the cron route, where no worker process lives). The
 * claim in `attemptDelivery` keeps a delivery to one sender even when a worker is also running.
 */
export async function deliverDueWebhooks(budgetMs: number): Promise<{ attempts: number }> {
  const db = await getDb();
  const deadline = Date.now() + budgetMs;
  let attempts = 0;
  const tried = new Set<string>();
  while (Date.now() < deadline) {
    const due = await db
      .select({ id: webhookDelivery.id })
      .from(webhookDelivery)
      .where(and(eq(webhookDelivery.state, 'pending'), lte(webhookDelivery.nextAttemptAt, new Date())))
      .orderBy(webhookDelivery.nextAttemptAt)
      .limit(CRON_CONCURRENCY * 4);
    const fresh = due.filter(({ id }) => !tried.has(id));
    if (fresh.length === 0) break;
    await pMap(
      fresh,
      async ({ id }) => {
        tried.add(id);
        if (Date.now() >= deadline) return;
        if ((await attemptDelivery(id)) !== 'skipped') attempts += 1;
      },
      { concurrency: CRON_CONCURRENCY },
    );
  }
  return { attempts };
}

let sweep: NodeJS.Timeout | undefined;

/** Stops looking for due deliveries (the queue's own workers stop with it). */
export function stopWebhookSweep(): void {
  clearInterval(sweep);
  sweep = undefined;
}

const messageSchema = z.object({ jobId: z.string().min(1) });

/** Queue workers per process, and deliveries each takes per fetch. */
const WORKERS = 2;
const BATCH = 8;

/**
 * The queue's workers on a Node host: `concurrency` deliveries at a time in this process. A pg-boss
 * worker waits its polling interval between fetches, so each fetches a batch and attempts it
 * `concurrency / WORKERS` at a time: one delivery per fetch capped a process at a few a second.
 */
export async function startWebhookWorkers(concurrency = 8): Promise<void> {
  await ensureQueue(WEBHOOK_QUEUE);
  const boss = await getQueue();
  for (let worker = 0; worker < WORKERS; worker += 1) {
    await boss.work(queueNameOf(WEBHOOK_QUEUE), { pollingIntervalSeconds: 0.5, batchSize: BATCH }, (batch) =>
      pMap(
        batch,
        async (item) => {
          const { jobId } = messageSchema.parse(item.data);
          try {
            await attemptDelivery(jobId);
          } catch (error) {
            // The delivery stays pending in its table: the sweep queues it again once its lease ends.
            logEvent('warn', 'webhook delivery failed to run', { deliveryId: jobId, error: describeError(error) });
          }
        },
        { concurrency: Math.max(1, Math.floor(concurrency / WORKERS)) },
      ).then(() => undefined),
    );
  }
  await queueDueDeliveries();
  // New events (the audit writer's outbox), retries that came due and leases that ran out. A sweep
  // still running when the next is due lets it pass (they would only race for the same rows).
  clearInterval(sweep);
  let sweeping = false;
  sweep = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    queueDueDeliveries()
      .catch((error: unknown) => logEvent('warn', 'webhook sweep failed', { error: describeError(error) }))
      .finally(() => (sweeping = false));
  }, SWEEP_MS).unref();
}
