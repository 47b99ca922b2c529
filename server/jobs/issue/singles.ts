import 'server-only';
import { and, asc, eq, isNotNull, isNull, lte, or } from 'drizzle-orm';
import type { TokenCreateInput } from '@/lib/schemas';
import type { AuthleteClient } from '@/server/authlete';
import { AuthleteError } from '@/server/authlete/errors';
import { getDb } from '@/server/db';
import { issueChunks } from '@/server/db/schema';
import { ignoreRefused } from '@/server/jobs/core/errors';
import { mapUpstream, RetryLaterError } from '@/server/jobs/core/upstream';
import { nextCheckDelayMs } from './batch-status';
import type { RejectedRow } from './narrow';
import { errorCodeOf, errorDescriptionOf, existsIn } from './rows';
import { openRows } from './sealed';
import { recomputeJob, recordOutcomes, transitionChunk, type ChunkRow } from './store';

/**
 * Bulk issue on a service without Authlete's batch API (2.x): a submitted chunk's rows are created
 * one by one by the queue, a few at a time (`mapUpstream`: p-map, 429 → the step runs again after
 * `Retry-After`). Each row carries its value (supplied or generated in the browser), so a create is
 * safe to repeat: Authlete refuses a value it holds, and a lookup by the value's hash tells whether
 * it was created (by a step that stopped before recording it) or was there before.
 *
 * Progress is kept per chunk as a cursor: rows before `rowsDone` are accounted for. Before a window
 * of rows is sent, `inFlightTo` is moved past it; a step that stops (restart, 5xx, 429) leaves the
 * window in flight, and the next step sends it again, counting a refused value found in Authlete
 * inside that window as created. Sealed rows are dropped when the chunk ends.
 */

/** Rows sent between two records of progress: what a stopped step may have to send again. */
const WINDOW = 20;
/** How long a window is its worker's; a window whose lease ran out was left by a server that stopped. */
const WINDOW_LEASE_MS = 2 * 60_000;
/** Failed steps (Authlete 5xx, timeouts, unreachable) in a row before the chunk is left `unknown` for a person. */
const MAX_FAILED_STEPS = 8;

/** Refusals of one row (Authlete answered, nothing was created): recorded, the other rows go on. */
const ROW_REFUSALS = new Set<AuthleteError['code']>([
  'upstream_rejected',
  'client_locked',
  'foreign_resource',
  'conflict',
  'not_found',
]);

type RowResult = { kind: 'created' } | { kind: 'already_present' | 'rejected'; rejection: Omit<RejectedRow, 'row'> };

/** Creates the rows of this job's submitted single-create chunks that are due, until `deadline`. */
export async function createDueSingles(jobId: string, client: AuthleteClient, deadline: number): Promise<void> {
  const db = await getDb();
  const due = await db
    .select()
    .from(issueChunks)
    .where(
      and(
        eq(issueChunks.jobId, jobId),
        eq(issueChunks.state, 'running'),
        isNotNull(issueChunks.sealedRows),
        or(isNull(issueChunks.nextCheckAt), lte(issueChunks.nextCheckAt, new Date())),
      ),
    )
    .orderBy(asc(issueChunks.seq));
  for (const chunk of due) {
    if (Date.now() >= deadline) return;
    await createChunkRows(chunk, client, deadline);
  }
}

