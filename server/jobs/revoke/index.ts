import 'server-only';
import { csvCell, csvLine, UTF8_BOM } from '@/lib/csv/csv-writer';
import {
  MAX_REVOKE_SUBJECTS,
  revokeQuerySchema,
  tokenFieldsOf,
  type RevokeJob,
  type RevokeQuery,
} from '@/lib/schemas/incident';
import type { Actor } from '@/lib/schemas/session';
import type { AuthleteClient } from '@/server/authlete';
import { getDb } from '@/server/db';
import { JobError } from '../core/errors';
import { enqueueStep } from '../core/queue';
import { getJob, insertJob, listJobRecords, transitionJob, type JobRecord } from '../core/store';
import { revokeJobType } from './job-type';
import { previewDigest } from './digest';
import {
  createRevokeRow,
  findRevokeRow,
  insertItems,
  itemCounts,
  itemsAfter,
  updateRevokeRow,
  type RevokeRow,
} from './store';
import { subjectItems } from './work';

/**
 * Revoke by query, as the routes use it: draft a job, upload its subject list, preview it, start
 * it with the preview's digest, pause, resume or cancel it, read it and its report.
 */

type RevokeState = JobRecord<(typeof revokeJobType.machine.states)[number]>;

async function loadJob(jobId: string, service: string): Promise<{ job: RevokeState; row: RevokeRow }> {
  const job = await getJob(revokeJobType, jobId);
  const row = await findRevokeRow(jobId);
  // A job of another service is not found from this one's address.
  if (!row || row.service !== service) throw new JobError('not_found', `No revocation job with ID ${jobId} exists.`);
  return { job, row: { ...row, query: revokeQuerySchema.parse(row.query) } };
}

function toView(job: RevokeState, row: RevokeRow, counts: Awaited<ReturnType<typeof itemCounts>>): RevokeJob {
  const startedAt = row.startedAt?.getTime() ?? null;
  const end = job.finishedAt?.getTime() ?? Date.now();
  const seconds = startedAt === null ? 0 : (end - startedAt) / 1000;
  const processed = counts.done + counts.failed;
  return {
    id: job.id,
    service: row.service,
    state: job.state,
    query: row.query,
    createdAt: job.createdAt.getTime(),
    createdBy: job.createdBy,
    startedAt,
    finishedAt: job.finishedAt?.getTime() ?? null,
    reason: row.reason,
    ticket: row.ticket,
    subjectsUploaded: row.subjectsUploaded,
    scanned: row.scanned,
    preview: row.preview,
    counts: {
      done: counts.done,
      failed: counts.failed,
      remaining: counts.total - processed,
      revokedTokens: counts.revokedTokens,
    },
    rate: seconds > 0 ? Math.round((processed / seconds) * 10) / 10 : null,
    error: job.error,
  };
}

export async function getRevokeJob(jobId: string, service: string): Promise<RevokeJob> {
  const { job, row } = await loadJob(jobId, service);
  return toView(job, row, await itemCounts(row));
}

export async function listRevokeJobs(service: string, page = 1, pageSize = 50): Promise<RevokeJob[]> {
  const { jobs } = await listJobRecords(revokeJobType, service, page, pageSize);
  const views: RevokeJob[] = [];
  for (const job of jobs) {
    const row = await findRevokeRow(job.id);
    if (!row || row.service !== service) continue;
    const parsed = { ...row, query: revokeQuerySchema.parse(row.query) };
    views.push(toView(job, parsed, await itemCounts(parsed)));
  }
  return views;
}

/** A new job in `draft` with its query (and, for a subject list, no subjects yet). */
export async function createRevokeJob(owner: Actor, service: string, query: RevokeQuery): Promise<RevokeJob> {
  const db = await getDb();
  const job = await db.transaction(async (tx) => {
    const created = await insertJob(revokeJobType, { ...owner, service }, { service }, { tx });
    await createRevokeRow(created.id, service, query, tx);
    return created;
  });
  return getRevokeJob(job.id, service);
}

/** Adds one chunk of the subject list (a chunk sent twice adds nothing the second time). */
export async function addSubjects(jobId: string, service: string, subjects: readonly string[]): Promise<number> {
  const { job, row } = await loadJob(jobId, service);
  if (job.state !== 'draft') throw new JobError('conflict', 'Subjects can only be added before the preview.');
  if (!row.query.subjectList) throw new JobError('invalid_input', 'This job has no subject list.');
  const unique = [...new Set(subjects)];
  if (row.subjectsUploaded + unique.length > MAX_REVOKE_SUBJECTS)
    throw new JobError('too_much_work', `A job takes at most ${MAX_REVOKE_SUBJECTS} subjects.`);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const added = await insertItems(jobId, subjectItems(unique, row.query.clientIds), tx);
    const subjectsAdded = added / Math.max(1, row.query.clientIds.length);
    await updateRevokeRow(jobId, { subjectsUploaded: row.subjectsUploaded + subjectsAdded }, tx);
    return subjectsAdded;
  });
}

