import 'server-only';
import { and, eq, ne, sql } from 'drizzle-orm';
import type { TokenCreateInput } from '@/lib/schemas';
import type { ChunkNarrowResult, JobChunk } from '@/lib/schemas/issue-job';
import type { AuthleteClient } from '@/server/authlete';
import { AuthleteError } from '@/server/authlete/errors';
import { getDb } from '@/server/db';
import { issueChunks, issueJobs } from '@/server/db/schema';
import { ignoreRefused, JobError } from '@/server/jobs/core/errors';
import { enqueueStep } from '@/server/jobs/core/queue';
import { chunkDigest } from './digest';
import { ISSUE_JOB_TYPE } from './job-type-name';
import { narrowFailedChunk, type NarrowRow } from './narrow';
import { FIRST_CHECK_DELAY_MS } from './polling';
import {
  assertAsPreviewed,
  dryRunIn,
  errorCodeOf,
  errorDescriptionOf,
  existsIn,
  loadChunkWithPreviewedRows,
} from './rows';
import { recordIssuedHashes } from './issued-by';
import { sealRows } from './sealed';
import {
  appendChunk,
  loadChunk,
  recomputeJob,
  recordOutcomes,
  toChunk,
  toRanges,
  transitionChunk,
  type ChunkRow,
} from './store';

/**
 * Submits a chunk for real, once its dry run passed, with the rows the browser sent. The pending →
 * submitting transition is the lock: a second tab, a retried request or another instance cannot
 * send the same rows twice. An answer that never came leaves the chunk `unknown` (Authlete may
 * have started it); narrowing then finds out row by row. The queue asks Authlete for the result.
 */
export async function submitChunk(
  jobId: string,
  seq: number,
  tokens: TokenCreateInput[],
  client: AuthleteClient,
  lines?: readonly number[],
): Promise<JobChunk> {
  const db = await getDb();
  const chunk = await loadChunk(jobId, seq);
  if (chunk.dryRunState !== 'succeeded') {
    throw new JobError('conflict', `Chunk ${seq} has not passed a dry run; run the dry run first.`);
  }
  assertAsPreviewed(chunk, tokens);
  const single = !client.capabilities.batch;
  if (single) assertSingleCreateRows(chunk, tokens, lines);
  // Nothing is sent for real while any other chunk still holds rows a dry run refused (or never checked).
  const [unchecked] = await db
    .select({ seq: issueChunks.seq })
    .from(issueChunks)
    .where(
      and(eq(issueChunks.jobId, jobId), eq(issueChunks.state, 'pending'), ne(issueChunks.dryRunState, 'succeeded')),
    )
    .limit(1);
  if (unchecked) {
    throw new JobError(
      'conflict',
      `Chunk ${unchecked.seq} has not passed its dry run; exclude its bad rows or fix the file before submitting.`,
    );
  }
  const now = new Date();
  const claimed = await transitionChunk(chunk, 'submitting', {
    set: { submittedAt: now, checks: 0, nextCheckAt: new Date(now.getTime() + FIRST_CHECK_DELAY_MS) },
    refused: `Chunk ${seq} was already submitted.`,
  });
  await db
    .update(issueJobs)
    .set({ submittedAt: sql`coalesce(${issueJobs.submittedAt}, now())` })
    .where(eq(issueJobs.id, jobId));
  await recordIssuedHashes(jobId, claimed.rowRanges, tokens, lines);
  if (single) {
    // No batch API (Authlete 2.x): the queue creates the rows one by one from their sealed copy.
    const queued = await transitionChunk(claimed, 'running', {
      set: {
        sealedRows: sealRows(claimed.id, { tokens, lines: [...lines!] }),
        rowsDone: 0,
        inFlightTo: 0,
        checks: 0,
        nextCheckAt: new Date(),
      },
      refused: `Chunk ${seq} changed while it was being sent.`,
    });
    await recomputeJob(jobId);
    await enqueueStep(ISSUE_JOB_TYPE, jobId);
    return toChunk(queued);
  }
  try {
    const { requestId } = await client.createBatch(tokens, false);
    const running = await transitionChunk(claimed, 'running', {
      set: { requestId },
      refused: `Chunk ${seq} changed while it was being sent.`,
    });
    await recomputeJob(jobId);
    await enqueueStep(ISSUE_JOB_TYPE, jobId, FIRST_CHECK_DELAY_MS);
    return toChunk(running);
  } catch (error) {
    if (error instanceof JobError) throw error;
    // Refused outright (400): nothing was created. Anything else: Authlete may have started the batch.
    const refused = error instanceof AuthleteError && error.code === 'upstream_rejected';
    await transitionChunk(claimed, refused ? 'failed' : 'unknown', {
      set: { finishedAt: new Date(), errorCode: errorCodeOf(error), errorDescription: errorDescriptionOf(error) },
      refused: '',
    }).catch(ignoreRefused);
    await recomputeJob(jobId);
    throw error;
  }
}

