'use client';

import { useSyncExternalStore } from 'react';
import type { CsvLimits, PreflightSummary, RowIssue, ServiceFacts } from '@/lib/csv/preflight';
import type { PlannedJob } from '@/lib/csv/worker-protocol';
import { refusedRowIssues } from '@/lib/csv/error-report';
import { reportNamespaces, type CsvText } from '@/lib/csv/messages';
import type { Locale } from '@/lib/i18n/locales';
import type { DryRunNarrowResult, Job, JobChunk, JobDetailResponse, RowOutcome } from '@/lib/schemas/issue-job';
import { summarizeError, type ErrorSummary } from '@/components/ui/states';
import { issuedRowRanges } from './job-rows';
import { jobsApiFor } from '@/components/data/jobs-api';
import { PreflightWorkerClient, WorkerError, type PreflightProgress } from './worker-client';

/**
 * The bulk-issuing session of this tab: the file being checked, its rows and generated values (in
 * the worker), the job they became, and the chunks this tab is sending. Module state, so it
 * survives moving between the upload page and the job page; a reload ends it (the values live
 * nowhere else but in the downloaded file).
 */
export type SessionPhase =
  'idle' | 'checking' | 'file-error' | 'checked' | 'planning' | 'dry-running' | 'submitting' | 'submitted';

export interface BatchSessionState {
  phase: SessionPhase;
  fileName?: string;
  progress?: PreflightProgress;
  fileError?: { code: string; message: string; texts: CsvText[] };
  summary?: PreflightSummary;
  issues?: RowIssue[];
  /** Parse and check time in the worker, and as the page saw it (ms). */
  elapsedMs?: number;
  pageElapsedMs?: number;
  plan?: PlannedJob;
  /** File line of each row of the plan. */
  lines?: Int32Array;
  jobId?: string;
  /** Chunks this tab has sent in the current step, of how many. */
  sent?: { done: number; total: number; kind: 'dry-run' | 'submit' };
  /** The last failure of a step (network, server refusal). */
  error?: ErrorSummary;
  /** The values file: downloaded from this tab, or chosen to resume the job here. */
  valuesFileName?: string;
  valuesDownloaded: boolean;
  /** The job is final and this tab dropped its rows and values (the worker holding them ended). */
  valuesForgotten?: boolean;
  /** Rows Authlete refused in the dry run, found by narrowing the failed chunks (every one, in line order). */
  refusedRows?: RowOutcome[];
  /** Chunks whose failed dry run this tab narrowed, with what it cost. */
  narrowed?: Record<number, Pick<DryRunNarrowResult, 'dryRuns' | 'maxDryRuns' | 'limitReached'>>;
  /** Failed dry runs being narrowed now: which chunk, how many done of how many. */
  narrowing?: { seq: number; done: number; total: number };
  /** Refused rows the admin chose to leave out. */
  excludedRefused?: number;
}

const initial: BatchSessionState = { phase: 'idle', valuesDownloaded: false };
let state: BatchSessionState = initial;
const listeners = new Set<() => void>();
let worker: PreflightWorkerClient | undefined;
/** Chunks sent at once: enough to keep Authlete busy without queueing many 1000-row bodies. */
const SEND_CONCURRENCY = 2;

function set(next: Partial<BatchSessionState>) {
  state = { ...state, ...next };
  for (const listener of listeners) listener();
}

function getWorker(): PreflightWorkerClient {
  worker ??= new PreflightWorkerClient();
  return worker;
}

export function useBatchSession(): BatchSessionState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
    () => initial,
  );
}

export function getBatchSession(): BatchSessionState {
  return state;
}

/** Whether this tab still holds the rows and values of `jobId` (needed to send, narrow or resume). */
export function holdsJob(jobId: string): boolean {
  return state.jobId === jobId && state.plan !== undefined;
}

