import fs from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenCreateInput } from '@/lib/schemas';
import type { JobCreateInput, JobDetailResponse } from '@/lib/schemas/issue-job';
import { generateTokenValues } from '@/lib/csv/token-values';
import type { AuthleteClient } from '@/server/authlete';
import { issueChunks, issueJobs, issueRowOutcomes } from '@/server/db/schema';
import { TransitionRefusedError } from '@/server/jobs/core/errors';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import { useTestEmulatorUpstream } from '@/server/testing/routes';

/**
 * The issue job against the emulator, with the job workers running as on a server: the browser's
 * part (dry runs, submissions, narrowing with the rows' values) is called directly, the rest
 * (asking Authlete how each batch request went, finishing the job) happens on the queue.
 * Server modules are imported once the configuration points at this file's emulator.
 */
let issue: typeof import('.');
let jobs: typeof import('@/server/jobs');
let db: typeof import('@/server/db');
/** A job of the owner's service, through this file's client. */
const createJob = (
  owner: Parameters<typeof issue.createIssueJob>[0],
  input: Parameters<typeof issue.createIssueJob>[1],
) => issue.createIssueJob(owner, input, { client });
const getJobDetail: typeof issue.getIssueJobDetail = (...args) => issue.getIssueJobDetail(...args);
const listJobs: typeof issue.listIssueJobs = (...args) => issue.listIssueJobs(...args);
const startDryRun: typeof issue.startDryRun = (...args) => issue.startDryRun(...args);
const submitChunk: typeof issue.submitChunk = (...args) => issue.submitChunk(...args);
const narrowChunk: typeof issue.narrowChunk = (...args) => issue.narrowChunk(...args);
const narrowDryRun: typeof issue.narrowDryRun = (...args) => issue.narrowDryRun(...args);
const excludeBadRows: typeof issue.excludeBadRows = (...args) => issue.excludeBadRows(...args);
const getDb = () => db.getDb();

let emulator: TestEmulator;
let client: AuthleteClient;
let clientId: string;
const owner = { id: 'admin-1', email: 'admin@demo.local', service: 'default' };

beforeAll(async () => {
  emulator = await startTestEmulator();
  useTestEmulatorUpstream(emulator);
  [issue, jobs, db] = await Promise.all([import('.'), import('@/server/jobs'), import('@/server/db')]);
  client = (await import('@/server/authlete')).createAuthleteClient({
    baseUrl: emulator.url,
    apiVersion: 3,
    serviceId: emulator.serviceId,
    accessToken: emulator.serviceAccessToken,
    timeoutMs: 5_000,
  });
  clientId = (await client.listClients())[0]!.clientId;
  await jobs.startJobWorkers();
}, 120_000);
afterAll(async () => {
  await jobs?.stopJobWorkers();
  await db?.closeDb();
  await emulator.close();
});

function rowsFor(prefix: string, n: number): TokenCreateInput[] {
  const values = generateTokenValues(n);
  return values.map((accessToken, i) => ({
    grantType: 'PASSWORD',
    clientId,
    subject: `${prefix}-${i}`,
    scopes: [],
    accessToken,
  }));
}

function plan(rowCount: number, chunkSize: number): JobCreateInput {
  const chunks = [];
  for (let from = 0; from < rowCount; from += chunkSize) {
    const to = Math.min(from + chunkSize, rowCount);
    chunks.push({ rowFrom: from, rowTo: to, firstLine: from + 2, lastLine: to + 1 });
  }
  return {
    fileName: 'tokens.csv',
    fileSha256: 'a'.repeat(64),
    fileBytes: 1000,
    fileRows: rowCount,
    rowCount,
    excludedRows: 0,
    generatedRows: rowCount,
    chunkSize,
    chunks,
  };
}

/** Reads the job until the queue's workers (asking Authlete in the background) have brought it where expected. */
async function pollUntil(jobId: string, done: (detail: JobDetailResponse) => boolean): Promise<JobDetailResponse> {
  // Status checks back off per chunk (0.5 s doubling), so a slow machine needs a generous deadline.
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const detail = await getJobDetail(jobId);
    if (done(detail)) return detail;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('job did not reach the expected state');
}

