import 'server-only';
import { and, asc, count, desc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { BatchStatus, TokenCreateInput } from '@/lib/schemas';
import type {
  ChunkNarrowResult,
  ChunkState,
  DryRunNarrowResult,
  ExcludeBadRowsResult,
  Job,
  JobChunk,
  JobCreateInput,
  JobDetailResponse,
  JobListResponse,
  JobState,
  RowOutcome,
} from '@/lib/schemas/batch-job';
import { sha256Base64Url } from '@/lib/hash';
import type { AuthleteClient } from '@/server/authlete';
import { AuthleteError } from '@/server/authlete/errors';
import { getDb } from '@/server/db';
import { batchChunks, batchJobs, batchRowOutcomes } from '@/server/db/schema';
import { HttpError } from '@/server/http/errors';
import { chunkDigest } from './digest';
import { narrowFailedChunk, NarrowingLimitError, type NarrowResult, type NarrowRow, type RejectedRow } from './narrow';
import { nextCheckDelayMs, StillProcessingError, waitForFinalStatus } from './polling';

type JobRow = typeof batchJobs.$inferSelect;
type ChunkRow = typeof batchChunks.$inferSelect;

export interface JobOwner {
  id: string;
  email: string;
}

/** Most outcomes returned with a job (the page shows the first ones; counts are exact). */
const MAX_OUTCOMES = 500;
/** Chunks whose status one request asks Authlete for; the rest wait for the next poll. */
const MAX_POLLS_PER_REFRESH = 20;
const POLL_CONCURRENCY = 4;
/** A submission that never recorded Authlete's answer (server stopped mid-call) is "unknown" after this. */
const STALE_SUBMISSION_MS = 2 * 60_000;

const ms = (date: Date | null) => (date ? date.getTime() : null);

/** Authlete processes a batch asynchronously: the first status question waits a moment. */
const FIRST_CHECK_DELAY_MS = 1_000;
const firstCheckAt = () => new Date(Date.now() + FIRST_CHECK_DELAY_MS);

function toJob(row: JobRow): Job {
  return {
    id: row.id,
    createdAt: row.createdAt.getTime(),
    createdBy: { id: row.createdById, email: row.createdByEmail },
    fileName: row.fileName,
    fileSha256: row.fileSha256,
    fileBytes: row.fileBytes,
    fileRows: row.fileRows,
    rowCount: row.rowCount,
    excludedRows: row.excludedRows,
    generatedRows: row.generatedRows,
    chunkSize: row.chunkSize,
    state: row.state as JobState,
    submittedAt: ms(row.submittedAt),
    finishedAt: ms(row.finishedAt),
    tokensCreated: row.tokensCreated,
    alreadyPresent: row.alreadyPresent,
    rejectedRows: row.rejectedRows,
    dryRunRejectedRows: row.dryRunRejectedRows,
  };
}

function toChunk(row: ChunkRow): JobChunk {
  return {
    seq: row.seq,
    parentSeq: row.parentSeq,
    rowRanges: row.rowRanges,
    rowCount: row.rowCount,
    firstLine: row.firstLine,
    lastLine: row.lastLine,
    dryRunState: row.dryRunState as JobChunk['dryRunState'],
    dryRunRequestId: row.dryRunRequestId,
    dryRunErrorCode: row.dryRunErrorCode,
    dryRunErrorDescription: row.dryRunErrorDescription,
    state: row.state as ChunkState,
    requestId: row.requestId,
    tokenCount: row.tokenCount,
    errorCode: row.errorCode,
    errorDescription: row.errorDescription,
    submittedAt: ms(row.submittedAt),
    finishedAt: ms(row.finishedAt),
    checks: row.checks,
  };
}

function notFound(): HttpError {
  return new HttpError(404, 'not_found', 'No bulk-issuing job with this ID exists.');
}

export async function createJob(owner: JobOwner, input: JobCreateInput): Promise<JobDetailResponse> {
  const db = await getDb();
  const id = crypto.randomUUID();
  await db.transaction(async (tx) => {
    await tx.insert(batchJobs).values({
      id,
      createdById: owner.id,
      createdByEmail: owner.email,
      fileName: input.fileName,
      fileSha256: input.fileSha256,
      fileBytes: input.fileBytes,
      fileRows: input.fileRows,
      rowCount: input.rowCount,
      excludedRows: input.excludedRows,
      generatedRows: input.generatedRows,
      chunkSize: input.chunkSize,
    });
    // Insert in slices: a 1M-row job has 1000+ chunks and Postgres caps bind parameters.
    for (let start = 0; start < input.chunks.length; start += 500) {
      await tx.insert(batchChunks).values(
        input.chunks.slice(start, start + 500).map((chunk, i) => ({
          jobId: id,
          seq: start + i,
          rowRanges: [[chunk.rowFrom, chunk.rowTo]] as [number, number][],
          rowCount: chunk.rowTo - chunk.rowFrom,
          firstLine: chunk.firstLine,
          lastLine: chunk.lastLine,
        })),
      );
    }
  });
  return getJobDetail(id);
}

export async function listJobs(page: number, pageSize: number): Promise<JobListResponse> {
  const db = await getDb();
  const [rows, totals] = await Promise.all([
    db
      .select()
      .from(batchJobs)
      .orderBy(desc(batchJobs.createdAt), desc(batchJobs.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ total: count() }).from(batchJobs),
  ]);
  return { jobs: rows.map(toJob), totalCount: totals[0]?.total ?? 0, page, pageSize };
}

/** The job with its chunks and row outcomes; with `client`, first asks Authlete about chunks that are due a status check. */
export async function getJobDetail(jobId: string, client?: AuthleteClient): Promise<JobDetailResponse> {
  const db = await getDb();
  if (client) await refreshJob(jobId, client);
  const [job] = await db.select().from(batchJobs).where(eq(batchJobs.id, jobId));
  if (!job) throw notFound();
  const [chunks, outcomes, outcomeTotals] = await Promise.all([
    db.select().from(batchChunks).where(eq(batchChunks.jobId, jobId)).orderBy(asc(batchChunks.seq)),
    db
      .select()
      .from(batchRowOutcomes)
      .where(eq(batchRowOutcomes.jobId, jobId))
      .orderBy(asc(batchRowOutcomes.rowIndex))
      .limit(MAX_OUTCOMES),
    db.select({ total: count() }).from(batchRowOutcomes).where(eq(batchRowOutcomes.jobId, jobId)),
  ]);
  return {
    job: toJob(job),
    chunks: chunks.map(toChunk),
    outcomes: outcomes.map((row): RowOutcome => ({
      rowIndex: row.rowIndex,
      line: row.line,
      chunkSeq: row.chunkSeq,
      outcome: row.outcome as RowOutcome['outcome'],
      errorCode: row.errorCode,
      errorDescription: row.errorDescription,
    })),
    outcomesTruncated: (outcomeTotals[0]?.total ?? 0) > outcomes.length,
  };
}

async function loadChunk(jobId: string, seq: number): Promise<ChunkRow> {
  const db = await getDb();
  const [chunk] = await db
    .select()
    .from(batchChunks)
    .where(and(eq(batchChunks.jobId, jobId), eq(batchChunks.seq, seq)));
  if (!chunk) throw new HttpError(404, 'not_found', `Job ${jobId} has no chunk ${seq}.`);
  return chunk;
}

function assertRowCount(chunk: ChunkRow, tokens: readonly unknown[]) {
  if (tokens.length !== chunk.rowCount) {
    throw new HttpError(
      400,
      'validation_failed',
      `Chunk ${chunk.seq} has ${chunk.rowCount} rows but ${tokens.length} were sent.`,
    );
  }
}

/** Rows that will be created (or narrowed towards creation) must be exactly the rows the chunk's dry run checked. */
function assertAsPreviewed(chunk: ChunkRow, tokens: readonly TokenCreateInput[]) {
  if (chunk.dryRunDigest === null || chunk.dryRunDigest !== chunkDigest(tokens)) {
    throw new HttpError(
      409,
      'conflict',
      `These are not the rows chunk ${chunk.seq} was dry-run with (a row was changed, added, removed or moved); only the rows a dry run checked can be sent. Start again from the file.`,
    );
  }
}

/** The chunk's Authlete dry run. Refused while one is running, and once the chunk is submitted. */
export async function startDryRun(
  jobId: string,
  seq: number,
  tokens: TokenCreateInput[],
  client: AuthleteClient,
): Promise<JobChunk> {
  const db = await getDb();
  const chunk = await loadChunk(jobId, seq);
  assertRowCount(chunk, tokens);
  const claimed = await db
    .update(batchChunks)
    .set({
      dryRunState: 'running',
      dryRunDigest: chunkDigest(tokens),
      dryRunRequestId: null,
      dryRunErrorCode: null,
      dryRunErrorDescription: null,
      checks: 0,
      nextCheckAt: firstCheckAt(),
    })
    .where(
      and(
        eq(batchChunks.id, chunk.id),
        eq(batchChunks.state, 'pending'),
        // A chunk that passed before dry runs were digested has nothing to compare a submission with: it is checked again.
        or(
          inArray(batchChunks.dryRunState, ['none', 'failed']),
          and(eq(batchChunks.dryRunState, 'succeeded'), isNull(batchChunks.dryRunDigest)),
        ),
      ),
    )
    .returning();
  if (claimed.length === 0)
    throw new HttpError(409, 'conflict', `Chunk ${seq} is already being dry-run or was submitted.`);
  try {
    const { requestId } = await client.createBatch(tokens, true);
    const [updated] = await db
      .update(batchChunks)
      .set({ dryRunRequestId: requestId })
      .where(eq(batchChunks.id, chunk.id))
      .returning();
    return toChunk(updated!);
  } catch (error) {
    await db
      .update(batchChunks)
      .set({
        dryRunState: 'failed',
        dryRunErrorCode: errorCodeOf(error),
        dryRunErrorDescription: errorDescriptionOf(error),
      })
      .where(eq(batchChunks.id, chunk.id));
    throw error;
  }
}

/**
 * Submits a chunk for real, once its dry run passed. The pending → submitting transition is the lock: a second tab or a
 * retried request cannot send the same rows twice. An answer that never came leaves the chunk
 * `unknown` (Authlete may have started it); narrowing then finds out row by row.
 */
export async function submitChunk(
  jobId: string,
  seq: number,
  tokens: TokenCreateInput[],
  client: AuthleteClient,
): Promise<JobChunk> {
  const db = await getDb();
  const chunk = await loadChunk(jobId, seq);
  const now = new Date();
  if (chunk.dryRunState !== 'succeeded') {
    throw new HttpError(409, 'conflict', `Chunk ${seq} has not passed a dry run; run the dry run first.`);
  }
  assertAsPreviewed(chunk, tokens);
  // Nothing is sent for real while any other chunk still holds rows a dry run refused (or never checked).
  const unchecked = await db
    .select({ seq: batchChunks.seq })
    .from(batchChunks)
    .where(
      and(
        eq(batchChunks.jobId, jobId),
        eq(batchChunks.state, 'pending'),
        sql`${batchChunks.dryRunState} <> 'succeeded'`,
      ),
    )
    .limit(1);
  if (unchecked.length > 0) {
    throw new HttpError(
      409,
      'conflict',
      `Chunk ${unchecked[0]!.seq} has not passed its dry run; exclude its bad rows or fix the file before submitting.`,
    );
  }
  const claimed = await db
    .update(batchChunks)
    .set({ state: 'submitting', submittedAt: now, checks: 0, nextCheckAt: firstCheckAt() })
    .where(and(eq(batchChunks.id, chunk.id), eq(batchChunks.state, 'pending')))
    .returning();
  if (claimed.length === 0) throw new HttpError(409, 'conflict', `Chunk ${seq} was already submitted.`);
  await db
    .update(batchJobs)
    .set({ submittedAt: sql`coalesce(${batchJobs.submittedAt}, now())`, updatedAt: now })
    .where(eq(batchJobs.id, jobId));
  try {
    const { requestId } = await client.createBatch(tokens, false);
    const [updated] = await db
      .update(batchChunks)
      .set({ state: 'running', requestId })
      .where(eq(batchChunks.id, chunk.id))
      .returning();
    await recomputeJob(jobId);
    return toChunk(updated!);
  } catch (error) {
    // Refused outright (400): nothing was created. Anything else: Authlete may have started the batch.
    const refused = error instanceof AuthleteError && error.code === 'upstream_rejected';
    await db
      .update(batchChunks)
      .set({
        state: refused ? 'failed' : 'unknown',
        finishedAt: new Date(),
        errorCode: errorCodeOf(error),
        errorDescription: errorDescriptionOf(error),
      })
      .where(eq(batchChunks.id, chunk.id));
    await recomputeJob(jobId);
    throw error;
  }
}

function errorCodeOf(error: unknown): string {
  if (error instanceof AuthleteError) return error.resultCode ?? error.code;
  return 'internal_error';
}

function errorDescriptionOf(error: unknown): string {
  if (error instanceof AuthleteError) return error.resultMessage ?? error.message;
  return 'The request could not be completed.';
}

/**
 * Narrows a failed (or unknown) chunk with its rows and values from the browser: records the rows
 * already present and the rows Authlete rejects, and submits the rest as a new chunk.
 */
export async function narrowChunk(
  jobId: string,
  seq: number,
  rows: NarrowRow[],
  client: AuthleteClient,
): Promise<ChunkNarrowResult> {
  const db = await getDb();
  const chunk = await loadChunk(jobId, seq);
  assertChunkRows(chunk, rows);
  rows.sort((a, b) => a.index - b.index);
  // Narrowing resubmits the rows that were not created: they too must be the rows that passed the dry run.
  assertAsPreviewed(
    chunk,
    rows.map((row) => row.token),
  );
  const claimed = await db
    .update(batchChunks)
    .set({ state: 'narrowing' })
    .where(and(eq(batchChunks.id, chunk.id), inArray(batchChunks.state, ['failed', 'unknown'])))
    .returning();
  if (claimed.length === 0)
    throw new HttpError(409, 'conflict', `Chunk ${seq} has not failed, or is being narrowed already.`);

  const exists = existsIn(client);
  try {
    // A FAILED batch says how many it created; for an unknown one, the first row tells whether it ran at all.
    const createdHint = chunk.state === 'failed' ? chunk.tokenCount : (await exists(rows[0]!.token)) ? rows.length : 0;
    const result = await narrowFailedChunk(rows, createdHint, {
      exists,
      dryRun: dryRunIn(client),
    });
    let resubmittedSeq: number | null = null;
    await db.transaction(async (tx) => {
      await recordOutcomes(tx, jobId, seq, result);
      await tx
        .update(batchChunks)
        .set({ state: 'narrowed', tokenCount: result.createdByFailedBatch.length })
        .where(eq(batchChunks.id, chunk.id));
      if (result.remainder.length > 0) {
        const [last] = await tx
          .select({ seq: sql<number>`max(${batchChunks.seq})` })
          .from(batchChunks)
          .where(eq(batchChunks.jobId, jobId));
        resubmittedSeq = (last?.seq ?? seq) + 1;
        await tx.insert(batchChunks).values({
          jobId,
          seq: resubmittedSeq,
          parentSeq: seq,
          rowRanges: toRanges(result.remainder.map((row) => row.index)),
          rowCount: result.remainder.length,
          firstLine: result.remainder[0]!.line,
          lastLine: result.remainder[result.remainder.length - 1]!.line,
          // The remainder just passed a dry run as a whole.
          dryRunState: 'succeeded',
          dryRunDigest: chunkDigest(result.remainder.map((row) => row.token)),
        });
      }
    });
    if (resubmittedSeq !== null) {
      await submitChunk(
        jobId,
        resubmittedSeq,
        result.remainder.map((row) => row.token),
        client,
      );
    } else {
      await recomputeJob(jobId);
    }
    return {
      alreadyPresent: result.alreadyPresent.length,
      rejected: result.rejected.length,
      resubmittedSeq,
      resubmittedRows: result.remainder.length,
    };
  } catch (error) {
    // Give the chunk back so narrowing can be tried again.
    await db
      .update(batchChunks)
      .set({ state: chunk.state })
      .where(and(eq(batchChunks.id, chunk.id), eq(batchChunks.state, 'narrowing')));
    if (error instanceof NarrowingLimitError) throw new HttpError(422, 'unprocessable', error.message);
    if (error instanceof StillProcessingError) throw new HttpError(504, 'upstream_timeout', error.message);
    throw error;
  }
}

type Tx = Parameters<Parameters<Awaited<ReturnType<typeof getDb>>['transaction']>[0]>[0];

/** Rows that Authlete refused, kept with the job: already present (duplicate value) or rejected. */
async function recordOutcomes(
  tx: Tx,
  jobId: string,
  seq: number,
  result: Pick<NarrowResult, 'alreadyPresent' | 'rejected'>,
): Promise<void> {
  const outcomes = [
    ...result.alreadyPresent.map((rejection) => ({ ...rejection, outcome: 'already_present' })),
    ...result.rejected.map((rejection) => ({ ...rejection, outcome: 'rejected' })),
  ];
  if (outcomes.length === 0) return;
  await tx
    .insert(batchRowOutcomes)
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

/** The rows sent must be exactly the chunk's, each once, each with its access token value. */
function assertChunkRows(chunk: ChunkRow, rows: NarrowRow[]) {
  const expected = new Set<number>();
  for (const [from, to] of chunk.rowRanges) for (let i = from; i < to; i++) expected.add(i);
  if (rows.length !== expected.size || rows.some((row) => !expected.delete(row.index))) {
    throw new HttpError(
      400,
      'validation_failed',
      `Send exactly the ${chunk.rowCount} rows of chunk ${chunk.seq}, each once.`,
    );
  }
  if (rows.some((row) => row.token.accessToken === undefined)) {
    throw new HttpError(
      400,
      'validation_failed',
      'Every row needs its access token value: narrowing looks rows up by their hash.',
    );
  }
}

/** Whether a row's access token value is known to Authlete, looked up by its hash. */
function existsIn(client: AuthleteClient) {
  return async (token: TokenCreateInput) => {
    try {
      await client.findToken(await sha256Base64Url(token.accessToken!), {
        subject: token.subject,
        clientId: token.clientId,
      });
      return true;
    } catch (error) {
      // Not found, or too many tokens to scan: submitting it again is still safe, Authlete refuses a known value.
      if (error instanceof AuthleteError && (error.code === 'not_found' || error.code === 'search_limit_reached'))
        return false;
      throw error;
    }
  };
}

function dryRunIn(client: AuthleteClient) {
  return async (tokens: TokenCreateInput[]) => {
    const { requestId } = await client.createBatch(tokens, true);
    return waitForFinalStatus(() => client.getBatchStatus(requestId));
  };
}

/**
 * While a failed dry run is narrowed, `nextCheckAt` is a lease renewed by each dry run (one waits
 * at most a minute): a chunk whose lease ran out was left by a server that stopped mid-narrowing.
 */
const NARROWING_LEASE_MS = 2 * 60_000;
const narrowingLease = () => new Date(Date.now() + NARROWING_LEASE_MS);

/** Most dry runs narrowing one chunk's failed dry run may spend; about one per bad row. */
export const MAX_NARROWING_DRY_RUNS = 50;

/**
 * Finds every row of a chunk whose dry run failed (Authlete stops at the first bad element): the
 * chunk is narrowed with dry runs only, the bad rows are recorded with Authlete's error, and the
 * chunk stays failed until the admin excludes them. Bounded by `maxDryRuns`; past it, what was
 * found is recorded and `limitReached` says more bad rows may remain.
 */
export async function narrowDryRun(
  jobId: string,
  seq: number,
  rows: NarrowRow[],
  client: AuthleteClient,
  { maxDryRuns = MAX_NARROWING_DRY_RUNS }: { maxDryRuns?: number } = {},
): Promise<DryRunNarrowResult> {
  const db = await getDb();
  const chunk = await loadChunk(jobId, seq);
  assertChunkRows(chunk, rows);
  rows.sort((a, b) => a.index - b.index);
  // A clean narrowing passes the chunk: only the rows of its failed dry run may be narrowed.
  assertAsPreviewed(
    chunk,
    rows.map((row) => row.token),
  );
  // The claim is the lock: 'running' without a request id is never polled, and shows as in progress.
  const claimed = await db
    .update(batchChunks)
    .set({ dryRunState: 'running', dryRunRequestId: null, checks: 0, nextCheckAt: narrowingLease() })
    .where(and(eq(batchChunks.id, chunk.id), eq(batchChunks.dryRunState, 'failed'), eq(batchChunks.state, 'pending')))
    .returning();
  if (claimed.length === 0)
    throw new HttpError(409, 'conflict', `Chunk ${seq} has no failed dry run to narrow, or is being narrowed already.`);
  const knownFailure: BatchStatus = {
    requestId: chunk.dryRunRequestId ?? '',
    state: 'failed',
    tokenCount: 0,
    errorCode: chunk.dryRunErrorCode ?? undefined,
    errorDescription: chunk.dryRunErrorDescription ?? undefined,
  };
  let result: NarrowResult;
  let limitReached = false;
  try {
    try {
      result = await narrowFailedChunk(
        rows,
        0,
        {
          exists: existsIn(client),
          dryRun: dryRunIn(client),
          maxDryRuns,
          onDryRun: async (spent) => {
            await db
              .update(batchChunks)
              .set({ checks: spent, nextCheckAt: narrowingLease() })
              .where(eq(batchChunks.id, chunk.id));
          },
        },
        { knownFailure },
      );
    } catch (error) {
      if (!(error instanceof NarrowingLimitError) || !error.partial) throw error;
      result = error.partial;
      limitReached = true;
    }
    await db.transaction(async (tx) => {
      await recordOutcomes(tx, jobId, seq, result);
      // With bad rows found, still failed: nothing of this chunk may be sent until the admin excludes them.
      // None found (the failure was passing): every row has just passed a dry run.
      const clean = !limitReached && result.alreadyPresent.length + result.rejected.length === 0;
      await tx
        .update(batchChunks)
        .set({ dryRunState: clean ? 'succeeded' : 'failed', checks: result.dryRuns })
        .where(eq(batchChunks.id, chunk.id));
    });
    await recomputeJob(jobId);
  } catch (error) {
    await db
      .update(batchChunks)
      .set({ dryRunState: 'failed' })
      .where(and(eq(batchChunks.id, chunk.id), eq(batchChunks.dryRunState, 'running')));
    if (error instanceof StillProcessingError) throw new HttpError(504, 'upstream_timeout', error.message);
    throw error;
  }
  const toBadRow = (outcome: RowOutcome['outcome']) => (rejection: RejectedRow) => ({
    rowIndex: rejection.row.index,
    line: rejection.row.line,
    chunkSeq: seq,
    outcome,
    errorCode: rejection.errorCode,
    errorDescription: rejection.errorDescription,
  });
  const badRows = [
    ...result.alreadyPresent.map(toBadRow('already_present')),
    ...result.rejected.map(toBadRow('rejected')),
  ].sort((a, b) => a.rowIndex - b.rowIndex);
  return { seq, badRows, dryRuns: result.dryRuns, maxDryRuns, limitReached };
}

/**
 * The admin's explicit decision after a narrowed dry run: the chunk's recorded bad rows are left
 * out, and the other rows become a new chunk that needs its own dry run before anything is sent.
 * `firstLine`/`lastLine` of the remaining rows come from the browser (only it knows each row's line).
 */
export async function excludeBadRows(
  jobId: string,
  seq: number,
  lines: { firstLine: number; lastLine: number } | null,
): Promise<ExcludeBadRowsResult> {
  const db = await getDb();
  const chunk = await loadChunk(jobId, seq);
  if (chunk.state !== 'pending' || chunk.dryRunState !== 'failed') {
    throw new HttpError(409, 'conflict', `Chunk ${seq} has no failed dry run whose rows could be excluded.`);
  }
  const bad = await db
    .select({ rowIndex: batchRowOutcomes.rowIndex })
    .from(batchRowOutcomes)
    .where(and(eq(batchRowOutcomes.jobId, jobId), eq(batchRowOutcomes.chunkSeq, seq)));
  if (bad.length === 0)
    throw new HttpError(409, 'conflict', `No bad rows were found in chunk ${seq}; find them first.`);
  const excluded = new Set(bad.map((row) => row.rowIndex));
  const remainder: number[] = [];
  for (const [from, to] of chunk.rowRanges) for (let i = from; i < to; i++) if (!excluded.has(i)) remainder.push(i);
  if (remainder.length > 0) {
    if (
      !lines ||
      lines.firstLine < chunk.firstLine ||
      lines.lastLine > chunk.lastLine ||
      lines.firstLine > lines.lastLine
    ) {
      throw new HttpError(
        400,
        'validation_failed',
        `Send the first and last line of the ${remainder.length} remaining rows (within lines ${chunk.firstLine}–${chunk.lastLine}).`,
      );
    }
  }
  let remainderSeq: number | null = null;
  await db.transaction(async (tx) => {
    const narrowed = await tx
      .update(batchChunks)
      .set({ state: 'narrowed' })
      .where(and(eq(batchChunks.id, chunk.id), eq(batchChunks.state, 'pending'), eq(batchChunks.dryRunState, 'failed')))
      .returning({ id: batchChunks.id });
    if (narrowed.length === 0) throw new HttpError(409, 'conflict', `Chunk ${seq} changed meanwhile; reload the job.`);
    if (remainder.length === 0) return;
    const [last] = await tx
      .select({ seq: sql<number>`max(${batchChunks.seq})` })
      .from(batchChunks)
      .where(eq(batchChunks.jobId, jobId));
    remainderSeq = (last?.seq ?? seq) + 1;
    await tx.insert(batchChunks).values({
      jobId,
      seq: remainderSeq,
      parentSeq: seq,
      rowRanges: toRanges(remainder),
      rowCount: remainder.length,
      firstLine: lines!.firstLine,
      lastLine: lines!.lastLine,
    });
  });
  await recomputeJob(jobId);
  const detail = await getJobDetail(jobId);
  return { excludedRows: excluded.size, chunk: detail.chunks.find((c) => c.seq === remainderSeq) ?? null };
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

/** Asks Authlete about chunks due a status check (bounded, with backoff per chunk), then updates the job. */
export async function refreshJob(jobId: string, client: AuthleteClient): Promise<void> {
  const db = await getDb();
  const now = new Date();
  await db
    .update(batchChunks)
    .set({
      state: 'unknown',
      finishedAt: now,
      errorCode: 'no_answer',
      errorDescription: 'The server stopped before Authlete answered this submission.',
    })
    .where(
      and(
        eq(batchChunks.jobId, jobId),
        eq(batchChunks.state, 'submitting'),
        lte(batchChunks.submittedAt, new Date(now.getTime() - STALE_SUBMISSION_MS)),
      ),
    );
  await db
    .update(batchChunks)
    .set({ dryRunState: 'failed', nextCheckAt: null })
    .where(
      and(
        eq(batchChunks.jobId, jobId),
        eq(batchChunks.dryRunState, 'running'),
        isNull(batchChunks.dryRunRequestId),
        lte(batchChunks.nextCheckAt, now),
      ),
    );
  const due = await db
    .select()
    .from(batchChunks)
    .where(
      and(
        eq(batchChunks.jobId, jobId),
        or(
          and(eq(batchChunks.state, 'running'), sql`${batchChunks.requestId} is not null`),
          and(eq(batchChunks.dryRunState, 'running'), sql`${batchChunks.dryRunRequestId} is not null`),
        ),
        or(isNull(batchChunks.nextCheckAt), lte(batchChunks.nextCheckAt, now)),
      ),
    )
    .orderBy(asc(batchChunks.seq))
    .limit(MAX_POLLS_PER_REFRESH);
  let next = 0;
  const worker = async () => {
    while (next < due.length) await pollChunk(due[next++]!, client);
  };
  await Promise.all(Array.from({ length: Math.min(POLL_CONCURRENCY, due.length) }, worker));
  await recomputeJob(jobId);
}

async function pollChunk(chunk: ChunkRow, client: AuthleteClient): Promise<void> {
  const db = await getDb();
  const real = chunk.state === 'running';
  const requestId = real ? chunk.requestId! : chunk.dryRunRequestId!;
  let status: BatchStatus;
  try {
    status = await client.getBatchStatus(requestId);
  } catch (error) {
    // Authlete unreachable or slow: try again later; the chunk stays running.
    await db
      .update(batchChunks)
      .set({ checks: chunk.checks + 1, nextCheckAt: new Date(Date.now() + nextCheckDelayMs(chunk.checks + 1)) })
      .where(eq(batchChunks.id, chunk.id));
    if (error instanceof AuthleteError && error.code === 'not_found') {
      await db
        .update(batchChunks)
        .set(
          real
            ? { state: 'unknown', errorCode: 'not_found', errorDescription: 'Authlete no longer knows this batch.' }
            : {
                dryRunState: 'failed',
                dryRunErrorCode: 'not_found',
                dryRunErrorDescription: 'Authlete no longer knows this dry run.',
              },
        )
        .where(eq(batchChunks.id, chunk.id));
    }
    return;
  }
  const final = status.state !== 'running';
  const backoff = {
    checks: chunk.checks + 1,
    nextCheckAt: final ? null : new Date(Date.now() + nextCheckDelayMs(chunk.checks + 1)),
  };
  if (real) {
    await db
      .update(batchChunks)
      .set({
        ...backoff,
        state: final ? status.state : 'running',
        tokenCount: status.tokenCount,
        errorCode: status.errorCode ?? null,
        errorDescription: status.errorDescription ?? null,
        finishedAt: final ? new Date() : null,
      })
      .where(and(eq(batchChunks.id, chunk.id), eq(batchChunks.state, 'running')));
  } else {
    await db
      .update(batchChunks)
      .set({
        ...backoff,
        dryRunState: final ? status.state : 'running',
        dryRunErrorCode: status.errorCode ?? null,
        dryRunErrorDescription: status.errorDescription ?? null,
      })
      .where(and(eq(batchChunks.id, chunk.id), eq(batchChunks.dryRunState, 'running')));
  }
}

/** The job's state and counts, derived from its chunks and outcomes. */
export async function recomputeJob(jobId: string): Promise<void> {
  const db = await getDb();
  const [job] = await db.select().from(batchJobs).where(eq(batchJobs.id, jobId));
  if (!job) return;
  const chunks = await db
    .select({ state: batchChunks.state, tokenCount: batchChunks.tokenCount })
    .from(batchChunks)
    .where(eq(batchChunks.jobId, jobId));
  // Outcomes of a chunk whose dry run failed were found by the dry run: those rows were never sent.
  const outcomeCounts = await db
    .select({ outcome: batchRowOutcomes.outcome, dryRunState: batchChunks.dryRunState, total: count() })
    .from(batchRowOutcomes)
    .innerJoin(
      batchChunks,
      and(eq(batchChunks.jobId, batchRowOutcomes.jobId), eq(batchChunks.seq, batchRowOutcomes.chunkSeq)),
    )
    .where(eq(batchRowOutcomes.jobId, jobId))
    .groupBy(batchRowOutcomes.outcome, batchChunks.dryRunState);
  const outcomesOf = (outcome: RowOutcome['outcome'], atDryRun: boolean) =>
    outcomeCounts
      .filter((row) => row.outcome === outcome && (row.dryRunState === 'failed') === atDryRun)
      .reduce((sum, row) => sum + row.total, 0);
  const states = new Set(chunks.map((chunk) => chunk.state));
  let state: JobState;
  if (!job.submittedAt) state = 'draft';
  else if (states.has('submitting') || states.has('running')) state = 'processing';
  else if (states.has('failed') || states.has('unknown') || states.has('narrowing')) state = 'attention';
  else if (states.has('pending')) state = 'submitting';
  else state = 'completed';
  const tokensCreated = chunks.reduce((sum, chunk) => sum + chunk.tokenCount, 0);
  await db
    .update(batchJobs)
    .set({
      state,
      tokensCreated,
      alreadyPresent: outcomesOf('already_present', true) + outcomesOf('already_present', false),
      rejectedRows: outcomesOf('rejected', false),
      dryRunRejectedRows: outcomesOf('rejected', true),
      updatedAt: new Date(),
      finishedAt: state === 'completed' ? (job.finishedAt ?? new Date()) : null,
    })
    .where(eq(batchJobs.id, jobId));
}
