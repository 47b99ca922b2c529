import 'server-only';
import { z } from 'zod';
import { config } from '@/server/config';
import { describeError, logEvent } from '@/server/core/log';
import { backfillDemoSnapshots, takeSnapshot, utcDay } from '@/server/overview/snapshot';
import { authleteFor, findService, listServices } from '@/server/services';
import { enqueueStep, ensureQueue, getQueue, queueNameOf } from '../core/queue';

/**
 * The overview's daily snapshot on the queue: one step per service and UTC day (keyed
 * `service:day`, so a day is queued once however many instances ask), run by a worker here or by
 * the cron pass on Vercel. The step is idempotent (server/overview/snapshot.ts writes a day once).
 */

export const SNAPSHOT_QUEUE = 'snapshot';
/** How often a worker process checks whether a new day needs its snapshot. */
const CHECK_MS = 15 * 60_000;

const stepKey = (service: string, day: string) => `${service}:${day}`;
const messageSchema = z.object({ jobId: z.string().min(1) });

/** Takes one service's snapshot for today (no-op when it exists); in demo mode, back-fills a month once. */
async function snapshotService(service: string): Promise<void> {
  if (!findService(service)) return;
  const wrote = await takeSnapshot(service, authleteFor(service));
  if (wrote && config.demo) await backfillDemoSnapshots(service);
  if (wrote) logEvent('info', 'token snapshot taken', { service, day: utcDay(Date.now()) });
}

/** Queues today's snapshot of every service. */
export async function queueDueSnapshots(now = Date.now()): Promise<void> {
  for (const service of listServices()) await enqueueStep(SNAPSHOT_QUEUE, stepKey(service.slug, utcDay(now)));
}

/** Where no worker process lives (the cron pass): today's snapshot of every service, one after another. */
export async function takeDueSnapshots(): Promise<void> {
  for (const service of listServices()) {
    try {
      await snapshotService(service.slug);
    } catch (error) {
      logEvent('warn', 'token snapshot failed', { service: service.slug, error: describeError(error) });
    }
  }
}

let check: NodeJS.Timeout | undefined;

export function stopSnapshotChecks(): void {
  clearInterval(check);
  check = undefined;
}

/** The worker of a Node host: takes queued snapshots, and queues each new day's. */
export async function startSnapshotWorker(): Promise<void> {
  await ensureQueue(SNAPSHOT_QUEUE);
  const boss = await getQueue();
  await boss.work(queueNameOf(SNAPSHOT_QUEUE), { pollingIntervalSeconds: 5, batchSize: 1 }, async (batch) => {
    for (const item of batch) {
      const { jobId } = messageSchema.parse(item.data);
      const service = jobId.slice(0, jobId.lastIndexOf(':'));
      // A step left over from an earlier day is done: that day is over.
      if (jobId !== stepKey(service, utcDay(Date.now()))) continue;
      await snapshotService(service);
    }
  });
  await queueDueSnapshots();
  clearInterval(check);
  check = setInterval(() => {
    queueDueSnapshots().catch((error: unknown) =>
      logEvent('warn', 'token snapshot check failed', { error: describeError(error) }),
    );
  }, CHECK_MS).unref();
}
