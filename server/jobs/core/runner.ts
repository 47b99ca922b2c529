import 'server-only';
import type PgBoss from 'pg-boss';
import { z } from 'zod';
import { terminalStates } from '@/lib/jobs/state-machine';
import { describeError, logEvent } from '@/server/core/log';
import { idle, runAgainIn, type AnyJobType, type StepResult } from './define';
import { enqueueStep, ensureQueue, getQueue, queueNameOf } from './queue';
import { findJob, openJobIds } from './store';
import { RetryLaterError } from './upstream';

/**
 * Runs job steps: pg-boss workers on a Node host (`startWorkers`), or a time-boxed pass over due
 * steps from a cron call where no process lives on (`runDueSteps`, Vercel). Both run one step
 * the same way (`runOneStep`).
 */

const stepMessageSchema = z.object({ jobId: z.string().min(1) });
/** Workers per job type in one process. */
const WORKERS_PER_TYPE = 2;
/** A step's own time budget on a long-lived host; it should stop starting new work after it. */
const STEP_BUDGET_MS = 60_000;

/** Aborted when this process stops its workers, so steps in progress end soon. */
let stopping = new AbortController();

/** Tells the steps in progress that the workers are stopping. */
export function abortSteps(): void {
  stopping.abort();
}

/** One step of one job: the type's `runStep`, then the next step queued when it asks for one. */
async function runOneStep(type: AnyJobType, data: unknown, deadline: number): Promise<StepResult> {
  const { jobId } = stepMessageSchema.parse(data);
  const job = await findJob(type, jobId);
  if (!job || terminalStates(type.machine).includes(job.state)) return idle;
  let result: StepResult;
  try {
    const signal = stopping.signal;
    result = await type.runStep({ job, payload: type.payload.parse(job.payload), deadline, signal });
    // Stopping: the next start gives every open job a step.
    if (signal.aborted) return idle;
  } catch (error) {
    if (!(error instanceof RetryLaterError)) throw error;
    logEvent('warn', 'job step rate-limited', { jobId, type: type.name, afterMs: error.afterMs });
    result = runAgainIn(error.afterMs);
  }
  if (result.again) await enqueueStep(type.name, jobId, result.afterMs);
  return result;
}

/** Starts this process's workers for every type, and gives each unfinished job a step (work left by a stopped server). */
export async function startWorkers(types: readonly AnyJobType[]): Promise<void> {
  if (stopping.signal.aborted) stopping = new AbortController();
  const boss = await getQueue({ supervise: true });
  for (const type of types) {
    await ensureQueue(type.name);
    for (let i = 0; i < WORKERS_PER_TYPE; i++) {
      await boss.work(queueNameOf(type.name), { pollingIntervalSeconds: 0.5, batchSize: 1 }, async (batch) => {
        for (const job of batch) await runLogged(type, job, Date.now() + STEP_BUDGET_MS);
      });
    }
    for (const jobId of await openJobIds(type)) await enqueueStep(type.name, jobId);
  }
}

async function runLogged(type: AnyJobType, job: PgBoss.Job<unknown>, deadline: number): Promise<void> {
  try {
    await runOneStep(type, job.data, deadline);
  } catch (error) {
    logEvent('error', 'job step failed', { type: type.name, step: job.id, error: describeError(error) });
    // pg-boss retries it with backoff.
    throw error;
  }
}

/**
 * Runs the steps that are due, one after another, until none is left or `budgetMs` is spent
 * (a cron call's time limit). Steps that will be due within the budget are waited for.
 */
export async function runDueSteps(types: readonly AnyJobType[], budgetMs: number): Promise<{ steps: number }> {
  const boss = await getQueue();
  // No long-lived process runs pg-boss's timers here: expire steps whose server died, now.
  await boss.maintain();
  const deadline = Date.now() + budgetMs;
  let steps = 0;
  for (;;) {
    let ranOne = false;
    let waiting = 0;
    for (const type of types) {
      await ensureQueue(type.name);
      const name = queueNameOf(type.name);
      const [job] = await boss.fetch(name);
      if (job) {
        ranOne = true;
        steps++;
        try {
          await runLogged(type, job, deadline);
          await boss.complete(name, job.id);
        } catch (error) {
          await boss.fail(name, job.id, { message: error instanceof Error ? error.message : String(error) });
        }
      }
      waiting += await boss.getQueueSize(name);
      if (Date.now() >= deadline) return { steps };
    }
    if (!ranOne) {
      if (waiting === 0 || Date.now() + 500 >= deadline) return { steps };
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