async function createChunkRows(chunk: ChunkRow, client: AuthleteClient, deadline: number): Promise<void> {
  const db = await getDb();
  const { tokens, lines } = openRows(chunk.id, chunk.sealedRows!);
  const indexes: number[] = [];
  for (const [from, to] of chunk.rowRanges) for (let i = from; i < to; i++) indexes.push(i);
  const exists = existsIn(client);
  let current = chunk;
  while (current.rowsDone < tokens.length) {
    if (Date.now() >= deadline) return;
    const done = current.rowsDone;
    const to = Math.min(done + WINDOW, tokens.length);
    // Rows before this may have been sent by a step that stopped: a value found among them is ours.
    const maySent = current.inFlightTo;
    // The claim: one worker sends a window (compare-and-set on the cursor and a lease in
    // `nextCheckAt`, which runs out if its server stops, so another step takes the window over).
    const now = new Date();
    const [claimed] = await db
      .update(issueChunks)
      .set({ inFlightTo: Math.max(maySent, to), nextCheckAt: new Date(now.getTime() + WINDOW_LEASE_MS) })
      .where(
        and(
          eq(issueChunks.id, chunk.id),
          eq(issueChunks.state, 'running'),
          eq(issueChunks.rowsDone, done),
          or(isNull(issueChunks.nextCheckAt), lte(issueChunks.nextCheckAt, now)),
        ),
      )
      .returning();
    if (!claimed) return;
    let results: RowResult[];
    try {
      results = await mapUpstream(
        Array.from({ length: to - done }, (_, k) => done + k),
        (position) => createRow(client, tokens[position]!, position < maySent, exists),
      );
    } catch (error) {
      if (error instanceof RetryLaterError) {
        // Rate-limited: the window stays in flight and is sent again once Authlete said it may be.
        await db
          .update(issueChunks)
          .set({ nextCheckAt: new Date(Date.now() + error.afterMs) })
          .where(eq(issueChunks.id, chunk.id));
        throw error;
      }
      await stepFailed(claimed, error);
      return;
    }
    const rejected = (kind: 'already_present' | 'rejected') =>
      results.flatMap((result, k) =>
        result.kind === kind
          ? [
              {
                row: { index: indexes[done + k]!, line: lines[done + k]!, token: tokens[done + k]! },
                ...result.rejection,
              },
            ]
          : [],
      );
    const created = results.filter((result) => result.kind === 'created').length;
    const last = to === tokens.length;
    current = await db.transaction(async (tx) => {
      await recordOutcomes(tx, chunk.jobId, chunk.seq, {
        alreadyPresent: rejected('already_present'),
        rejected: rejected('rejected'),
      });
      const [moved] = await tx
        .update(issueChunks)
        .set({ rowsDone: to, tokenCount: claimed.tokenCount + created, checks: 0, nextCheckAt: null })
        .where(and(eq(issueChunks.id, chunk.id), eq(issueChunks.rowsDone, done)))
        .returning();
      if (!last || !moved) return moved ?? claimed;
      // Every row accounted for: the chunk ends and its sealed rows go.
      return transitionChunk(moved, 'succeeded', {
        from: ['running'],
        set: { sealedRows: null, finishedAt: new Date(), nextCheckAt: null },
        tx,
        refused: '',
      });
    });
    await recomputeJob(chunk.jobId);
    if (current.rowsDone !== to) return;
  }
}

/** One row's create; a refusal is that row's outcome, anything else (5xx, timeout, 429) stops the window. */
async function createRow(
  client: AuthleteClient,
  token: TokenCreateInput,
  maySent: boolean,
  exists: (token: TokenCreateInput) => Promise<boolean>,
): Promise<RowResult> {
  try {
    await client.createToken(token);
    return { kind: 'created' };
  } catch (error) {
    if (!(error instanceof AuthleteError) || !ROW_REFUSALS.has(error.code)) throw error;
    const rejection = { errorCode: errorCodeOf(error), errorDescription: errorDescriptionOf(error) };
    // Refused: a value Authlete already holds (sent by a step that stopped, or there before), or a bad row.
    if (token.accessToken !== undefined && (await exists(token)))
      return maySent ? { kind: 'created' } : { kind: 'already_present', rejection };
    return { kind: 'rejected', rejection };
  }
}

/** Authlete failed (not a row's refusal): try the window again later, or leave the chunk to a person after several failures. */
async function stepFailed(chunk: ChunkRow, error: unknown): Promise<void> {
  const db = await getDb();
  const checks = chunk.checks + 1;
  if (checks < MAX_FAILED_STEPS) {
    await db
      .update(issueChunks)
      .set({
        checks,
        nextCheckAt: new Date(Date.now() + nextCheckDelayMs(checks)),
        errorCode: errorCodeOf(error),
        errorDescription: errorDescriptionOf(error),
      })
      .where(eq(issueChunks.id, chunk.id));
    return;
  }
  // The rows go with the sealed text; narrowing (with the rows from the browser) finds what was created.
  await transitionChunk(chunk, 'unknown', {
    from: ['running'],
    set: {
      checks,
      sealedRows: null,
      nextCheckAt: null,
      finishedAt: new Date(),
      errorCode: errorCodeOf(error),
      errorDescription: errorDescriptionOf(error),
    },
    refused: '',
  }).catch(ignoreRefused);
  await recomputeJob(chunk.jobId);
}
