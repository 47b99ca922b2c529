/**
 * Bulk issue into an Authlete 2.x service (no batch API), against the emulator's 2.x service with
 * the job workers running: the same job, dry run and submission as on 3.x, the dry run checked
 * here and the rows created one by one on the queue. Nothing is issued twice, whatever Authlete
 * (429, 503) or the server (a step that stopped mid-window) does.
 *
 * The deployment's service list (server/services) is given two services here, the demo 3.x one and
 * the 2.x one, until that list is configurable (issue 13, services).
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TokenCreateInput } from '@/lib/schemas';
import type { JobCreateInput, JobDetailResponse } from '@/lib/schemas/issue-job';
import type { Service } from '@/lib/schemas/service';
import { generateTokenValues } from '@/lib/csv/token-values';
import type { AuthleteClient } from '@/server/authlete';
import { issueChunks } from '@/server/db/schema';
import { LEGACY_SERVICE_API_KEY, LEGACY_SERVICE_API_SECRET } from '@/server/emulator/seed';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import { useTestEmulatorUpstream } from '@/server/testing/routes';

const registry = vi.hoisted(() => ({ clients: new Map<string, unknown>() }));
vi.mock('@/server/services', () => {
  const list: Service[] = [
    { slug: 'default', name: 'Production', environment: 'production', apiVersion: 3 },
    { slug: 'legacy', name: 'Legacy', environment: 'production', apiVersion: 2 },
  ];
  return {
    listServices: () => list,
    findService: (slug: string) => list.find((service) => service.slug === slug),
    defaultService: () => list[0],
    authleteFor: (slug: string) => registry.clients.get(slug),
    refreshServices: async () => {},
  };
});

let issue: typeof import('.');
let jobs: typeof import('@/server/jobs');
let db: typeof import('@/server/db');
let emulator: TestEmulator;
let legacy: AuthleteClient;
const owner = { id: 'admin-1', email: 'admin@demo.local', service: 'legacy' };
const WEB_SHOP = '5593494701';

beforeAll(async () => {
  emulator = await startTestEmulator({ seed: { demo: true, tokens: 0, environments: true } });
  useTestEmulatorUpstream(emulator);
  [issue, jobs, db] = await Promise.all([import('.'), import('@/server/jobs'), import('@/server/db')]);
  const { createAuthleteClient } = await import('@/server/authlete');
  legacy = createAuthleteClient({
    baseUrl: emulator.url,
    apiVersion: 2,
    apiKey: LEGACY_SERVICE_API_KEY,
    apiSecret: LEGACY_SERVICE_API_SECRET,
    timeoutMs: 5_000,
  });
  registry.clients.set('legacy', legacy);
  registry.clients.set(
    'default',
    createAuthleteClient({
      baseUrl: emulator.url,
      apiVersion: 3,
      serviceId: emulator.serviceId,
      accessToken: emulator.serviceAccessToken,
      timeoutMs: 5_000,
    }),
  );
  await jobs.startJobWorkers();
}, 300_000);
afterAll(async () => {
  await jobs?.stopJobWorkers();
  await db?.closeDb();
  await emulator?.close();
});

function rowsFor(prefix: string, n: number, scopes: string[] = ['profile']): TokenCreateInput[] {
  return generateTokenValues(n).map((accessToken, i) => ({
    grantType: 'AUTHORIZATION_CODE',
    clientId: WEB_SHOP,
    subject: `${prefix}-${i}`,
    scopes,
    accessToken,
  }));
}

/** One chunk per `chunkSize` rows; row i is on file line i + 2. */
function plan(rowCount: number, chunkSize: number): JobCreateInput {
  const chunks = [];
  for (let from = 0; from < rowCount; from += chunkSize) {
    const to = Math.min(from + chunkSize, rowCount);
    chunks.push({ rowFrom: from, rowTo: to, firstLine: from + 2, lastLine: to + 1 });
  }
  return {
    fileName: 'legacy.csv',
    fileSha256: 'b'.repeat(64),
    fileBytes: 1000,
    fileRows: rowCount,
    rowCount,
    excludedRows: 0,
    generatedRows: rowCount,
    chunkSize,
    chunks,
  };
}