async function tokensOf(subject: string): Promise<number> {
  return (await client.listTokens({ subject, status: 'all' }, 0, 20)).totalCount;
}

describe('batch jobs against the emulator', () => {
  it('dry-runs, submits in chunks, polls to completion and refuses to submit a chunk twice', async () => {
    const tokens = rowsFor('jobA', 7);
    const { job, chunks } = await createJob(owner, plan(7, 3));
    expect(job.state).toBe('draft');
    expect(chunks.map((c) => [c.seq, c.rowRanges, c.firstLine, c.lastLine])).toEqual([
      [0, [[0, 3]], 2, 4],
      [1, [[3, 6]], 5, 7],
      [2, [[6, 7]], 8, 8],
    ]);
    await expect(submitChunk(job.id, 0, tokens.slice(0, 3), client)).rejects.toMatchObject({ kind: 'conflict' });
    for (const chunk of chunks)
      await startDryRun(job.id, chunk.seq, tokens.slice(chunk.rowRanges[0]![0], chunk.rowRanges[0]![1]), client);
    await pollUntil(job.id, (d) => d.chunks.every((c) => c.dryRunState === 'succeeded'));
    // A dry run creates nothing.
    expect(await tokensOf('jobA-0')).toBe(0);

    for (const chunk of chunks)
      await submitChunk(job.id, chunk.seq, tokens.slice(chunk.rowRanges[0]![0], chunk.rowRanges[0]![1]), client);
    await expect(submitChunk(job.id, 0, tokens.slice(0, 3), client)).rejects.toBeInstanceOf(TransitionRefusedError);
    const done = await pollUntil(job.id, (d) => d.job.state === 'completed');
    expect(done.job).toMatchObject({ tokensCreated: 7, alreadyPresent: 0, rejectedRows: 0 });
    expect(done.chunks.every((c) => c.state === 'succeeded' && c.requestId)).toBe(true);
    for (let i = 0; i < 7; i++) expect(await tokensOf(`jobA-${i}`)).toBe(1);
    expect((await listJobs('default', 1, 20)).jobs.map((j) => j.id)).toContain(job.id);
  });

  it('narrows a chunk that failed halfway and resubmits the rest without creating any token twice', async () => {
    const tokens = rowsFor('jobB', 6);
    const { job } = await createJob(owner, plan(6, 6));
    await startDryRun(job.id, 0, tokens, client);
    await pollUntil(job.id, (d) => d.chunks[0]!.dryRunState === 'succeeded');
    // Between dry run and submission, row 4's value appears in Authlete (another run of the same file).
    await client.createToken(tokens[4]!);
    await emulator.setFaults({ failBatchElement: 2 });
    await submitChunk(job.id, 0, tokens, client);
    const failed = await pollUntil(job.id, (d) => d.job.state === 'attention');
    expect(failed.chunks[0]).toMatchObject({
      state: 'failed',
      tokenCount: 2,
      errorDescription: expect.stringContaining('Element [2]'),
    });
    await emulator.clearFaults();

    const rows = tokens.map((token, index) => ({ index, line: index + 2, token }));
    await expect(narrowChunk(job.id, 0, rows.slice(1), client)).rejects.toMatchObject({ kind: 'invalid_input' });
    // Narrowing resubmits rows: they must be the rows that passed the dry run.
    const changed = rows.map((row) =>
      row.index === 3 ? { ...row, token: { ...row.token, subject: 'jobB-changed' } } : row,
    );
    await expect(narrowChunk(job.id, 0, changed, client)).rejects.toMatchObject({ kind: 'conflict' });
    expect(await tokensOf('jobB-changed')).toBe(0);
    const result = await narrowChunk(job.id, 0, rows, client);
    expect(result).toEqual({ alreadyPresent: 1, rejected: 0, resubmittedSeq: 1, resubmittedRows: 3 });
    const done = await pollUntil(job.id, (d) => d.job.state === 'completed');
    expect(done.chunks.map((c) => [c.seq, c.state, c.parentSeq, c.rowRanges, c.tokenCount])).toEqual([
      [0, 'narrowed', null, [[0, 6]], 2],
      [
        1,
        'succeeded',
        0,
        [
          [2, 4],
          [5, 6],
        ],
        3,
      ],
    ]);
    expect(done.outcomes).toEqual([
      {
        rowIndex: 4,
        line: 6,
        chunkSeq: 0,
        outcome: 'already_present',
        errorCode: expect.any(String),
        errorDescription: expect.stringContaining('already exists'),
      },
    ]);
    expect(done.job).toMatchObject({ tokensCreated: 5, alreadyPresent: 1 });
    for (let i = 0; i < 6; i++) expect(await tokensOf(`jobB-${i}`)).toBe(1);
    await expect(narrowChunk(job.id, 0, rows, client)).rejects.toMatchObject({ kind: 'conflict' });
  });

  it('records a refused submission as failed and one whose answer was lost as unknown', async () => {
    const tokens = rowsFor('jobC', 2);
    const { job } = await createJob(owner, plan(2, 1));
    await startDryRun(job.id, 0, tokens.slice(0, 1), client);
    await startDryRun(job.id, 1, tokens.slice(1), client);
    await pollUntil(job.id, (d) => d.chunks.every((c) => c.dryRunState === 'succeeded'));
    await emulator.setFaults({ errorRate: 1, operations: ['auth_token_create_batch_api'] });
    await expect(submitChunk(job.id, 0, tokens.slice(0, 1), client)).rejects.toThrow();
    await emulator.clearFaults();
    const detail = await getJobDetail(job.id);
    expect(detail.chunks[0]).toMatchObject({ state: 'unknown' });
    expect(detail.job.state).toBe('attention');
    // Narrowing finds the row was never created and submits it.
    const result = await narrowChunk(job.id, 0, [{ index: 0, line: 2, token: tokens[0]! }], client);
    expect(result).toMatchObject({ alreadyPresent: 0, resubmittedRows: 1 });
    await submitChunk(job.id, 1, tokens.slice(1), client);
    const done = await pollUntil(job.id, (d) => d.job.state === 'completed');
    expect(done.job.tokensCreated).toBe(2);
  });

  it('finds every bad row of a failed dry run, and submits the rest once the admin excludes them', async () => {
    // A migration file run again: rows 1, 7 and 8 (chunk 0) and 14 (chunk 1) already exist in Authlete; row 12 asks for a scope the service lacks.
    const tokens = rowsFor('jobD', 20);
    tokens[12] = { ...tokens[12]!, scopes: ['no-such-scope'] };
    for (const i of [1, 7, 8, 14]) await client.createToken(tokens[i]!);
    const { job } = await createJob(owner, plan(20, 10));
    const slice = (from: number, to: number) => tokens.slice(from, to);
    await startDryRun(job.id, 0, slice(0, 10), client);
    await startDryRun(job.id, 1, slice(10, 20), client);
    const failed = await pollUntil(job.id, (d) => d.chunks.every((c) => c.dryRunState === 'failed'));
    // Authlete stops at the first bad element: one per chunk.
    expect(failed.chunks.map((c) => c.dryRunErrorDescription)).toEqual([
      expect.stringContaining('Element [1]'),
      expect.stringContaining('Element [2]'),
    ]);
    // Nothing may be sent for real while a chunk's dry run failed, not even a chunk that passed.
    await expect(submitChunk(job.id, 0, slice(0, 10), client)).rejects.toMatchObject({ kind: 'conflict' });
    await expect(excludeBadRows(job.id, 0, { firstLine: 2, lastLine: 11 })).rejects.toMatchObject({ kind: 'conflict' });

    const rowsOf = (from: number, to: number) =>
      slice(from, to).map((token, k) => ({ index: from + k, line: from + k + 2, token }));
    // Only the rows of the failed dry run can be narrowed (a clean narrowing would pass the chunk).
    const swapped = rowsOf(0, 10).map((row) =>
      row.index === 1 ? { ...row, token: rowsFor('jobD-other', 1)[0]! } : row,
    );
    await expect(narrowDryRun(job.id, 0, swapped, client)).rejects.toMatchObject({ kind: 'conflict' });
    const first = await narrowDryRun(job.id, 0, rowsOf(0, 10), client);
    expect(first.badRows.map((r) => [r.rowIndex, r.line, r.outcome])).toEqual([
      [1, 3, 'already_present'],
      [7, 9, 'already_present'],
      [8, 10, 'already_present'],
    ]);
    expect(first.badRows[0]).toMatchObject({
      errorCode: expect.stringMatching(/^A\d+$/),
      errorDescription: expect.stringContaining('already exists'),
    });
    expect(first.badRows[0]!.errorDescription).not.toContain('Element [');
    // The failure already seen names row 1; then one dry run per other bad row, one that passes.
    expect(first).toMatchObject({ dryRuns: 3, limitReached: false });
    const second = await narrowDryRun(job.id, 1, rowsOf(10, 20), client);
    expect(second.badRows.map((r) => [r.rowIndex, r.outcome])).toEqual([
      [12, 'rejected'],
      [14, 'already_present'],
    ]);
    expect(second.badRows[0]!.errorDescription).toContain('no-such-scope');
    // Found, not yet excluded: still nothing can be submitted.
    expect((await getJobDetail(job.id)).chunks.map((c) => [c.state, c.dryRunState])).toEqual([
      ['pending', 'failed'],
      ['pending', 'failed'],
    ]);

    const kept0 = await excludeBadRows(job.id, 0, { firstLine: 2, lastLine: 11 });
    const kept1 = await excludeBadRows(job.id, 1, { firstLine: 12, lastLine: 21 });
    expect(kept0).toMatchObject({
      excludedRows: 3,
      chunk: {
        seq: 2,
        parentSeq: 0,
        rowRanges: [
          [0, 1],
          [2, 7],
          [9, 10],
        ],
        rowCount: 7,
        dryRunState: 'none',
      },
    });
    expect(kept1).toMatchObject({
      excludedRows: 2,
      chunk: {
        seq: 3,
        parentSeq: 1,
        rowRanges: [
          [10, 12],
          [13, 14],
          [15, 20],
        ],
        rowCount: 8,
      },
    });
    const pick = (ranges: [number, number][]) => ranges.flatMap(([from, to]) => slice(from, to));
    // The remaining rows need their own dry run before they are sent.
    await expect(submitChunk(job.id, 2, pick(kept0.chunk!.rowRanges), client)).rejects.toMatchObject({
      kind: 'conflict',
    });
    for (const chunk of [kept0.chunk!, kept1.chunk!])
      await startDryRun(job.id, chunk.seq, pick(chunk.rowRanges), client);
    await pollUntil(job.id, (d) =>
      d.chunks.filter((c) => c.state === 'pending').every((c) => c.dryRunState === 'succeeded'),
    );
    for (const chunk of [kept0.chunk!, kept1.chunk!])
      await submitChunk(job.id, chunk.seq, pick(chunk.rowRanges), client);
    const done = await pollUntil(job.id, (d) => d.job.state === 'completed');
    // Row 12 was rejected by the dry run and excluded: never sent, so not "rejected" by the job's submission.
    expect(done.job).toMatchObject({ tokensCreated: 15, alreadyPresent: 4, rejectedRows: 0, dryRunRejectedRows: 1 });
    expect(done.outcomes.map((o) => [o.line, o.outcome])).toEqual([
      [3, 'already_present'],
      [9, 'already_present'],
      [10, 'already_present'],
      [14, 'rejected'],
      [16, 'already_present'],
    ]);
    for (let i = 0; i < 20; i++) expect(await tokensOf(`jobD-${i}`)).toBe(i === 12 ? 0 : 1);
  });

  it('stops narrowing a dry run at its budget and keeps what it found', async () => {
    const tokens = rowsFor('jobE', 6);
    for (const i of [0, 2, 4, 5]) await client.createToken(tokens[i]!);
    const { job } = await createJob(owner, plan(6, 6));
    await startDryRun(job.id, 0, tokens, client);
    await pollUntil(job.id, (d) => d.chunks[0]!.dryRunState === 'failed');
    const result = await narrowDryRun(
      job.id,
      0,
      tokens.map((token, index) => ({ index, line: index + 2, token })),
      client,
      { maxDryRuns: 2 },
    );
    expect(result).toMatchObject({ dryRuns: 2, maxDryRuns: 2, limitReached: true });
    expect(result.badRows.map((r) => r.rowIndex)).toEqual([0, 2, 4]);
    const detail = await getJobDetail(job.id);
    expect(detail.chunks[0]).toMatchObject({ state: 'pending', dryRunState: 'failed', checks: 2 });
    expect(detail.outcomes).toHaveLength(3);

    // A server that stopped mid-narrowing leaves the chunk claimed; once its lease runs out it can be narrowed again.
    const db = await getDb();
    await db
      .update(issueChunks)
      .set({ dryRunState: 'running', dryRunRequestId: null, nextCheckAt: new Date(Date.now() - 1) })
      .where(eq(issueChunks.jobId, job.id));
    await jobs.enqueueStep('issue', job.id);
    await pollUntil(job.id, (d) => d.chunks[0]!.dryRunState === 'failed');
  });

  it('passes a chunk whose dry run failed without naming a row once narrowing finds no bad row', async () => {
    const tokens = rowsFor('jobF', 4);
    const { job } = await createJob(owner, plan(4, 4));
    // Authlete answered the dry run with a server error: no element named.
    await emulator.setFaults({ errorRate: 1, operations: ['auth_token_create_batch_api'] });
    await expect(startDryRun(job.id, 0, tokens, client)).rejects.toThrow();
    await emulator.clearFaults();
    expect((await getJobDetail(job.id)).chunks[0]).toMatchObject({ dryRunState: 'failed' });
    const result = await narrowDryRun(
      job.id,
      0,
      tokens.map((token, index) => ({ index, line: index + 2, token })),
      client,
    );
    // Halves, each passing: nothing to exclude, and the chunk may be submitted.
    expect(result).toMatchObject({ badRows: [], dryRuns: 2, limitReached: false });
    expect((await getJobDetail(job.id)).chunks[0]).toMatchObject({ state: 'pending', dryRunState: 'succeeded' });
    await submitChunk(job.id, 0, tokens, client);
    await pollUntil(job.id, (d) => d.job.state === 'completed');
    for (let i = 0; i < 4; i++) expect(await tokensOf(`jobF-${i}`)).toBe(1);
  });

  it('recounts jobs recorded before: a row rejected by the dry run and excluded is no longer counted as rejected', async () => {
    const db = await getDb();
    const { job } = await createJob(owner, plan(3, 3));
    // As jobs were recorded before: row 1 rejected by chunk 0's dry run, excluded, and counted as rejected.
    await db.update(issueChunks).set({ state: 'narrowed', dryRunState: 'failed' }).where(eq(issueChunks.jobId, job.id));
    await db.insert(issueRowOutcomes).values({ jobId: job.id, rowIndex: 1, line: 3, chunkSeq: 0, outcome: 'rejected' });
    await db.update(issueJobs).set({ rejectedRows: 1, dryRunRejectedRows: 0 }).where(eq(issueJobs.id, job.id));
    const folder = 'server/db/migrations';
    const migration = fs
      .readdirSync(folder)
      .find(
        (file) =>
          file.endsWith('.sql') &&
          fs.readFileSync(path.join(folder, file), 'utf8').includes('"dry_run_rejected_rows" ='),
      )!;
    const recount = fs
      .readFileSync(path.join(folder, migration), 'utf8')
      .split('--> statement-breakpoint')
      .find((statement) => statement.includes('UPDATE'))!
      // Migration 0007 renamed the tables it counts in (batch_* → issue_*).
      .replaceAll('"batch_', '"issue_');
    await db.execute(sql.raw(recount));
    expect((await getJobDetail(job.id)).job).toMatchObject({ rejectedRows: 0, dryRunRejectedRows: 1 });
  });

  it('turns row indexes into ranges', () => {
    expect(issue.toRanges([0, 1, 2, 5, 7, 8])).toEqual([
      [0, 3],
      [5, 6],
      [7, 9],
    ]);
    expect(issue.toRanges([])).toEqual([]);
  });
});
