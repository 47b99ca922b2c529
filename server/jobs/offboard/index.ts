import 'server-only';
import { z } from 'zod';
import pMap from 'p-map';
import { sha256Base64Url } from '@/lib/hash';
import { offboardMachine, type OffboardJobState } from '@/lib/jobs/offboard-states';
import {
  offboardReportSchema,
  type OffboardPart,
  type OffboardPreview,
  type OffboardReport,
  type OffboardStep,
} from '@/lib/schemas';
import { recordAudit } from '@/server/audit';
import { AuthleteError, type AuthleteClient } from '@/server/authlete';
import { authleteFor, refreshServices } from '@/server/services';
import { defineJobType, idle, runAgainIn, type StepResult } from '../core/define';
import { JobError } from '../core/errors';
import { enqueueStep } from '../core/queue';
import {
  getJob,
  insertJob,
  listJobRecords,
  listJobRecordsByPayload,
  setProgress,
  setResult,
  transitionJob,
  type JobOwner,
  type JobRecord,
} from '../core/store';

/**
 * Offboarding one person: per client, every token deleted (Authlete's authorization delete) and
 * the consent record forgotten. Each part is recorded as it finishes, so a step run again (a
 * restart, a retry) skips what is done: nothing is done twice. Throttling (429) and server errors
 * (5xx, timeouts) end the step, which runs again later; after a few the part is marked failed and
 * the job ends `partial`, to be retried by a person.
 */

const PREVIEW_CONCURRENCY = 4;
/** Attempts a part gets (throttling and server errors) before it is reported failed. */
const MAX_ATTEMPTS = 5;
const RETRY_AFTER_MS = 2_000;

const payloadSchema = z.strictObject({
  service: z.string(),
  subject: z.string(),
  reason: z.string(),
  ticket: z.string().optional(),
});
type OffboardPayload = z.infer<typeof payloadSchema>;

/** What offboarding `subject` would remove: clients with their tokens and/or a consent record. */
export async function previewOffboarding(authlete: AuthleteClient, subject: string): Promise<OffboardPreview> {
  const [{ clients: authorized }, all] = await Promise.all([
    authlete.listAuthorizedClients(subject, 0, 1_000),
    authlete.listClients(),
  ]);
  const names = new Map(all.map((client) => [client.clientId, client.clientName]));
  const withTokens = new Set(authorized.map((client) => client.clientId));
  // Consent records outlive tokens: every client of the service is asked.
  const rows = await pMap(
    all,
    async (client) => {
      const [consent, tokens] = await Promise.all([
        authlete.getGrantedScopes(subject, client.clientId),
        withTokens.has(client.clientId)
          ? authlete
              .listTokens({ subject, clientId: client.clientId, status: 'all' }, 0, 1)
              .then((page) => page.totalCount)
          : Promise.resolve(0),
      ]);
      return {
        clientId: client.clientId,
        ...(names.get(client.clientId) ? { clientName: names.get(client.clientId) as string } : {}),
        tokens,
        consent: consent.latestGrantedScopes !== null,
      };
    },
    { concurrency: PREVIEW_CONCURRENCY },
  );
  const clients = rows.filter((row) => row.tokens > 0 || row.consent);
  return { subject, clients, digest: await sha256Base64Url(JSON.stringify({ subject, clients })) };
}