/** Starts over: drops the rows and values held by the worker. */
export function resetSession() {
  worker?.terminate();
  worker = undefined;
  state = initial;
  for (const listener of listeners) listener();
}

export async function checkFile(file: File, facts: ServiceFacts, limits?: Partial<CsvLimits>): Promise<void> {
  resetSession();
  set({ phase: 'checking', fileName: file.name, progress: { bytes: 0, totalBytes: file.size, rows: 0 } });
  const started = performance.now();
  performance.mark('csv-preflight-start');
  try {
    const result = await getWorker().call({ type: 'preflight', file, facts, limits }, (progress) => set({ progress }));
    performance.mark('csv-preflight-end');
    performance.measure('csv-preflight', 'csv-preflight-start', 'csv-preflight-end');
    set({
      phase: 'checked',
      summary: result.summary,
      issues: result.issues,
      elapsedMs: result.elapsedMs,
      pageElapsedMs: performance.now() - started,
    });
  } catch (error) {
    const { code, message, texts } =
      error instanceof WorkerError ? error : { code: 'internal', message: summarizeError(error).message, texts: [] };
    set({ phase: 'file-error', fileError: { code, message, texts } });
  }
}

function download(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Give the browser time to start the download before the blob goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The file's invalid rows, and the rows Authlete refused in the dry run, written by the worker in the
 * person's language (`messages`: the catalogue namespaces the page has, `reportNamespaces` of them sent).
 */
export async function downloadErrorReport(locale: Locale, messages: Record<string, unknown>): Promise<void> {
  const extra = state.refusedRows?.length ? refusedRowIssues(state.refusedRows) : undefined;
  const picked = Object.fromEntries(reportNamespaces.map((namespace) => [namespace, messages[namespace]]));
  const { blob, fileName } = await getWorker().call({ type: 'error-report', extra, locale, messages: picked });
  download(blob, fileName);
}

/** Chunks whose dry run failed and that are still to be sent: their rows cannot go in as they are. */
export function failedDryRuns(detail: JobDetailResponse): JobChunk[] {
  return detail.chunks.filter((chunk) => chunk.state === 'pending' && chunk.dryRunState === 'failed');
}

/**
 * Authlete stops a dry run at the first bad element, so each failed chunk is narrowed on the server
 * (dry runs of parts of it, bounded) until every bad row is known. One chunk at a time: each
 * narrowing already sends its dry runs one after the other.
 */
export async function narrowFailedDryRuns(service: string, detail: JobDetailResponse): Promise<void> {
  if (!holdsJob(detail.job.id) || state.narrowing) return;
  const todo = failedDryRuns(detail).filter((chunk) => state.narrowed?.[chunk.seq] === undefined);
  if (todo.length === 0) return;
  set({ narrowing: { seq: todo[0]!.seq, done: 0, total: todo.length }, error: undefined });
  try {
    for (const [done, chunk] of todo.entries()) {
      set({ narrowing: { seq: chunk.seq, done, total: todo.length } });
      const { json } = await getWorker().call({ type: 'narrow-rows', ranges: chunk.rowRanges });
      const result = await jobsApiFor(service).narrowDryRun(detail.job.id, chunk.seq, json);
      const known = new Set((state.refusedRows ?? []).map((row) => row.rowIndex));
      set({
        refusedRows: [...(state.refusedRows ?? []), ...result.badRows.filter((row) => !known.has(row.rowIndex))].sort(
          (a, b) => a.line - b.line,
        ),
        narrowed: {
          ...state.narrowed,
          [chunk.seq]: { dryRuns: result.dryRuns, maxDryRuns: result.maxDryRuns, limitReached: result.limitReached },
        },
      });
    }
    set({ narrowing: undefined });
  } catch (error) {
    set({ narrowing: undefined, error: summarizeError(error) });
  }
}

/**
 * The admin's explicit choice: the refused rows of every narrowed chunk are left out, and the rest
 * of each chunk is dry-run again as a new chunk (which is narrowed the same way if it fails).
 */
export async function excludeRefusedAndDryRun(
  service: string,
  detail: JobDetailResponse,
  refreshJob: () => Promise<unknown>,
): Promise<void> {
  const lines = state.lines;
  if (!holdsJob(detail.job.id) || !lines) return;
  const refused = new Set((state.refusedRows ?? []).map((row) => row.rowIndex));
  const chunks = failedDryRuns(detail).filter((chunk) => state.narrowed?.[chunk.seq] !== undefined);
  set({ error: undefined });
  try {
    const remainders: JobChunk[] = [];
    let excluded = 0;
    for (const chunk of chunks) {
      const kept: number[] = [];
      for (const [from, to] of chunk.rowRanges) for (let i = from; i < to; i++) if (!refused.has(i)) kept.push(i);
      const remaining =
        kept.length > 0 ? { firstLine: lines[kept[0]!]!, lastLine: lines[kept[kept.length - 1]!]! } : null;
      const result = await jobsApiFor(service).exclude(detail.job.id, chunk.seq, { remaining });
      excluded += result.excludedRows;
      if (result.chunk) remainders.push(result.chunk);
    }
    set({ excludedRefused: (state.excludedRefused ?? 0) + excluded });
    // The page must see the new chunks before their dry runs count as sent.
    await refreshJob();
    await sendChunks(service, detail.job.id, remainders, 'dry-run');
  } catch (error) {
    set({ error: summarizeError(error) });
  }
}

/** The file line of each row of these ranges (a service that creates rows one by one records refusals by line). */
function linesOf(ranges: readonly [number, number][]): number[] | undefined {
  const lines = state.lines;
  if (!lines) return undefined;
  const out: number[] = [];
  for (const [from, to] of ranges) for (let i = from; i < to; i++) out.push(lines[i]!);
  return out;
}

async function sendChunks(
  service: string,
  jobId: string,
  chunks: readonly JobChunk[],
  kind: 'dry-run' | 'submit',
): Promise<void> {
  const jobsApi = jobsApiFor(service);
  set({ sent: { done: 0, total: chunks.length, kind }, error: undefined });
  let next = 0;
  let done = 0;
  const work = async () => {
    while (next < chunks.length) {
      const chunk = chunks[next++]!;
      const { json } = await getWorker().call({ type: 'requests', ranges: chunk.rowRanges });
      await (kind === 'dry-run'
        ? jobsApi.dryRun(jobId, chunk.seq, json)
        : jobsApi.submit(jobId, chunk.seq, json, linesOf(chunk.rowRanges)));
      done++;
      set({ sent: { done, total: chunks.length, kind } });
    }
  };
  await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, chunks.length) }, work));
}

