import 'server-only';
import type { JobType } from './core/define';
import { closeQueue, enqueueStep } from './core/queue';
import { abortSteps, runDueSteps, startWorkers } from './core/runner';
import { insertJob, type JobOwner, type JobRecord } from './core/store';
import { startSnapshotWorker, stopSnapshotChecks } from './snapshots';
import { startAuditSinks, stopAuditSinks } from './audit-sinks';
import { startWebhookWorkers, stopWebhookSweep } from './webhooks/deliver';
import { jobTypes } from './registry';

/**
 * The jobs module: long-running work a person starts (issue tokens from a CSV file, export…), run
 * in steps on a durable Postgres-backed queue (pg-boss) so it survives a closed tab, a restart
 * and a second instance. See README.md, "Architecture", for how to add a job type.
 */
export { defineJobType, idle, runAgainIn, type JobType, type StepContext, type StepResult } from './core/define';
export { JobError, TransitionRefusedError, type JobErrorKind } from './core/errors';
export { enqueueStep } from './core/queue';
export {
  findJob,
  getJob,
  insertJob,
  listJobRecords,
  setProgress,
  transitionJob,
  type JobOwner,
  type JobRecord,
} from './core/store';
export { mapUpstream, RetryLaterError } from './core/upstream';
export { deliverDueWebhooks } from './webhooks/deliver';
export { takeDueSnapshots } from './snapshots';

/** Starts the job workers of this process (Node hosts, from server/startup.ts), webhook deliveries and audit sinks included. */
export const startJobWorkers = async () => {
  await startWorkers(jobTypes);
  await startWebhookWorkers();
  await startSnapshotWorker();
  startAuditSinks();
};
/** Stops them: steps in progress are told to stop starting new work, and each finishes first. */
export const stopJobWorkers = () => {
  abortSteps();
  stopWebhookSweep();
  stopSnapshotChecks();
  stopAuditSinks();
  return closeQueue();
};
/** Advances due work within `budgetMs` (the cron route, where no worker process lives). */
export const runDueJobSteps = (budgetMs: number) => runDueSteps(jobTypes, budgetMs);

/** Records a new job of `type` for `owner` and queues its first step: the usual way to start one. */
export async function enqueue<P, S extends string>(
  type: JobType<P, S>,
  owner: JobOwner,
  payload: P,
  { progressTotal }: { progressTotal?: number | null } = {},
): Promise<JobRecord<S>> {
  const job = await insertJob(type, owner, payload, { progressTotal });
  await enqueueStep(type.name, job.id);
  return job;
}
