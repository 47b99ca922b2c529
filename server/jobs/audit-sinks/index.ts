import 'server-only';
import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, inArray, isNull, lt, lte, max, or, sql } from 'drizzle-orm';
import type { AuditSinkStatus } from '@/lib/schemas/audit';
import { config } from '@/server/config';
import type { AuditSinkConfig } from '@/server/config/audit-sinks';
import { describeError, logEvent } from '@/server/core/log';
import { getDb } from '@/server/db';
import { auditLog, auditSinkCheckpoint } from '@/server/db/schema';
import { auditEvent, type AuditEvent } from '@/server/audit/sinks/event';
import { sendBatch } from '@/server/audit/sinks/send';
import { retryDelayMs } from '../webhooks/deliver';

/**
 * Streams the audit log to the configured sinks (AUDIT_SINKS), in order, at least once.
 *
 * The order key is the chain's `seq` (server/audit/chain.ts): it is handed out under an advisory
 * lock held until the writing transaction commits, so record n+1 cannot even be started before
 * record n is committed, and every reader sees a gap-free prefix 1…n. Reading "seq > checkpoint,
 * ascending" can therefore never skip a record that commits later (an id-ordered read could: ids
 * come from a sequence outside the lock).
 *
 * Per sink: the records after its checkpoint, a batch at a time, are sent; only once the sink has
 * acknowledged the batch does the checkpoint move to its last `seq`. A crash or a lost lease between
 * the two sends that one batch again (the only duplicates). One runner at a time per sink, across
 * instances and the cron pass, by a lease on the checkpoint row (a row, not an advisory lock:
 * pooled and serverless connections do not keep session locks). A failure backs off exponentially
 * (the sink's retryBaseMs, doubling, up to five minutes) and is shown on the audit page.
 */

const MAX_BACKOFF_MS = 5 * 60_000;
/** How often a Node host looks for new records. */
const SWEEP_MS = 2_000;
/** A pass on a Node host stops starting batches after this (the next sweep goes on). */
const PASS_MS = 30_000;

/** Long enough for a batch's send and checkpoint write; a runner that died is replaced after it. */
const leaseMs = (sink: AuditSinkConfig) => sink.timeoutMs * 2 + 30_000;
const leaseEnd = (sink: AuditSinkConfig) => sql`now() + ${`${leaseMs(sink)} milliseconds`}::interval`;

export type SinkPassOutcome = 'caught_up' | 'failed' | 'busy' | 'deadline' | 'lease_lost';
export interface SinkPass {
  outcome: SinkPassOutcome;
  /** Records the sink acknowledged in this pass. */
  sent: number;
}

type Send = (sink: AuditSinkConfig, events: readonly AuditEvent[]) => Promise<void>;

/**
 * Sends `sink` what it has not had yet, until it is caught up, fails, or `deadline` (ms) passes.
 * Answers `busy` when another runner holds the sink or it is backing off after a failure.
 */