/**
 * Generates the missing token values, records the job (file facts and chunk plan only) and starts
 * an Authlete dry run of every chunk. Resolves with the job id; the page then polls the results.
 */
export async function startDryRun(service: string, chunkSize: number): Promise<string | undefined> {
  set({ phase: 'planning', error: undefined });
  try {
    const { job: plan, lines } = await getWorker().call({ type: 'plan', chunkSize });
    const detail = await jobsApiFor(service).create(plan);
    set({ phase: 'dry-running', plan, lines, jobId: detail.job.id });
    await sendChunks(service, detail.job.id, detail.chunks, 'dry-run');
    return detail.job.id;
  } catch (error) {
    set({ phase: 'checked', error: summarizeError(error) });
    return undefined;
  }
}

/** The one download of the generated values (of the rows the job issues); called as the submission starts. */
export async function downloadValuesFile(detail: JobDetailResponse): Promise<void> {
  if (!holdsJob(detail.job.id) || state.plan!.generatedRows === 0) return;
  const { blob } = await getWorker().call({ type: 'values-file', ranges: issuedRowRanges(detail.chunks) });
  const fileName = `${(state.fileName ?? 'tokens').replace(/\.csv$/i, '')}-token-values-${state.jobId?.slice(0, 8) ?? ''}.csv`;
  download(blob, fileName);
  set({ valuesDownloaded: true, valuesFileName: fileName });
}