const linesOf = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k + 2);
const createJob = (input: JobCreateInput) => issue.createIssueJob(owner, input, { client: legacy });

async function pollUntil(jobId: string, done: (detail: JobDetailResponse) => boolean): Promise<JobDetailResponse> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const detail = await issue.getIssueJobDetail(jobId);
    if (done(detail)) return detail;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`job did not reach the expected state: ${JSON.stringify(await issue.getIssueJobDetail(jobId))}`);
}

async function tokensOf(subject: string): Promise<number> {
  return (await legacy.listTokens({ subject, status: 'all' }, 0, 20)).totalCount;
}

/** Dry-runs and submits every chunk as the browser does. */
async function dryRunAndSubmit(jobId: string, detail: JobDetailResponse, tokens: TokenCreateInput[]) {
  for (const chunk of detail.chunks) {
    const [from, to] = chunk.rowRanges[0]!;
    const checked = await issue.startDryRun(jobId, chunk.seq, tokens.slice(from, to), legacy);
    expect(checked.dryRunState).toBe('succeeded');
  }
  for (const chunk of detail.chunks) {
    const [from, to] = chunk.rowRanges[0]!;
    await issue.submitChunk(jobId, chunk.seq, tokens.slice(from, to), legacy, linesOf(from, to));
  }
}

