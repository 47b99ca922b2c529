import 'server-only';
import { and, asc, eq, isNotNull, isNull, lte, or } from 'drizzle-orm';
import type { BatchStatus } from '@/lib/schemas';
import type { AuthleteClient } from '@/server/authlete';
import { AuthleteError } from '@/server/authlete/errors';
import { getDb } from '@/server/db';
import { getJob } from '@/server/jobs/core/store';
import { authleteFor, refreshServices } from '@/server/services';
import { issueJobType } from './job-type';
import { issueChunks } from '@/server/db/schema';
import { idle, runAgainIn, type StepResult } from '@/server/jobs/core/define';
import { ignoreRefused } from '@/server/jobs/core/errors';
import { isRateLimited, mapUpstream } from '@/server/jobs/core/upstream';
import { nextCheckDelayMs } from './batch-status';
import { createDueSingles } from './singles';
import { recomputeJob, transitionChunk, transitionDryRun, type ChunkRow } from './store';

/**
 * The issue job's server-side step, run by the queue (no browser, no token value needed): asks
 * Authlete about the chunks' batch requests that are due a check (with backoff per chunk), gives
 * up on submissions and narrowings whose server stopped, brings the job's state and counts up to
 * date, and queues itself again for the next due check.
 */

/** Authlete processes a batch asynchronously: the first status question waits a moment. */
export const FIRST_CHECK_DELAY_MS = 500;
/** A submission that never recorded Authlete's answer (server stopped mid-call) is "unknown" after this. */
const STALE_SUBMISSION_MS = 2 * 60_000;
/**
 * While a failed dry run is narrowed, `nextCheckAt` is a lease renewed by each dry run (one waits
 * at most a minute): a chunk whose lease ran out was left by a server that stopped mid-narrowing.
 */
const NARROWING_LEASE_MS = 2 * 60_000;
export const narrowingLease = () => new Date(Date.now() + NARROWING_LEASE_MS);
/** Chunks one step asks Authlete about; the rest wait for the next step. */
const MAX_POLLS_PER_STEP = 20;

export async function runIssueStep({ job, deadline }: { job: { id: string }; deadline: number }): Promise<StepResult> {
  await giveUpOnStoppedWork(job.id);
  const { service } = await getJob(issueJobType, job.id);
  await refreshServices();
  const client = authleteFor(service);
  await pollDueChunks(job.id, client);
  await createDueSingles(job.id, client, deadline);
  await recomputeJob(job.id);
  const next = await nextDueAt(job.id);
  return next === null ? idle : runAgainIn(next - Date.now());
}

async function giveUpOnStoppedWork(jobId: string): Promise<void> {
  const db = await getDb();
  const now = Date.now();
  const stale = await db
    .select()
    .from(issueChunks)
    .where(
      and(
        eq(issueChunks.jobId, jobId),
        or(
          and(eq(issueChunks.state, 'submitting'), lte(issueChunks.submittedAt, new Date(now - STALE_SUBMISSION_MS))),
          and(
            eq(issueChunks.dryRunState, 'running'),
            isNull(issueChunks.dryRunRequestId),
            lte(issueChunks.nextCheckAt, new Date(now)),
          ),
        ),
      ),
    );
  for (const chunk of stale) {
    if (chunk.state === 'submitting') {
      await transitionChunk(chunk, 'unknown', {
        from: ['submitting'],
        set: {
          finishedAt: new Date(),
          errorCode: 'no_answer',
          errorDescription: 'The server stopped before Authlete answered this submission.',
        },
        refused: '',
      }).catch(ignoreRefused);
    } else {
      await transitionDryRun(chunk, 'failed', {
        where: isNull(issueChunks.dryRunRequestId),
        set: { nextCheckAt: null },
        refused: '',
      }).catch(ignoreRefused);
    }
  }
}

async function pollDueChunks(jobId: string, client: AuthleteClient): Promise<void> {
  const db = await getDb();
  const due = await db
    .select()
    .from(issueChunks)
    .where(
      and(
        eq(issueChunks.jobId, jobId),
        or(
          and(eq(issueChunks.state, 'running'), isNotNull(issueChunks.requestId)),
          and(eq(issueChunks.dryRunState, 'running'), isNotNull(issueChunks.dryRunRequestId)),
        ),
        or(isNull(issueChunks.nextCheckAt), lte(issueChunks.nextCheckAt, new Date())),
      ),
    )
    .orderBy(asc(issueChunks.seq))
    .limit(MAX_POLLS_PER_STEP);
  await mapUpstream(due, (chunk) => pollChunk(chunk, client));
}

/** Records one more check of a batch still running (or not answered) and when to ask again. */
async function checkAgainLater(chunk: ChunkRow, checks: number): Promise<void> {
  const db = await getDb();
  await db
    .update(issueChunks)
    .set({ checks, nextCheckAt: new Date(Date.now() + nextCheckDelayMs(checks)) })
    .where(eq(issueChunks.id, chunk.id));
}

async function pollChunk(chunk: ChunkRow, client: AuthleteClient): Promise<void> {
  const real = chunk.state === 'running';
  const requestId = real ? chunk.requestId! : chunk.dryRunRequestId!;
  const checks = chunk.checks + 1;
  let status: BatchStatus;
  try {
    status = await client.getBatchStatus(requestId);
  } catch (error) {
    if (isRateLimited(error)) throw error;
    // Authlete unreachable or slow: try again later; the chunk stays running.
    await checkAgainLater(chunk, checks);
    if (error instanceof AuthleteError && error.code === 'not_found') {
      await (
        real
          ? transitionChunk(chunk, 'unknown', {
              set: { errorCode: 'not_found', errorDescription: 'Authlete no longer knows this batch.' },
              refused: '',
            })
          : transitionDryRun(chunk, 'failed', {
              set: { dryRunErrorCode: 'not_found', dryRunErrorDescription: 'Authlete no longer knows this dry run.' },
              refused: '',
            })
      ).catch(ignoreRefused);
    }
    return;
  }
  if (status.state === 'running') {
    await checkAgainLater(chunk, checks);
    return;
  }
  // Two workers asking at once both learn the result; the compare-and-set records it once.
  await (
    real
      ? transitionChunk(chunk, status.state, {
          from: ['running'],
          set: {
            checks,
            nextCheckAt: null,
            tokenCount: status.tokenCount,
            errorCode: status.errorCode ?? null,
            errorDescription: status.errorDescription ?? null,
            finishedAt: new Date(),
          },
          refused: '',
        })
      : transitionDryRun(chunk, status.state, {
          from: ['running'],
          set: {
            checks,
            nextCheckAt: null,
            dryRunErrorCode: status.errorCode ?? null,
            dryRunErrorDescription: status.errorDescription ?? null,
          },
          refused: '',
        })
  ).catch(ignoreRefused);
}

/** When this job next has something the server can do on its own; null when it waits for a person (or is done). */
async function nextDueAt(jobId: string): Promise<number | null> {
  const db = await getDb();
  const open = await db
    .select()
    .from(issueChunks)
    .where(
      and(
        eq(issueChunks.jobId, jobId),
        or(
          eq(issueChunks.state, 'submitting'),
          eq(issueChunks.state, 'running'),
          eq(issueChunks.dryRunState, 'running'),
        ),
      ),
    );
  const times = open.map((chunk) => {
    if (chunk.state === 'submitting') return (chunk.submittedAt?.getTime() ?? Date.now()) + STALE_SUBMISSION_MS;
    return chunk.nextCheckAt?.getTime() ?? Date.now();
  });
  return times.length ? Math.min(...times) : null;
}