/** Starts the preview: fixes the clients the query covers and queues the counting steps. */
export async function startPreview(authlete: AuthleteClient, jobId: string, service: string): Promise<RevokeJob> {
  const { job, row } = await loadJob(jobId, service);
  if (job.state !== 'draft') throw new JobError('conflict', 'This job has been previewed already.');
  if (row.query.subjectList && row.subjectsUploaded === 0)
    throw new JobError('invalid_input', 'Upload the subject list before the preview.');
  const clients =
    row.query.clientIds.length > 0 || !tokenFieldsOf(row.query)
      ? row.query.clientIds
      : (await authlete.listClients()).map((client) => client.clientId);
  await updateRevokeRow(jobId, { clients, scanCursor: { client: 0, offset: 0 }, scanned: 0 });
  await transitionJob(revokeJobType, jobId, 'scanning', { from: ['draft'] });
  await enqueueStep(revokeJobType.name, jobId);
  return getRevokeJob(jobId, service);
}

/**
 * Starts a previewed job. The digest must be the preview's, recomputed from the query sent now
 * (a query changed since the preview is refused), and the confirmation the number of items.
 * Returns the job's own row, so the caller can lock its clients first when the query says so.
 */
export async function checkStart(
  jobId: string,
  service: string,
  input: { query: RevokeQuery; digest: string; confirmation: string },
): Promise<RevokeRow> {
  const { job, row } = await loadJob(jobId, service);
  if (job.state !== 'previewed' || !row.preview)
    throw new JobError('conflict', `This job is ${job.state}; only a previewed job can be started.`);
  const expected = previewDigest({
    jobId,
    service,
    query: input.query,
    items: row.preview.items,
    clients: row.preview.clients,
  });
  if (input.digest !== row.preview.digest || expected !== row.preview.digest)
    throw new JobError(
      'conflict',
      'This is not what was previewed (the query or the preview changed); preview it again.',
    );
  if (input.confirmation.replace(/[,\s]/g, '') !== String(row.preview.items))
    throw new JobError('invalid_input', `Type ${row.preview.items} to confirm.`);
  return row;
}

export async function startRun(jobId: string, service: string, reason: string, ticket: string): Promise<RevokeJob> {
  await updateRevokeRow(jobId, { reason, ticket, startedAt: new Date() });
  await transitionJob(revokeJobType, jobId, 'running', { from: ['previewed'] });
  await enqueueStep(revokeJobType.name, jobId);
  return getRevokeJob(jobId, service);
}

export async function controlRevokeJob(jobId: string, service: string, action: 'pause' | 'resume' | 'cancel') {
  await loadJob(jobId, service);
  if (action === 'pause') await transitionJob(revokeJobType, jobId, 'paused', { from: ['running'] });
  if (action === 'cancel') await transitionJob(revokeJobType, jobId, 'cancelled');
  if (action === 'resume') {
    await transitionJob(revokeJobType, jobId, 'running', { from: ['paused'] });
    await enqueueStep(revokeJobType.name, jobId);
  }
  return getRevokeJob(jobId, service);
}

const REPORT_PAGE = 5_000;
const encoder = new TextEncoder();

/** The per-item report as a CSV stream, read a page at a time. */
export async function revokeReport(jobId: string, service: string): Promise<ReadableStream<Uint8Array>> {
  await loadJob(jobId, service);
  let afterId = 0;
  let first = true;
  return new ReadableStream({
    async pull(controller) {
      if (first) {
        first = false;
        controller.enqueue(
          encoder.encode(
            UTF8_BOM + csvLine(['subject_or_hash', 'kind', 'client_id', 'outcome', 'tokens_revoked', 'result_code']),
          ),
        );
      }
      const items = await itemsAfter(jobId, afterId, REPORT_PAGE);
      const lines = items.map((item) =>
        csvLine([
          csvCell(item.kind === 'token' ? item.tokenHash : item.kind === 'subject' ? item.subject : ''),
          csvCell(item.kind),
          csvCell(item.clientId),
          csvCell(item.outcome ?? 'pending'),
          csvCell(item.count),
          csvCell(item.resultCode),
        ]),
      );
      if (lines.length) controller.enqueue(encoder.encode(lines.join('')));
      if (items.length < REPORT_PAGE) controller.close();
      else afterId = items.at(-1)!.id;
    },
  });
}