describe('bulk issue on an Authlete 2.x service', () => {
  it('checks the rows itself (no dry run on 2.x), then creates them one by one on the queue, once each', async () => {
    const tokens = rowsFor('v2jobA', 30);
    const detail = await createJob(plan(30, 12));
    expect(detail.job.issueMode).toBe('single');

    // The dry run is answered at once, naming the first bad element as Authlete's would.
    const bad = [...tokens.slice(0, 3)];
    bad[1] = { ...bad[1]!, scopes: ['no.such.scope'] };
    const refused = await issue.startDryRun(detail.job.id, 0, [...bad, ...tokens.slice(3, 12)], legacy);
    expect(refused).toMatchObject({ dryRunState: 'failed', dryRunErrorCode: 'unsupported_scope' });
    expect(refused.dryRunErrorDescription).toMatch(/^Element \[1\]: /);

    await dryRunAndSubmit(detail.job.id, detail, tokens);
    const done = await pollUntil(detail.job.id, (d) => d.job.state === 'completed');
    expect(done.job).toMatchObject({ tokensCreated: 30, alreadyPresent: 0, rejectedRows: 0 });
    expect(done.chunks.every((c) => c.state === 'succeeded' && c.rowsDone === c.rowCount)).toBe(true);
    for (let i = 0; i < 30; i++) expect(await tokensOf(`v2jobA-${i}`)).toBe(1);
    // The rows' sealed copy is gone once each chunk ended.
    const stored = await (
      await db.getDb()
    )
      .select({ sealed: issueChunks.sealedRows })
      .from(issueChunks)
      .where(eq(issueChunks.jobId, detail.job.id));
    expect(stored.every((row) => row.sealed === null)).toBe(true);
  });

  it('refuses a submission without values or lines, and never calls the batch API', async () => {
    await emulator.resetStats();
    const tokens = rowsFor('v2jobB', 2);
    const detail = await createJob(plan(2, 2));
    await issue.startDryRun(detail.job.id, 0, tokens, legacy);
    // Without each row's line a refused row could not be recorded: refused before anything is sealed or sent.
    await expect(issue.submitChunk(detail.job.id, 0, tokens, legacy)).rejects.toMatchObject({ kind: 'invalid_input' });
    const withoutValues = tokens.map((row) => ({ ...row, accessToken: undefined }));
    const other = await createJob(plan(2, 2));
    await expect(issue.startDryRun(other.job.id, 0, withoutValues, legacy)).resolves.toMatchObject({
      dryRunState: 'succeeded',
    });
    // Without its value a row could not be created again safely.
    await expect(issue.submitChunk(other.job.id, 0, withoutValues, legacy, linesOf(0, 2))).rejects.toMatchObject({
      kind: 'invalid_input',
    });
    const stats = await emulator.stats();
    expect(stats.operations).not.toHaveProperty('auth_token_create_batch_api');
    expect(stats.operations).not.toHaveProperty('auth_token_create_api');
    for (const id of [detail.job.id, other.job.id])
      expect((await issue.getIssueJobDetail(id)).chunks[0]!.state).toBe('pending');
  });

  it('records a value Authlete already holds as already present (by its line) and creates the other rows', async () => {
    const tokens = rowsFor('v2jobC', 6);
    // A value already in Authlete before the job (another system, an earlier file).
    await legacy.createToken(tokens[2]!);
    const detail = await createJob(plan(6, 6));
    await dryRunAndSubmit(detail.job.id, detail, tokens);
    const done = await pollUntil(detail.job.id, (d) => d.job.state === 'completed');
    expect(done.job).toMatchObject({ tokensCreated: 5, alreadyPresent: 1, rejectedRows: 0 });
    expect(done.outcomes).toMatchObject([{ rowIndex: 2, line: 4, outcome: 'already_present' }]);
    for (let i = 0; i < 6; i++) expect(await tokensOf(`v2jobC-${i}`)).toBe(1);
  });

  it.each([
    ['429', { rateLimitRate: 1, retryAfterSeconds: 1 }],
    ['503', { errorRate: 1, errorStatus: 503 }],
  ])('waits out %s answers to creates and issues every row once', async (status, fault) => {
    const prefix = `v2job${status}`;
    const tokens = rowsFor(prefix, 25);
    const detail = await createJob(plan(25, 25));
    await emulator.setFaults({ ...fault, operations: ['auth_token_create_api'], remaining: 3 });
    await dryRunAndSubmit(detail.job.id, detail, tokens);
    const done = await pollUntil(detail.job.id, (d) => d.job.state === 'completed');
    // Every fault was served (the job met each one), and the job went on after them.
    const faults = (await (await fetch(`${emulator.url}/__emulator/faults`)).json()) as { remaining: number };
    expect(faults.remaining).toBe(0);
    await emulator.clearFaults();
    expect(done.job).toMatchObject({ tokensCreated: 25, alreadyPresent: 0, rejectedRows: 0 });
    for (let i = 0; i < 25; i++) expect(await tokensOf(`${prefix}-${i}`)).toBe(1);
  });

  it('resumes after a restart mid-window: rows the stopped step created count once, nothing is issued twice', async () => {
    const tokens = rowsFor('v2jobE', 25);
    const detail = await createJob(plan(25, 25));
    for (const chunk of detail.chunks) await issue.startDryRun(detail.job.id, chunk.seq, tokens, legacy);
    // The server stops: no worker takes the submission's step.
    await jobs.stopJobWorkers();
    await issue.submitChunk(detail.job.id, 0, tokens, legacy, linesOf(0, 25));
    // What a step that died mid-window leaves: the window [0, 20) claimed, rows 0-6 created in
    // Authlete but not recorded, and its lease run out. Row 22 was in Authlete before the job.
    const database = await db.getDb();
    await database
      .update(issueChunks)
      .set({ inFlightTo: 20, nextCheckAt: new Date(Date.now() - 1_000) })
      .where(eq(issueChunks.jobId, detail.job.id));
    for (const row of tokens.slice(0, 7)) await legacy.createToken(row);
    await legacy.createToken(tokens[22]!);

    await jobs.startJobWorkers();
    const done = await pollUntil(detail.job.id, (d) => d.job.state === 'completed');
    expect(done.job).toMatchObject({ tokensCreated: 24, alreadyPresent: 1, rejectedRows: 0 });
    expect(done.outcomes.map((o) => [o.rowIndex, o.outcome])).toEqual([[22, 'already_present']]);
    for (let i = 0; i < 25; i++) expect(await tokensOf(`v2jobE-${i}`)).toBe(1);
  });
});
