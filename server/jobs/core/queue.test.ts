/**
 * The jobs module's core on this test database (PGlite, and PostgreSQL in the second run): a job
 * type defined with `defineJobType`, queued, advanced step by step by the workers and by the cron
 * pass, with every step run exactly once and its state moved only through its machine.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineStateMachine } from '@/lib/jobs/state-machine';
import { closeDb } from '@/server/db';
import { defineJobType, idle, runAgainIn } from './define';
import { TransitionRefusedError } from './errors';
import { closeQueue, enqueueStep } from './queue';
import { runDueSteps, startWorkers } from './runner';
import { getJob, insertJob, setProgress, transitionJob } from './store';

const owner = { id: 'admin-1', email: 'admin@demo.local', service: 'default' };
const countMachine = defineStateMachine('count job', ['queued', 'counting', 'done'] as const, {
  queued: ['counting'],
  counting: ['done'],
  done: [],
});
/** Every step run, as `jobId:step`: a step run twice shows up twice. */
const ran: string[] = [];

const countJob = defineJobType({
  name: 'count-test',
  payload: z.object({ to: z.number().int().positive() }),
  machine: countMachine,
  initialState: 'queued',
  async runStep({ job, payload }) {
    if (job.state === 'queued') await transitionJob(countJob, job.id, 'counting');
    ran.push(`${job.id}:${job.progress.done}`);
    const done = job.progress.done + 1;
    await setProgress(job.id, done, payload.to);
    if (done < payload.to) return runAgainIn(0);
    await transitionJob(countJob, job.id, 'done', { set: { result: { counted: done } } });
    return idle;
  },
});

async function startCount(to: number) {
  const job = await insertJob(countJob, owner, { to });
  await enqueueStep(countJob.name, job.id);
  return job.id;
}

async function finished(jobId: string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const job = await getJob(countJob, jobId);
    if (job.state === 'done') return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`job ${jobId} did not finish`);
}

afterAll(async () => {
  await closeQueue();
  await closeDb();
});

describe('the job queue', () => {
  it('advances a job from a cron pass within its budget, each step once, and records its result', async () => {
    const jobId = await startCount(3);
    const { steps } = await runDueSteps([countJob], 30_000);
    expect(steps).toBe(3);
    const job = await getJob(countJob, jobId);
    expect(job).toMatchObject({ state: 'done', progress: { done: 3, total: 3 }, result: { counted: 3 } });
    expect(job.finishedAt).toBeInstanceOf(Date);
    expect(ran.filter((step) => step.startsWith(jobId))).toEqual([`${jobId}:0`, `${jobId}:1`, `${jobId}:2`]);
  }, 60_000);

  it('runs jobs on the workers, several at once, never one step twice', async () => {
    await startWorkers([countJob]);
    // A second set of workers on the same queue, as a second instance would have.
    await startWorkers([countJob]);
    const ids = await Promise.all([startCount(5), startCount(5), startCount(5)]);
    // Queuing a step a job already has waiting is a no-op, not a second run.
    await Promise.all(ids.map((id) => enqueueStep(countJob.name, id)));
    for (const id of ids) await finished(id);
    for (const id of ids) {
      expect(ran.filter((step) => step.startsWith(id)).sort()).toEqual([0, 1, 2, 3, 4].map((n) => `${id}:${n}`));
    }
  }, 90_000);

  it('refuses a transition its machine does not allow, naming the states', async () => {
    const job = await insertJob(countJob, owner, { to: 1 });
    const refused = await transitionJob(countJob, job.id, 'done').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TransitionRefusedError);
    expect(refused).toMatchObject({ kind: 'conflict', from: 'queued', to: 'done' });
    expect((await getJob(countJob, job.id)).state).toBe('queued');
    await expect(getJob(countJob, 'no-such-job')).rejects.toMatchObject({ kind: 'not_found' });
  });
});
