import 'server-only';
import { and, eq, isNull, ne, or } from 'drizzle-orm';
import type { BatchStatus, TokenCreateInput } from '@/lib/schemas';
import type { DryRunNarrowResult, ExcludeBadRowsResult, JobChunk, RowOutcome } from '@/lib/schemas/issue-job';
import type { AuthleteClient } from '@/server/authlete';
import { getDb } from '@/server/db';
import { issueChunks, issueRowOutcomes } from '@/server/db/schema';
import { ignoreRefused, JobError } from '@/server/jobs/core/errors';
import { enqueueStep } from '@/server/jobs/core/queue';
import { chunkDigest } from './digest';
import { narrowFailedChunk, NarrowingLimitError, type NarrowResult, type NarrowRow, type RejectedRow } from './narrow';
import { FIRST_CHECK_DELAY_MS, narrowingLease } from './polling';
import {
  loadChunkWithPreviewedRows,
  assertRowCount,
  dryRunIn,
  errorCodeOf,
  errorDescriptionOf,
  existsIn,
} from './rows';
import {
  appendChunk,
  getIssueJobDetail,
  loadChunk,
  recomputeJob,
  recordOutcomes,
  toChunk,
  toRanges,
  transitionChunk,
  transitionDryRun,
} from './store';
import { ISSUE_JOB_TYPE } from './job-type-name';

/** Most dry runs narrowing one chunk's failed dry run may spend; about one per bad row. */
export const MAX_NARROWING_DRY_RUNS = 50;

/**
 * Starts the chunk's Authlete dry run with the rows the browser sent; the queue asks Authlete for
 * its result. Refused while one is running, and once the chunk is submitted.
 */
export async function startDryRun(
  jobId: string,
  seq: number,
  tokens: TokenCreateInput[],
  client: AuthleteClient,
): Promise<JobChunk> {
  const chunk = await loadChunk(jobId, seq);
  assertRowCount(chunk, tokens);
  const claimed = await transitionDryRun(chunk, 'running', {
    from: ['none', 'failed', 'succeeded'],
    // A chunk that passed before dry runs were digested has nothing to compare a submission with: it is checked again.
    where: and(
      eq(issueChunks.state, 'pending'),
      or(ne(issueChunks.dryRunState, 'succeeded'), isNull(issueChunks.dryRunDigest)),
    ),
    set: {
      dryRunDigest: chunkDigest(tokens),
      dryRunRequestId: null,
      dryRunErrorCode: null,
      dryRunErrorDescription: null,
      checks: 0,
      nextCheckAt: new Date(Date.now() + FIRST_CHECK_DELAY_MS),
    },
    refused: `Chunk ${seq} is already being dry-run or was submitted.`,
  });
  const db = await getDb();
  try {
    if (!client.capabilities.batch) {
      // No batch API (Authlete 2.x): the rows are checked here, at once, and the answer recorded.
      const status = await dryRunIn(client)(tokens);
      const checked = await transitionDryRun(claimed, status.state === 'succeeded' ? 'succeeded' : 'failed', {
        from: ['running'],
        set: {
          nextCheckAt: null,
          dryRunErrorCode: status.errorCode ?? null,
          dryRunErrorDescription: status.errorDescription ?? null,
        },
        refused: `Chunk ${seq}'s dry run changed meanwhile.`,
      });
      await recomputeJob(jobId);
      return toChunk(checked);
    }
    const { requestId } = await client.createBatch(tokens, true);
    const [updated] = await db
      .update(issueChunks)
      .set({ dryRunRequestId: requestId })
      .where(eq(issueChunks.id, claimed.id))
      .returning();
    await enqueueStep(ISSUE_JOB_TYPE, jobId, FIRST_CHECK_DELAY_MS);
    return toChunk(updated!);
  } catch (error) {
    await transitionDryRun(claimed, 'failed', {
      set: { dryRunErrorCode: errorCodeOf(error), dryRunErrorDescription: errorDescriptionOf(error) },
      refused: `Chunk ${seq}'s dry run changed meanwhile.`,
    });
    throw error;
  }
}

/**
 * Finds every row of a chunk whose dry run failed (Authlete stops at the first bad element): the
 * chunk is narrowed with dry runs only, the bad rows are recorded with Authlete's error, and the
 * chunk stays failed until the admin excludes them. Bounded by `maxDryRuns`; past it, what was
 * found is recorded and `limitReached` says more bad rows may remain. Needs the rows' values, so
 * it runs in the admin's request, not on the queue.
 */
