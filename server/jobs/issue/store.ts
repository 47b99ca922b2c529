import 'server-only';
import { and, asc, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import {
  chunkMachine,
  dryRunMachine,
  type ChunkState,
  type DryRunState,
  type IssueJobState,
} from '@/lib/jobs/issue-states';
import { sourcesOf } from '@/lib/jobs/state-machine';
import type { Job, JobChunk, JobDetailResponse, JobListResponse, RowOutcome } from '@/lib/schemas/issue-job';
import { recordAudit } from '@/server/audit';
import { getDb } from '@/server/db';
import { issueChunks, issueJobs, issueRowOutcomes } from '@/server/db/schema';
import { JobError, TransitionRefusedError } from '@/server/jobs/core/errors';
import {
  findJob,
  getJob,
  listJobRecords,
  setProgress,
  transitionJob,
  type JobRecord,
  type Tx,
} from '@/server/jobs/core/store';
import type { NarrowResult } from './narrow';
import { issueJobType } from './job-type';

/**
 * The issue job's storage: its details (issue_jobs), chunks and row outcomes, read back as the API
 * shapes, and the one way a chunk's state changes (`transitionChunk`, `transitionDryRun`).
 */

type IssueJobRow = typeof issueJobs.$inferSelect;
export type ChunkRow = typeof issueChunks.$inferSelect;
type ChunkChanges = Partial<Omit<typeof issueChunks.$inferInsert, 'id' | 'jobId' | 'seq' | 'state' | 'dryRunState'>>;

/** Most outcomes returned with a job (the page shows the first ones; counts are exact). */
const MAX_OUTCOMES = 500;

const ms = (date: Date | null) => (date ? date.getTime() : null);

function toJob(record: JobRecord<IssueJobState>, row: IssueJobRow): Job {
  return {
    id: record.id,
    createdAt: record.createdAt.getTime(),
    createdBy: record.createdBy,
    fileName: row.fileName,
    fileSha256: row.fileSha256,
    fileBytes: row.fileBytes,
    fileRows: row.fileRows,
    rowCount: row.rowCount,
    excludedRows: row.excludedRows,
    generatedRows: row.generatedRows,
    chunkSize: row.chunkSize,
    issueMode: row.issueMode,
    state: record.state,
    submittedAt: ms(row.submittedAt),
    finishedAt: ms(record.finishedAt),
    tokensCreated: row.tokensCreated,
    alreadyPresent: row.alreadyPresent,
    rejectedRows: row.rejectedRows,
    dryRunRejectedRows: row.dryRunRejectedRows,
  };
}

export function toChunk(row: ChunkRow): JobChunk {
  return {
    seq: row.seq,
    parentSeq: row.parentSeq,
    rowRanges: row.rowRanges,
    rowCount: row.rowCount,
    firstLine: row.firstLine,
    lastLine: row.lastLine,
    dryRunState: row.dryRunState,
    dryRunRequestId: row.dryRunRequestId,
    dryRunErrorCode: row.dryRunErrorCode,
    dryRunErrorDescription: row.dryRunErrorDescription,
    state: row.state,
    requestId: row.requestId,
    tokenCount: row.tokenCount,
    errorCode: row.errorCode,
    errorDescription: row.errorDescription,
    submittedAt: ms(row.submittedAt),
    finishedAt: ms(row.finishedAt),
    checks: row.checks,
    rowsDone: row.rowsDone,
  };
}

/** Refuses a job of another service as not found: a job is only reached under its own service's address. */
export async function ensureIssueJobOf(jobId: string, service: string, ownerId?: string): Promise<void> {
  const record = await findJob(issueJobType, jobId);
  if (!record || record.service !== service || (ownerId !== undefined && record.createdBy.id !== ownerId))
    throw new JobError('not_found', 'No bulk-issuing job with this ID exists.');
}

async function loadIssueJob(jobId: string): Promise<Job> {
  const db = await getDb();
  const [record, [row]] = await Promise.all([
    findJob(issueJobType, jobId),
    db.select().from(issueJobs).where(eq(issueJobs.id, jobId)),
  ]);
  if (!record || !row) throw new JobError('not_found', 'No bulk-issuing job with this ID exists.');
  return toJob(record, row);
}

/** One service's bulk-issuing jobs, newest first. */
export async function listIssueJobs(
  service: string,
  page: number,
  pageSize: number,
  ownerId?: string,
): Promise<JobListResponse> {
  const db = await getDb();
  const { jobs, totalCount } = await listJobRecords(issueJobType, service, page, pageSize, ownerId);
  const details = jobs.length
    ? await db
        .select()
        .from(issueJobs)
        .where(
          inArray(
            issueJobs.id,
            jobs.map((job) => job.id),
          ),
        )
    : [];
  const byId = new Map(details.map((row) => [row.id, row]));
  return {
    jobs: jobs.flatMap((record) => {
      const row = byId.get(record.id);
      return row ? [toJob(record, row)] : [];
    }),
    totalCount,
    page,
    pageSize,
  };
}

/** The job with its chunks and row outcomes, as stored: the queue keeps it current, reading never calls Authlete. */
export async function getIssueJobDetail(jobId: string): Promise<JobDetailResponse> {
  const db = await getDb();
  const job = await loadIssueJob(jobId);
  const [chunks, outcomes, outcomeTotals] = await Promise.all([
    db.select().from(issueChunks).where(eq(issueChunks.jobId, jobId)).orderBy(asc(issueChunks.seq)),
    db
      .select()
      .from(issueRowOutcomes)
      .where(eq(issueRowOutcomes.jobId, jobId))
      .orderBy(asc(issueRowOutcomes.rowIndex))
      .limit(MAX_OUTCOMES),
    db.select({ total: count() }).from(issueRowOutcomes).where(eq(issueRowOutcomes.jobId, jobId)),
  ]);
  return {
    job,
    chunks: chunks.map(toChunk),
    outcomes: outcomes.map((row): RowOutcome => ({
      rowIndex: row.rowIndex,
      line: row.line,
      chunkSeq: row.chunkSeq,
      outcome: row.outcome,
      errorCode: row.errorCode,
      errorDescription: row.errorDescription,
    })),
    outcomesTruncated: (outcomeTotals[0]?.total ?? 0) > outcomes.length,
  };
}

export async function loadChunk(jobId: string, seq: number): Promise<ChunkRow> {
  const db = await getDb();
  const [chunk] = await db
    .select()
    .from(issueChunks)
    .where(and(eq(issueChunks.jobId, jobId), eq(issueChunks.seq, seq)));
  if (!chunk) throw new JobError('not_found', `Job ${jobId} has no chunk ${seq}.`);
  return chunk;
}

interface ChunkTransition<S extends string> {
  /** Only from these of the allowed source states. */
  from?: readonly S[];
  /** A further condition the chunk must meet (compared in the same UPDATE). */
  where?: SQL;
  set?: ChunkChanges;
  tx?: Tx;
  /** What a person is told when the move is refused. */
  refused: string;
}

async function compareAndSet(chunk: ChunkRow, changes: ChunkChanges & Partial<ChunkRow>, guard: SQL, tx?: Tx) {
  const db = tx ?? (await getDb());
  const [row] = await db
    .update(issueChunks)
    .set(changes)
    .where(and(eq(issueChunks.id, chunk.id), guard))
    .returning();
  return row;
}

/** Moves a chunk's submission state, if lib/jobs/issue-states.ts allows it from the state the chunk is in at that moment. */
export async function transitionChunk(
  chunk: ChunkRow,
  to: ChunkState,
  { from, where, set = {}, tx, refused }: ChunkTransition<ChunkState>,
): Promise<ChunkRow> {
  const allowed = sourcesOf(chunkMachine, to).filter((state) => !from || from.includes(state));
  const row = allowed.length
    ? await compareAndSet(chunk, { ...set, state: to }, and(inArray(issueChunks.state, allowed), where)!, tx)
    : undefined;
  if (!row) throw new TransitionRefusedError(chunkMachine, chunk.state, to, refused);
  return row;
}

/** Moves a chunk's dry-run state, as `transitionChunk` does for its submission. */
export async function transitionDryRun(
  chunk: ChunkRow,
  to: DryRunState,
  { from, where, set = {}, tx, refused }: ChunkTransition<DryRunState>,
): Promise<ChunkRow> {
  const allowed = sourcesOf(dryRunMachine, to).filter((state) => !from || from.includes(state));
  const row = allowed.length
    ? await compareAndSet(
        chunk,
        { ...set, dryRunState: to },
        and(inArray(issueChunks.dryRunState, allowed), where)!,
        tx,
      )
    : undefined;
  if (!row) throw new TransitionRefusedError(dryRunMachine, chunk.dryRunState, to, refused);
  return row;
}

/** Rows that Authlete refused, kept with the job: already present (duplicate value) or rejected. */
export async function recordOutcomes(
  tx: Tx,
  jobId: string,
  seq: number,
  result: Pick<NarrowResult, 'alreadyPresent' | 'rejected'>,
): Promise<void> {
  const outcomes = [
    ...result.alreadyPresent.map((rejection) => ({ ...rejection, outcome: 'already_present' as const })),
    ...result.rejected.map((rejection) => ({ ...rejection, outcome: 'rejected' as const })),
  ];
  if (outcomes.length === 0) return;
  await tx
    .insert(issueRowOutcomes)
    .values(
      outcomes.map(({ row, outcome, errorCode, errorDescription }) => ({
        jobId,
        rowIndex: row.index,
        line: row.line,
        chunkSeq: seq,
        outcome,
        errorCode,
        errorDescription,
      })),
    )
    .onConflictDoNothing();
}

/** A new chunk after the job's last one (the rows a narrowed chunk still has to send). */
export async function appendChunk(
  tx: Tx,
  jobId: string,
  chunk: Omit<typeof issueChunks.$inferInsert, 'jobId' | 'seq'>,
): Promise<number> {
  const [last] = await tx
    .select({ seq: sql<number>`max(${issueChunks.seq})` })
    .from(issueChunks)
    .where(eq(issueChunks.jobId, jobId));
  const seq = (last?.seq ?? -1) + 1;
  await tx.insert(issueChunks).values({ ...chunk, jobId, seq });
  return seq;
}

/** Sorted row indexes as half-open ranges: [0,1,2,5] → [[0,3],[5,6]]. */
export function toRanges(indexes: readonly number[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const index of indexes) {
    const last = ranges[ranges.length - 1];
    if (last && last[1] === index) last[1] = index + 1;
    else ranges.push([index, index + 1]);
  }
  return ranges;
}

/** The job's state as its chunks make it. */
function deriveJobState(submitted: boolean, states: ReadonlySet<ChunkState>): IssueJobState {
  if (!submitted) return 'draft';
  if (states.has('submitting') || states.has('running')) return 'processing';
  if (states.has('failed') || states.has('unknown') || states.has('narrowing')) return 'attention';
  if (states.has('pending')) return 'submitting';
  return 'completed';
}

/** The job's counts and state, derived from its chunks and outcomes; the state moves through `transitionJob`. */
export async function recomputeJob(jobId: string): Promise<void> {
  const db = await getDb();
  const [row] = await db.select().from(issueJobs).where(eq(issueJobs.id, jobId));
  if (!row) return;
  const chunks = await db
    .select({ state: issueChunks.state, tokenCount: issueChunks.tokenCount })
    .from(issueChunks)
    .where(eq(issueChunks.jobId, jobId));
  // Outcomes of a chunk whose dry run failed were found by the dry run: those rows were never sent.
  const outcomeCounts = await db
    .select({ outcome: issueRowOutcomes.outcome, dryRunState: issueChunks.dryRunState, total: count() })
    .from(issueRowOutcomes)
    .innerJoin(
      issueChunks,
      and(eq(issueChunks.jobId, issueRowOutcomes.jobId), eq(issueChunks.seq, issueRowOutcomes.chunkSeq)),
    )
    .where(eq(issueRowOutcomes.jobId, jobId))
    .groupBy(issueRowOutcomes.outcome, issueChunks.dryRunState);
  const outcomesOf = (outcome: RowOutcome['outcome'], atDryRun: boolean) =>
    outcomeCounts
      .filter((counted) => counted.outcome === outcome && (counted.dryRunState === 'failed') === atDryRun)
      .reduce((sum, counted) => sum + counted.total, 0);
  const counts = {
    tokensCreated: chunks.reduce((sum, chunk) => sum + chunk.tokenCount, 0),
    alreadyPresent: outcomesOf('already_present', true) + outcomesOf('already_present', false),
    rejectedRows: outcomesOf('rejected', false),
    dryRunRejectedRows: outcomesOf('rejected', true),
  };
  await db.update(issueJobs).set(counts).where(eq(issueJobs.id, jobId));
  const done = counts.tokensCreated + counts.alreadyPresent + counts.rejectedRows + counts.dryRunRejectedRows;
  await setProgress(jobId, done, row.rowCount);
  const state = deriveJobState(row.submittedAt !== null, new Set(chunks.map((chunk) => chunk.state)));
  const current = await getJob(issueJobType, jobId);
  if (current.state === state) return;
  try {
    await transitionJob(issueJobType, jobId, state, { from: [current.state] });
  } catch (error) {
    // Another step recomputed meanwhile: its answer is as current as this one.
    if (!(error instanceof TransitionRefusedError)) throw error;
    return;
  }
  // Only the step whose transition took records the end (a job ends once: `completed` has no way out).
  if (state === 'completed' && row.submittedAt !== null) {
    await recordAudit({
      action: 'job.finish',
      outcome: counts.rejectedRows + counts.dryRunRejectedRows === 0 ? 'success' : 'failure',
      actor: { id: current.createdBy.id, email: current.createdBy.email },
      service: current.service,
      count: counts.tokensCreated,
      details: { jobId, ...counts },
    });
  }
}

/**
 * The job as a four-eyes approver sees it (server/approvals): its file and row counts, never token
 * values. `payload` is what the approval's digest covers: a job whose rows changed needs a new one.
 */
export async function issueJobForApproval(jobId: string) {
  const job = await loadIssueJob(jobId);
  return {
    tokenCount: job.rowCount,
    payload: { jobId: job.id, fileSha256: job.fileSha256, rowCount: job.rowCount, excludedRows: job.excludedRows },
    summary: { jobId: job.id, fileName: job.fileName, rowCount: job.rowCount, excludedRows: job.excludedRows },
  };
}