function isTransient(error: unknown): error is AuthleteError {
  return (
    error instanceof AuthleteError &&
    (error.code === 'rate_limited' ||
      error.code === 'timeout' ||
      error.code === 'network' ||
      (error.code === 'upstream_error' && (error.status ?? 500) >= 500))
  );
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const offboardJobType = defineJobType({
  name: 'offboard',
  payload: payloadSchema,
  machine: offboardMachine,
  initialState: 'queued' as OffboardJobState,
  async runStep({ job, payload, deadline }): Promise<StepResult> {
    if (job.state === 'queued') await transitionJob(offboardJobType, job.id, 'running', { from: ['queued'] });
    else if (job.state !== 'running') return idle;
    const report = offboardReportSchema.parse(job.result ?? { steps: [] });
    await refreshServices();
    const authlete = authleteFor(payload.service);
    const owner = { id: job.createdBy.id, email: job.createdBy.email, role: null, method: null };
    const save = async () => {
      await setResult(job.id, report);
      await setProgress(job.id, doneParts(report), report.steps.length * 2);
    };

    for (const step of report.steps) {
      for (const part of ['tokens', 'consent'] as const) {
        const state: OffboardPart = step[part];
        if (state.state !== 'pending') continue;
        if (Date.now() > deadline) return runAgainIn(0);
        try {
          if (part === 'tokens') {
            const result = await authlete.deleteAuthorization(payload.subject, step.clientId);
            step.tokens = { state: 'done', count: result.count, attempts: state.attempts };
          } else {
            await authlete.deleteGrantedScopes(payload.subject, step.clientId);
            step.consent = { state: 'done', attempts: state.attempts };
          }
        } catch (error) {
          if (error instanceof AuthleteError && error.code === 'not_found') {
            // The client is gone: nothing of the person is left there.
            step[part] = { state: 'done', count: part === 'tokens' ? 0 : null, attempts: state.attempts };
          } else if (isTransient(error) && state.attempts + 1 < MAX_ATTEMPTS) {
            step[part] = { ...state, attempts: state.attempts + 1, error: describe(error) };
            await save();
            return runAgainIn(error.code === 'rate_limited' ? (error.retryAfterSeconds ?? 5) * 1000 : RETRY_AFTER_MS);
          } else {
            step[part] = { state: 'failed', attempts: state.attempts + 1, error: describe(error) };
          }
        }
        await save();
        const done = step[part];
        await recordAudit({
          action: 'subject.offboard_step',
          outcome: done.state === 'done' ? 'success' : 'failure',
          actor: owner,
          target: { subject: payload.subject, clientId: step.clientId },
          service: payload.service,
          count: part === 'tokens' && done.state === 'done' ? (done.count ?? null) : null,
          reason: payload.reason,
          details: { jobId: job.id, service: payload.service, part, ...(done.error ? { error: done.error } : {}) },
        });
      }
    }
    const failed = report.steps.some((step) => step.tokens.state === 'failed' || step.consent.state === 'failed');
    await transitionJob(offboardJobType, job.id, failed ? 'partial' : 'completed', { from: ['running'] });
    await recordAudit({
      action: 'subject.offboard_finish',
      outcome: failed ? 'failure' : 'success',
      actor: owner,
      target: { subject: payload.subject },
      service: payload.service,
      count: report.steps.reduce((sum, step) => sum + (step.tokens.state === 'done' ? (step.tokens.count ?? 0) : 0), 0),
      reason: payload.reason,
      details: { jobId: job.id, clients: report.steps.length },
    });
    return idle;
  },
});

function doneParts(report: OffboardReport): number {
  return report.steps.reduce(
    (sum, step) => sum + (step.tokens.state === 'pending' ? 0 : 1) + (step.consent.state === 'pending' ? 0 : 1),
    0,
  );
}

const pending = (): OffboardPart => ({ state: 'pending', attempts: 0 });

/** Starts offboarding from a preview the person confirmed (the caller checked its digest). */
export async function startOffboarding(
  owner: JobOwner,
  payload: OffboardPayload,
  preview: OffboardPreview,
): Promise<JobRecord<OffboardJobState>> {
  const steps: OffboardStep[] = preview.clients.map((client) => ({
    clientId: client.clientId,
    ...(client.clientName ? { clientName: client.clientName } : {}),
    tokens: pending(),
    consent: pending(),
  }));
  const job = await insertJob(offboardJobType, owner, payload, { progressTotal: steps.length * 2 });
  await setResult(job.id, { steps });
  await enqueueStep(offboardJobType.name, job.id);
  return getJob(offboardJobType, job.id);
}

/** An offboarding job of `subject` (not another person's, not another type). */
export async function getOffboarding(jobId: string, subject: string): Promise<JobRecord<OffboardJobState>> {
  const job = await getJob(offboardJobType, jobId);
  if (payloadSchema.parse(job.payload).subject !== subject)
    throw new JobError('not_found', `No offboarding job with ID ${jobId} exists for this person.`);
  return job;
}

/** How many of a person's offboardings the subject view is shown (the newest first). */
const OFFBOARDINGS_SHOWN = 5;

/** The newest offboarding jobs of `subject` on `service`: the subject view finds a running one after a reload. */
export async function listOffboardings(service: string, subject: string): Promise<JobRecord<OffboardJobState>[]> {
  return listJobRecordsByPayload(offboardJobType, service, { key: 'subject', value: subject }, OFFBOARDINGS_SHOWN);
}

/** The service's offboardings, newest first (the Jobs page); only `ownerId`'s when given. */
export async function listRecentOffboardings(service: string, page: number, pageSize: number, ownerId?: string) {
  return listJobRecords(offboardJobType, service, page, pageSize, ownerId);
}

/** Runs the failed parts again: they become pending, the job running. Parts already done stay done. */
export async function retryOffboarding(jobId: string, subject: string): Promise<JobRecord<OffboardJobState>> {
  const job = await getOffboarding(jobId, subject);
  const report = offboardReportSchema.parse(job.result);
  for (const step of report.steps) {
    if (step.tokens.state === 'failed') step.tokens = pending();
    if (step.consent.state === 'failed') step.consent = pending();
  }
  await transitionJob(offboardJobType, job.id, 'running', { from: ['partial'] });
  await setResult(job.id, report);
  await enqueueStep(offboardJobType.name, job.id);
  return getJob(offboardJobType, job.id);
}
