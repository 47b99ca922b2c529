import 'server-only';
import PgBoss from 'pg-boss';
import { getDatabaseHandle } from '@/server/db';
import { describeError, logEvent } from '@/server/core/log';

/**
 * The durable queue under every job: pg-boss, in its own `pgboss` schema of the app's database,
 * over the app's own connection (PGlite or the PostgreSQL pool, `DatabaseHandle.executeSql`).
 * A queued item is one *step* of one job (`{ jobId }`); pg-boss hands each to exactly one worker
 * (SELECT … FOR UPDATE SKIP LOCKED), however many instances share the database.
 */

/** A step that has not finished in this long is given to another worker (its server is presumed gone). */
const STEP_TIMEOUT_SECONDS = 120;

interface StepMessage {
  jobId: string;
}

const globalKey = Symbol.for('token-desk.job-queue');
type GlobalWithQueue = typeof globalThis & { [globalKey]?: Promise<PgBoss> };

export const queueNameOf = (typeName: string) => `job-${typeName}`;

/** The started queue (pg-boss's tables migrated), one per process; `supervise` turns on its maintenance timers. */
export function getQueue({ supervise = false }: { supervise?: boolean } = {}): Promise<PgBoss> {
  const store = globalThis as GlobalWithQueue;
  store[globalKey] ??= openQueue(supervise).catch((error: unknown) => {
    delete store[globalKey];
    throw error;
  });
  return store[globalKey];
}

async function openQueue(supervise: boolean): Promise<PgBoss> {
  const database = await getDatabaseHandle();
  const startBoss = async () => {
    const boss = new PgBoss({
      db: { executeSql: (text, values) => database.executeSql(text, values) },
      schema: 'pgboss',
      supervise,
      schedule: false,
      // Expired steps are found by maintenance; keep finished ones a day for inspection.
      maintenanceIntervalSeconds: 30,
      deleteAfterDays: 1,
    });
    boss.on('error', (error) => logEvent('warn', 'job queue error', { error: describeError(error) }));
    await boss.start();
    return boss;
  };
  try {
    return await startBoss();
  } catch (error) {
    // Instances starting together on a fresh database race to create pg-boss's schema (CREATE SCHEMA
    // IF NOT EXISTS is not atomic in PostgreSQL): the loser gets a unique violation, and once the
    // winner has made the schema a fresh start finds it there.
    if ((error as { code?: unknown }).code !== '23505') throw error;
    logEvent('info', 'job queue schema created by another instance; starting again');
    return startBoss();
  }
}

const ensured = new Set<string>();

/** PostgreSQL's deadlock and unique-violation codes: what two instances creating one queue at once can get. */
const QUEUE_CREATION_RACE_CODES = new Set(['40P01', '23505']);
const QUEUE_CREATION_ATTEMPTS = 5;

/** Creates the type's queue when missing: at most one step of a job waits at a time, retried with backoff. */
export async function ensureQueue(typeName: string): Promise<void> {
  if (ensured.has(typeName)) return;
  const boss = await getQueue();
  const name = queueNameOf(typeName);
  for (let attempt = 1; ; attempt += 1) {
    try {
      // Looking first keeps instances that start after the queue exists away from pg-boss's DDL entirely.
      if (!(await boss.getQueue(name))) {
        await boss.createQueue(name, {
          name,
          // `short`: a second step for a job that already has one waiting is dropped, not doubled.
          policy: 'short',
          retryLimit: 10,
          retryDelay: 2,
          retryBackoff: true,
          expireInSeconds: STEP_TIMEOUT_SECONDS,
        });
      }
      break;
    } catch (error) {
      // Instances starting together race on createQueue's partition DDL: the loser of a deadlock or of the
      // unique name is told so, and on a later look finds the winner's queue.
      const code = (error as { code?: unknown }).code;
      if (typeof code !== 'string' || !QUEUE_CREATION_RACE_CODES.has(code) || attempt >= QUEUE_CREATION_ATTEMPTS) {
        throw error;
      }
      logEvent('info', 'job queue creation raced another instance; looking again', { queue: name, code, attempt });
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 100));
    }
  }
  ensured.add(typeName);
}

/** Queues the next step of a job to run in `afterMs`; when one is already waiting, it runs no later than that. */
export async function enqueueStep(typeName: string, jobId: string, afterMs = 0): Promise<void> {
  await ensureQueue(typeName);
  const boss = await getQueue();
  const message: StepMessage = { jobId };
  const startAfter = new Date(Date.now() + Math.max(0, afterMs));
  const queued = await boss.send(queueNameOf(typeName), message, { singletonKey: jobId, startAfter });
  if (queued !== null) return;
  // pg-boss has no call to bring a waiting job forward: its `job` table is documented and stable within a major version.
  const database = await getDatabaseHandle();
  await database.executeSql(
    `UPDATE pgboss.job SET start_after = least(start_after, $3) WHERE name = $1 AND singleton_key = $2 AND state = 'created'`,
    [queueNameOf(typeName), jobId, startAfter],
  );
}

/** Stops the queue of this process (workers finish their step first, up to `timeoutMs`). */
export async function closeQueue(timeoutMs = 10_000): Promise<void> {
  const store = globalThis as GlobalWithQueue;
  const pending = store[globalKey];
  delete store[globalKey];
  ensured.clear();
  if (!pending) return;
  const boss = await pending.catch(() => null);
  await boss?.stop({ graceful: true, wait: true, close: false, timeout: timeoutMs });
}