/**
 * Rows created one by one must each carry their value (the browser supplies or generates every one),
 * which is what makes a repeated create safe, and the line of each row for its outcome.
 */
function assertSingleCreateRows(chunk: ChunkRow, tokens: readonly TokenCreateInput[], lines?: readonly number[]) {
  if (tokens.some((token) => token.accessToken === undefined)) {
    throw new JobError(
      'invalid_input',
      'Every row needs its access token value: on this service rows are created one by one, and the value is what makes a repeated create safe.',
    );
  }
  if (
    !lines ||
    lines.length !== tokens.length ||
    lines.some((line) => line < chunk.firstLine || line > chunk.lastLine)
  ) {
    throw new JobError(
      'invalid_input',
      `Send the file line of each of the ${tokens.length} rows (within lines ${chunk.firstLine}–${chunk.lastLine}).`,
    );
  }
}

/**
 * Narrows a failed (or unknown) chunk with its rows and values from the browser: records the rows
 * already present and the rows Authlete rejects, and submits the rest as a new chunk. Needs the
 * values, so it runs in the admin's request; the page asks for the file again when it is reopened.
 */
export async function narrowChunk(
  jobId: string,
  seq: number,
  rows: NarrowRow[],
  client: AuthleteClient,
): Promise<ChunkNarrowResult> {
  const db = await getDb();
  // Narrowing resubmits the rows that were not created: they too must be the rows that passed the dry run.
  const chunk = await loadChunkWithPreviewedRows(jobId, seq, rows);
  const claimed = await transitionChunk(chunk, 'narrowing', {
    refused: `Chunk ${seq} has not failed, or is being narrowed already.`,
  });
  const exists = existsIn(client);
  try {
    // A FAILED batch says how many it created; for an unknown one, the first row tells whether it ran at all.
    // Rows created one by one (no batch API) may have been created in any order: each is looked up.
    const createdHint = !client.capabilities.batch
      ? rows.length
      : chunk.state === 'failed'
        ? chunk.tokenCount
        : (await exists(rows[0]!.token))
          ? rows.length
          : 0;
    const result = await narrowFailedChunk(rows, createdHint, { exists, dryRun: dryRunIn(client) });
    const resubmittedSeq = await db.transaction(async (tx) => {
      await recordOutcomes(tx, jobId, seq, result);
      await transitionChunk(claimed, 'narrowed', {
        set: { tokenCount: result.createdByFailedBatch.length },
        tx,
        refused: `Chunk ${seq} changed while it was being narrowed.`,
      });
      if (result.remainder.length === 0) return null;
      return appendChunk(tx, jobId, {
        parentSeq: seq,
        rowRanges: toRanges(result.remainder.map((row) => row.index)),
        rowCount: result.remainder.length,
        firstLine: result.remainder[0]!.line,
        lastLine: result.remainder[result.remainder.length - 1]!.line,
        // The remainder just passed a dry run as a whole.
        dryRunState: 'succeeded',
        dryRunDigest: chunkDigest(result.remainder.map((row) => row.token)),
      });
    });
    if (resubmittedSeq !== null) {
      await submitChunk(
        jobId,
        resubmittedSeq,
        result.remainder.map((row) => row.token),
        client,
        result.remainder.map((row) => row.line),
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
    // Give the chunk back as it was so narrowing can be tried again.
    await transitionChunk(claimed, chunk.state, { from: ['narrowing'], refused: '' }).catch(ignoreRefused);
    throw error;
  }
}