export async function advanceSink(sink: AuditSinkConfig, deadline: number, send: Send = sendBatch): Promise<SinkPass> {
  const db = await getDb();
  const owner = randomUUID();
  await db.insert(auditSinkCheckpoint).values({ sink: sink.name }).onConflictDoNothing();
  const [claimed] = await db
    .update(auditSinkCheckpoint)
    .set({ leaseOwner: owner, leaseUntil: leaseEnd(sink) })
    .where(
      and(
        eq(auditSinkCheckpoint.sink, sink.name),
        or(isNull(auditSinkCheckpoint.leaseUntil), lt(auditSinkCheckpoint.leaseUntil, sql`now()`)),
        lte(auditSinkCheckpoint.nextAttemptAt, sql`now()`),
      ),
    )
    .returning({ position: auditSinkCheckpoint.position, failures: auditSinkCheckpoint.failures });
  if (!claimed) return { outcome: 'busy', sent: 0 };
  const mine = and(eq(auditSinkCheckpoint.sink, sink.name), eq(auditSinkCheckpoint.leaseOwner, owner));
  const release = () => db.update(auditSinkCheckpoint).set({ leaseOwner: null, leaseUntil: null }).where(mine);

  let position = claimed.position;
  let sent = 0;
  for (;;) {
    if (Date.now() >= deadline) {
      await release();
      return { outcome: 'deadline', sent };
    }
    const rows = await db
      .select()
      .from(auditLog)
      .where(gt(auditLog.seq, position))
      .orderBy(asc(auditLog.seq))
      .limit(sink.batchSize);
    if (rows.length === 0) {
      await release();
      return { outcome: 'caught_up', sent };
    }
    try {
      await send(sink, rows.map(auditEvent));
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
      const delay = Math.min(retryDelayMs(claimed.failures + 1, sink.retryBaseMs), MAX_BACKOFF_MS);
      await db
        .update(auditSinkCheckpoint)
        .set({
          failures: sql`${auditSinkCheckpoint.failures} + 1`,
          lastError: message,
          failingSince: sql`coalesce(${auditSinkCheckpoint.failingSince}, now())`,
          nextAttemptAt: sql`now() + ${`${delay} milliseconds`}::interval`,
          leaseOwner: null,
          leaseUntil: null,
        })
        .where(mine);
      logEvent('warn', 'audit sink failed', { sink: sink.name, type: sink.type, position, error: message });
      return { outcome: 'failed', sent };
    }
    const last = rows[rows.length - 1]!.seq!;
    const [advanced] = await db
      .update(auditSinkCheckpoint)
      .set({
        position: last,
        updatedAt: new Date(),
        failures: 0,
        lastError: null,
        failingSince: null,
        leaseUntil: leaseEnd(sink),
      })
      .where(mine)
      .returning({ position: auditSinkCheckpoint.position });
    sent += rows.length;
    // The lease ran out mid-send and another runner took the sink: it resends from its checkpoint.
    if (!advanced) return { outcome: 'lease_lost', sent };
    position = last;
    claimed.failures = 0;
  }
}

/** Advances every configured sink side by side until `deadline` (the Node host's sweep, the cron pass). */
export async function advanceAuditSinks(
  deadline: number,
  sinks: readonly AuditSinkConfig[] = config.auditSinks,
): Promise<Record<string, SinkPass>> {
  const passes = await Promise.all(
    sinks.map(async (sink) => {
      try {
        return [sink.name, await advanceSink(sink, deadline)] as const;
      } catch (error) {
        // The database, not the sink, failed: the lease runs out and the next pass goes on.
        logEvent('warn', 'audit sink pass failed', { sink: sink.name, error: describeError(error) });
        return [sink.name, { outcome: 'failed', sent: 0 } satisfies SinkPass] as const;
      }
    }),
  );
  return Object.fromEntries(passes);
}

/** Where each configured sink stands: for the audit page. Never the sink's address or headers. */
export async function auditSinkStatuses(
  sinks: readonly AuditSinkConfig[] = config.auditSinks,
): Promise<AuditSinkStatus[]> {
  if (sinks.length === 0) return [];
  const db = await getDb();
  const [[head], checkpoints] = await Promise.all([
    db.select({ seq: max(auditLog.seq) }).from(auditLog),
    db
      .select()
      .from(auditSinkCheckpoint)
      .where(
        inArray(
          auditSinkCheckpoint.sink,
          sinks.map((sink) => sink.name),
        ),
      ),
  ]);
  const headSeq = Number(head?.seq ?? 0);
  return sinks.map((sink) => {
    const checkpoint = checkpoints.find((row) => row.sink === sink.name);
    const position = checkpoint?.position ?? 0;
    return {
      name: sink.name,
      type: sink.type === 'syslog' && sink.tls ? 'syslog-tls' : sink.type,
      position,
      behind: Math.max(0, headSeq - position),
      lastError: checkpoint?.lastError ?? null,
      failingSince: checkpoint?.failingSince?.getTime() ?? null,
      deliveredAt: checkpoint && checkpoint.position > 0 ? checkpoint.updatedAt.getTime() : null,
    };
  });
}

let sweep: NodeJS.Timeout | undefined;
let running = false;

/** On a Node host: every few seconds, a pass over every sink (one at a time in this process). */
export function startAuditSinks(): void {
  clearInterval(sweep);
  if (config.auditSinks.length === 0) return;
  sweep = setInterval(() => {
    if (running) return;
    running = true;
    advanceAuditSinks(Date.now() + PASS_MS)
      .catch((error: unknown) => logEvent('warn', 'audit sink sweep failed', { error: describeError(error) }))
      .finally(() => {
        running = false;
      });
  }, SWEEP_MS).unref();
}

export function stopAuditSinks(): void {
  clearInterval(sweep);
  sweep = undefined;
}