export async function narrowDryRun(
  jobId: string,
  seq: number,
  rows: NarrowRow[],
  client: AuthleteClient,
  { maxDryRuns = MAX_NARROWING_DRY_RUNS }: { maxDryRuns?: number } = {},
): Promise<DryRunNarrowResult> {
  const db = await getDb();
  // A clean narrowing passes the chunk: only the rows of its failed dry run may be narrowed.
  const chunk = await loadChunkWithPreviewedRows(jobId, seq, rows);
  // The claim is the lock: 'running' without a request id is never polled, and shows as in progress;
  // its lease (nextCheckAt, renewed by each dry run) runs out if this server stops mid-narrowing.
  const claimed = await transitionDryRun(chunk, 'running', {
    from: ['failed'],
    where: eq(issueChunks.state, 'pending'),
    set: { dryRunRequestId: null, checks: 0, nextCheckAt: narrowingLease() },
    refused: `Chunk ${seq} has no failed dry run to narrow, or is being narrowed already.`,
  });
  await enqueueStep(ISSUE_JOB_TYPE, jobId, narrowingLease().getTime() - Date.now());
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
              .update(issueChunks)
              .set({ checks: spent, nextCheckAt: narrowingLease() })
              .where(eq(issueChunks.id, claimed.id));
          },
        },
        { knownFailure },
      );
    } catch (error) {
      if (!(error instanceof NarrowingLimitError) || !error.partial) throw error;
      result = error.partial;
      limitReached = true;
    }
    const found = result;
    await db.transaction(async (tx) => {
      await recordOutcomes(tx, jobId, seq, found);
      // With bad rows found, still failed: nothing of this chunk may be sent until the admin excludes them.
      // None found (the failure was passing): every row has just passed a dry run.
      const clean = !limitReached && found.alreadyPresent.length + found.rejected.length === 0;
      await transitionDryRun(claimed, clean ? 'succeeded' : 'failed', {
        set: { checks: found.dryRuns },
        tx,
        refused: `Chunk ${seq}'s narrowing ran out of time; narrow it again.`,
      });
    });
    await recomputeJob(jobId);
  } catch (error) {
    // Give the chunk back so narrowing can be tried again.
    await transitionDryRun(claimed, 'failed', { refused: '' }).catch(ignoreRefused);
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
    throw new JobError('conflict', `Chunk ${seq} has no failed dry run whose rows could be excluded.`);
  }
  const bad = await db
    .select({ rowIndex: issueRowOutcomes.rowIndex })
    .from(issueRowOutcomes)
    .where(and(eq(issueRowOutcomes.jobId, jobId), eq(issueRowOutcomes.chunkSeq, seq)));
  if (bad.length === 0) throw new JobError('conflict', `No bad rows were found in chunk ${seq}; find them first.`);
  const excluded = new Set(bad.map((row) => row.rowIndex));
  const remainder: number[] = [];
  for (const [from, to] of chunk.rowRanges) for (let i = from; i < to; i++) if (!excluded.has(i)) remainder.push(i);
  if (
    remainder.length > 0 &&
    (!lines || lines.firstLine < chunk.firstLine || lines.lastLine > chunk.lastLine || lines.firstLine > lines.lastLine)
  ) {
    throw new JobError(
      'invalid_input',
      `Send the first and last line of the ${remainder.length} remaining rows (within lines ${chunk.firstLine}–${chunk.lastLine}).`,
    );
  }
  const remainderSeq = await db.transaction(async (tx) => {
    await transitionChunk(chunk, 'narrowed', {
      from: ['pending'],
      where: eq(issueChunks.dryRunState, 'failed'),
      tx,
      refused: `Chunk ${seq} changed meanwhile; reload the job.`,
    });
    if (remainder.length === 0 || !lines) return null;
    return appendChunk(tx, jobId, {
      parentSeq: seq,
      rowRanges: toRanges(remainder),
      rowCount: remainder.length,
      firstLine: lines.firstLine,
      lastLine: lines.lastLine,
    });
  });
  await recomputeJob(jobId);
  const detail = await getIssueJobDetail(jobId);
  return { excludedRows: excluded.size, chunk: detail.chunks.find((c) => c.seq === remainderSeq) ?? null };
}