/** Submits every chunk still pending (first submission and resume alike). */
export async function submitPending(service: string, detail: JobDetailResponse): Promise<void> {
  if (!holdsJob(detail.job.id)) return;
  const pending = detail.chunks.filter((chunk) => chunk.state === 'pending');
  set({ phase: 'submitting', error: undefined });
  try {
    await sendChunks(service, detail.job.id, pending, 'submit');
    set({ phase: 'submitted' });
  } catch (error) {
    set({ phase: 'submitted', error: summarizeError(error) });
  }
}

/** Narrows a failed chunk with this tab's rows and values; the server resubmits what is good. */
export async function narrowChunk(service: string, jobId: string, chunk: JobChunk) {
  const { json } = await getWorker().call({ type: 'narrow-rows', ranges: chunk.rowRanges });
  return jobsApiFor(service).narrow(jobId, chunk.seq, json);
}

/**
 * Resuming in a tab that did not create the job: the original file is checked again (its SHA-256
 * must match the job's), and the generated values come back from the values file.
 */
/** Why the files chosen to resume a job cannot be used, in catalogue texts the page translates. */
export class ResumeFileError extends Error {
  override name = 'ResumeFileError';
  constructor(
    readonly texts: CsvText[],
    message: string,
  ) {
    super(message);
  }
}

export async function reloadForJob(
  detail: JobDetailResponse,
  original: File,
  valuesFile: File | undefined,
  facts: ServiceFacts,
): Promise<void> {
  await checkFile(original, facts);
  if (state.phase !== 'checked') {
    throw new ResumeFileError(
      state.fileError?.texts ?? [],
      state.fileError?.message ?? 'The file could not be checked.',
    );
  }
  const { job: plan, lines } = await getWorker().call({ type: 'plan', chunkSize: detail.job.chunkSize });
  if (plan.fileSha256 !== detail.job.fileSha256 || plan.rowCount !== detail.job.rowCount) {
    resetSession();
    throw new ResumeFileError(
      [{ key: 'batches.resume.notThisFile', values: { file: detail.job.fileName } }],
      `This is not the file of this job (${detail.job.fileName}); choose the same file you uploaded.`,
    );
  }
  if (detail.job.generatedRows > 0) {
    if (!valuesFile) {
      resetSession();
      throw new ResumeFileError(
        [{ key: 'batches.resume.valuesFileNeeded' }],
        'This job generated token values: choose the values file you downloaded as well.',
      );
    }
    await getWorker().call({ type: 'restore-values', file: valuesFile, ranges: issuedRowRanges(detail.chunks) });
  }
  set({
    plan,
    lines,
    jobId: detail.job.id,
    phase: 'submitted',
    valuesDownloaded: true,
    valuesFileName: valuesFile?.name,
  });
}

/**
 * Whether this tab holds the rows and values of `job` and no longer needs them: the job is final
 * and its generated values (if any) were offered as the values file.
 */
export function valuesNoLongerNeeded(
  job: Pick<Job, 'id' | 'state' | 'generatedRows'>,
  session: BatchSessionState = state,
): boolean {
  return (
    session.jobId === job.id &&
    session.plan !== undefined &&
    job.state === 'completed' &&
    (job.generatedRows === 0 || session.valuesDownloaded)
  );
}

/**
 * After the job is final: the worker holding the rows and generated values ends, so they leave
 * this tab's memory. What the page shows about the job (its id, the values file's name) stays.
 */
export function forgetValues(): void {
  worker?.terminate();
  worker = undefined;
  set({ plan: undefined, lines: undefined, refusedRows: undefined, valuesForgotten: true });
}
