/**
 * The job routes through the real wrapper, sessions, audit log and an emulator: roles, validation,
 * the dry run → submit → status flow, narrowing, resume, and an audit record for each step that
 * never holds a token value.
 */
import { authleteFor } from '@/server/services';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@/lib/roles';
import type { JobCreateInput, JobDetailResponse } from '@/lib/schemas/issue-job';
import { generateTokenValues } from '@/lib/csv/token-values';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import {
  sessionCookiesFor,
  TEST_APP_URL,
  useTestEmulatorUpstream,
  type RouteHandler as Handler,
} from '@/server/testing/routes';

let emulator: TestEmulator;
let cookies: Record<Role | 'scopedAdmin', string>;
let routes: {
  jobs: { GET: Handler; POST: Handler };
  job: { GET: Handler };
  dryRun: { POST: Handler };
  submit: { POST: Handler };
  narrow: { POST: Handler };
  narrowDryRun: { POST: Handler };
  exclude: { POST: Handler };
  resume: { POST: Handler };
};
let listAudit: typeof import('@/server/audit').listAudit;
let clientId: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  useTestEmulatorUpstream(emulator);
  routes = {
    jobs: (await import('./route')) as never,
    job: (await import('./[jobId]/route')) as never,
    dryRun: (await import('./[jobId]/chunks/[seq]/dry-run/route')) as never,
    submit: (await import('./[jobId]/chunks/[seq]/submit/route')) as never,
    narrow: (await import('./[jobId]/chunks/[seq]/narrow/route')) as never,
    resume: (await import('./[jobId]/resume/route')) as never,
    narrowDryRun: (await import('./[jobId]/chunks/[seq]/narrow-dry-run/route')) as never,
    exclude: (await import('./[jobId]/chunks/[seq]/exclude/route')) as never,
  };
  cookies = {
    ...(await sessionCookiesFor(['viewer', 'support', 'lead', 'admin'])),
    scopedAdmin: await scopedAdminCookie(),
  };
  listAudit = (await import('@/server/audit')).listAudit;
  clientId = (await authleteFor('default').listClients())[0]!.clientId;
  // As on a server: the queue's workers ask Authlete how each batch request went; the routes only read.
  await (await import('@/server/jobs')).startJobWorkers();
}, 120_000);
afterAll(async () => {
  await (await import('@/server/jobs')).stopJobWorkers();
  await emulator?.close();
});

/** The client of the demo service a client-scoped admin's grant covers (and no other). */
const SCOPED_CLIENT = '26888344961664';

/** An admin whose grant in the default service covers one client only. */
async function scopedAdminCookie(): Promise<string> {
  const { sessionCookieFor } = await import('@/server/testing/session');
  const { findUser } = await import('@/server/auth/users');
  const { getDb } = await import('@/server/db');
  const { staffGrant } = await import('@/server/db/schema');
  const email = 'scoped-admin@desk.test';
  const cookie = await sessionCookieFor('admin', email);
  const user = await findUser(await getDb(), email);
  await (
    await getDb()
  )
    .insert(staffGrant)
    .values({ userId: user!.id, service: 'default', role: 'admin', clientIds: [SCOPED_CLIENT] });
  return cookie;
}

async function call(
  handler: Handler,
  {
    method = 'GET',
    path,
    role = 'admin',
    params = {},
    body,
  }: { method?: string; path: string; role?: keyof typeof cookies; params?: Record<string, string>; body?: unknown },
) {
  const response = await handler(
    new Request(`${TEST_APP_URL}${path}`, {
      method,
      headers: {
        'sec-fetch-site': 'same-origin',
        'user-agent': 'vitest',
        cookie: cookies[role],
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve(params) },
  );
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

function plan(rowCount: number): JobCreateInput {
  return {
    fileName: 'routes.csv',
    fileSha256: 'b'.repeat(64),
    fileBytes: 321,
    fileRows: rowCount + 1,
    rowCount,
    excludedRows: 1,
    generatedRows: rowCount,
    chunkSize: rowCount,
    chunks: [{ rowFrom: 0, rowTo: rowCount, firstLine: 2, lastLine: rowCount + 1 }],
  };
}

async function waitFor(jobId: string, done: (detail: JobDetailResponse) => boolean): Promise<JobDetailResponse> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const { json } = await call(routes.job.GET, { path: `/api/jobs/${jobId}`, role: 'viewer', params: { jobId } });
    if (done(json)) return json;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('job did not reach the expected state');
}

async function tokensOf(subject: string): Promise<number> {
  return (await authleteFor('default').listTokens({ subject, status: 'all' }, 0, 20)).totalCount;
}

describe('a client-scoped admin', () => {
  it("issues for their clients only (another client's row is refused before anything is sent) and sees only their own jobs", async () => {
    const others = await call(routes.jobs.POST, { method: 'POST', path: '/api/s/default/jobs', body: plan(1) });
    const otherJobId = others.json.job.id as string;
    const created = await call(routes.jobs.POST, {
      method: 'POST',
      path: '/api/s/default/jobs',
      role: 'scopedAdmin',
      body: plan(2),
    });
    expect(created.status).toBe(201);
    const jobId = created.json.job.id as string;
    const params = { jobId, seq: '0' };
    const row = (client: string, i: number) => ({
      grantType: 'PASSWORD',
      clientId: client,
      subject: `scoped-issue-${i}`,
      scopes: [],
      accessToken: generateTokenValues(1)[0]!,
    });
    const foreign = await call(routes.dryRun.POST, {
      method: 'POST',
      path: '/x',
      role: 'scopedAdmin',
      params,
      body: { tokens: [row(SCOPED_CLIENT, 0), row('917364', 1)] },
    });
    expect([foreign.status, foreign.json.error.code]).toEqual([403, 'client_not_permitted']);
    expect(foreign.json.error.message).toContain('917364');
    const mine = [row(SCOPED_CLIENT, 0), row(SCOPED_CLIENT, 1)];
    const dry = await call(routes.dryRun.POST, {
      method: 'POST',
      path: '/x',
      role: 'scopedAdmin',
      params,
      body: { tokens: mine },
    });
    expect(dry.status).toBe(202);

    // Another admin's job is not found for them, and is not in their list; an all-clients admin sees both.
    const theirs = await call(routes.job.GET, {
      path: `/api/s/default/jobs/${otherJobId}`,
      role: 'scopedAdmin',
      params: { jobId: otherJobId },
    });
    expect(theirs.status).toBe(404);
    const listed = async (role: keyof typeof cookies) =>
      (
        (await call(routes.jobs.GET, { path: '/api/s/default/jobs?page=1&pageSize=100', role })).json.jobs as Array<{
          id: string;
        }>
      ).map((job) => job.id);
    expect(await listed('scopedAdmin')).toContain(jobId);
    expect(await listed('scopedAdmin')).not.toContain(otherJobId);
    expect(await listed('admin')).toEqual(expect.arrayContaining([jobId, otherJobId]));
  });
});

describe('job routes', () => {
  it('let viewers and support read jobs; every job action is refused to them and audited as a denial', async () => {
    const created = await call(routes.jobs.POST, { method: 'POST', path: '/api/s/[service]/jobs', body: plan(1) });
    const jobId = created.json.job.id as string;
    const params = { jobId, seq: '0' };
    const tokens = [{ grantType: 'PASSWORD', clientId, subject: 'routes-viewer-denied', scopes: [] }];
    const rows = [{ index: 0, line: 2, token: tokens[0] }];
    const actions: [string, Handler, Record<string, string>, unknown][] = [
      ['POST /api/s/[service]/jobs', routes.jobs.POST, {}, plan(1)],
      ['POST /api/s/[service]/jobs/[jobId]/resume', routes.resume.POST, { jobId }, undefined],
      ['POST /api/s/[service]/jobs/[jobId]/chunks/[seq]/dry-run', routes.dryRun.POST, params, { tokens }],
      ['POST /api/s/[service]/jobs/[jobId]/chunks/[seq]/submit', routes.submit.POST, params, { tokens }],
      ['POST /api/s/[service]/jobs/[jobId]/chunks/[seq]/narrow', routes.narrow.POST, params, { rows }],
      ['POST /api/s/[service]/jobs/[jobId]/chunks/[seq]/narrow-dry-run', routes.narrowDryRun.POST, params, { rows }],
      ['POST /api/s/[service]/jobs/[jobId]/chunks/[seq]/exclude', routes.exclude.POST, params, { remaining: null }],
    ];
    for (const role of ['viewer', 'support'] as const) {
      expect((await call(routes.jobs.GET, { path: '/api/s/[service]/jobs', role })).status).toBe(200);
      expect((await call(routes.job.GET, { path: `/api/jobs/${jobId}`, role, params: { jobId } })).status).toBe(200);
      for (const [route, handler, routeParams, body] of actions) {
        const { status, json } = await call(handler, { method: 'POST', path: '/x', role, params: routeParams, body });
        expect(status, `${role} ${route}`).toBe(403);
        expect(json.error.code).toBe('forbidden');
      }
      const { entries } = await listAudit({ page: 1, pageSize: 100 } as never);
      const denied = entries
        .filter((entry) => entry.action === 'auth.denied' && entry.actor?.role === role)
        .map((entry) => entry.details.route);
      for (const [route] of actions) expect(denied, `${role} ${route}`).toContain(route);
    }
    expect(await tokensOf('routes-viewer-denied')).toBe(0);
    expect(
      (await call(routes.job.GET, { path: '/x', role: 'viewer', params: { jobId } })).json.chunks[0],
    ).toMatchObject({ state: 'pending', dryRunState: 'none' });
  });

  it('let viewers read jobs but only admins create and send them', async () => {
    for (const role of ['viewer', 'support'] as const) {
      expect(
        (await call(routes.jobs.POST, { method: 'POST', path: '/api/s/[service]/jobs', role, body: plan(2) })).status,
      ).toBe(403);
      expect((await call(routes.jobs.GET, { path: '/api/s/[service]/jobs', role })).status).toBe(200);
    }
    const created = await call(routes.jobs.POST, { method: 'POST', path: '/api/s/[service]/jobs', body: plan(2) });
    expect(created.status).toBe(201);
    const params = { jobId: created.json.job.id, seq: '0' };
    const tokens = [{ grantType: 'PASSWORD', clientId, subject: 'routes-denied', scopes: [] }];
    expect(
      (await call(routes.dryRun.POST, { method: 'POST', path: '/x', role: 'support', params, body: { tokens } }))
        .status,
    ).toBe(403);
    expect((await call(routes.job.GET, { path: '/x', role: 'viewer', params: { jobId: '../../etc' } })).status).toBe(
      400,
    );
    expect(
      (await call(routes.job.GET, { path: '/x', role: 'viewer', params: { jobId: crypto.randomUUID() } })).status,
    ).toBe(404);
  });

  it('validates the chunk plan and the rows', async () => {
    const gap = { ...plan(4), chunks: [{ rowFrom: 0, rowTo: 2, firstLine: 2, lastLine: 3 }] };
    const refused = await call(routes.jobs.POST, { method: 'POST', path: '/api/s/[service]/jobs', body: gap });
    expect(refused.status).toBe(400);
    const created = await call(routes.jobs.POST, { method: 'POST', path: '/api/s/[service]/jobs', body: plan(2) });
    const params = { jobId: created.json.job.id, seq: '0' };
    const wrongCount = await call(routes.dryRun.POST, {
      method: 'POST',
      path: '/x',
      params,
      body: { tokens: [{ grantType: 'PASSWORD', clientId, subject: 'a' }] },
    });
    expect(wrongCount.status).toBe(400);
    expect(wrongCount.json.error.message).toContain('has 2 rows but 1 were sent');
    const badRow = await call(routes.dryRun.POST, {
      method: 'POST',
      path: '/x',
      params,
      body: {
        tokens: [
          { grantType: 'PASSWORD', clientId },
          { grantType: 'PASSWORD', clientId, subject: 'b' },
        ],
      },
    });
    expect(badRow.status).toBe(400);
    const notDryRun = await call(routes.submit.POST, {
      method: 'POST',
      path: '/x',
      params,
      body: {
        tokens: [
          { grantType: 'PASSWORD', clientId, subject: 'a' },
          { grantType: 'PASSWORD', clientId, subject: 'b' },
        ],
      },
    });
    expect(notDryRun.status).toBe(409);
  });

  it('submits a chunk only exactly as its dry run previewed it: changed, added, removed or reordered rows are refused and nothing is created', async () => {
    const values = generateTokenValues(3);
    const tokens = values.map((accessToken, i) => ({
      grantType: 'PASSWORD',
      clientId,
      subject: `routes-gate-${i}`,
      scopes: ['openid'],
      accessToken,
    }));
    const created = await call(routes.jobs.POST, { method: 'POST', path: '/api/s/[service]/jobs', body: plan(3) });
    const jobId = created.json.job.id as string;
    const params = { jobId, seq: '0' };

    // No preview at all.
    const unpreviewed = await call(routes.submit.POST, { method: 'POST', path: '/x', params, body: { tokens } });
    expect(unpreviewed.status).toBe(409);
    expect(unpreviewed.json.error.message).toContain('has not passed a dry run');

    expect((await call(routes.dryRun.POST, { method: 'POST', path: '/x', params, body: { tokens } })).status).toBe(202);
    await waitFor(jobId, (d) => d.chunks[0]!.dryRunState === 'succeeded');
    const attempts = {
      swapped: [tokens[0], { ...tokens[1]!, subject: 'routes-gate-swapped' }, tokens[2]],
      widerScopes: [tokens[0], tokens[1], { ...tokens[2]!, scopes: ['openid', 'profile'] }],
      added: [...tokens, { grantType: 'PASSWORD', clientId, subject: 'routes-gate-added', scopes: ['openid'] }],
      removed: tokens.slice(0, 2),
      reordered: [tokens[1], tokens[0], tokens[2]],
    };
    for (const [name, body] of Object.entries(attempts)) {
      const refused = await call(routes.submit.POST, { method: 'POST', path: '/x', params, body: { tokens: body } });
      expect(refused.status, name).toBe(409);
      expect(refused.json.error.message, name).toContain('not the rows chunk 0 was dry-run with');
    }
    for (const subject of [
      'routes-gate-0',
      'routes-gate-1',
      'routes-gate-2',
      'routes-gate-swapped',
      'routes-gate-added',
    ])
      expect(await tokensOf(subject), subject).toBe(0);
    expect(
      (await call(routes.job.GET, { path: '/x', role: 'viewer', params: { jobId } })).json.chunks[0],
    ).toMatchObject({ state: 'pending', requestId: null });

    // The rows as previewed still go in (the refusals above were for the rows, not the chunk).
    expect((await call(routes.submit.POST, { method: 'POST', path: '/x', params, body: { tokens } })).status).toBe(202);
    await waitFor(jobId, (d) => d.job.state === 'completed');
    for (let i = 0; i < 3; i++) expect(await tokensOf(`routes-gate-${i}`)).toBe(1);
  });

  it('has no route that sends rows to Authlete but through a job chunk and its dry-run gate', () => {
    const routeFiles = fs
      .readdirSync('app/api', { recursive: true, encoding: 'utf8' })
      .filter((file) => path.basename(file) === 'route.ts')
      .map((file) => path.join('app/api', file));
    expect(routeFiles.length).toBeGreaterThan(10);
    expect(routeFiles.filter((file) => /\.createBatch\(/.test(fs.readFileSync(file, 'utf8')))).toEqual([]);
    expect(fs.existsSync('app/api/batches')).toBe(false);
  });

  it('runs dry run, submission, narrowing and resume, each audited without token values', async () => {
    const values = generateTokenValues(4);
    const tokens = values.map((accessToken, i) => ({
      grantType: 'PASSWORD',
      clientId,
      subject: `routes-${i}`,
      scopes: [],
      accessToken,
    }));
    const created = await call(routes.jobs.POST, { method: 'POST', path: '/api/s/[service]/jobs', body: plan(4) });
    const jobId = created.json.job.id as string;
    const params = { jobId, seq: '0' };

    const dry = await call(routes.dryRun.POST, { method: 'POST', path: '/x', params, body: { tokens } });
    expect(dry.status).toBe(202);
    await waitFor(jobId, (d) => d.chunks[0]!.dryRunState === 'succeeded');

    await emulator.setFaults({ failBatchElement: 1 });
    const submitted = await call(routes.submit.POST, { method: 'POST', path: '/x', params, body: { tokens } });
    expect(submitted.status).toBe(202);
    expect((await call(routes.submit.POST, { method: 'POST', path: '/x', params, body: { tokens } })).status).toBe(409);
    await waitFor(jobId, (d) => d.job.state === 'attention');
    await emulator.clearFaults();

    const narrowed = await call(routes.narrow.POST, {
      method: 'POST',
      path: '/x',
      params,
      body: { rows: tokens.map((token, index) => ({ index, line: index + 2, token })) },
    });
    expect(narrowed.status).toBe(200);
    expect(narrowed.json).toEqual({ alreadyPresent: 0, rejected: 0, resubmittedSeq: 1, resubmittedRows: 3 });
    const done = await waitFor(jobId, (d) => d.job.state === 'completed');
    expect(done.job.tokensCreated).toBe(4);
    // Each token's page names the job that issued it: its history route finds the job by the row's hash.
    const { sha256Base64Url } = await import('@/lib/hash');
    const historyRoute = (await import('../tokens/[hash]/history/route')) as never as { GET: Handler };
    for (const value of [values[0]!, values[3]!]) {
      const hash = await sha256Base64Url(value);
      const history = await call(historyRoute.GET, { path: `/api/s/default/tokens/${hash}/history`, params: { hash } });
      expect(history.json.issuedBy).toMatchObject({
        jobId,
        fileName: 'routes.csv',
        createdBy: { email: expect.any(String) },
      });
    }
    const scopedView = await call(historyRoute.GET, {
      path: '/x',
      role: 'scopedAdmin',
      params: { hash: await sha256Base64Url(values[0]!) },
    });
    expect(scopedView.json.issuedBy).toBeNull();
    expect((await call(routes.resume.POST, { method: 'POST', path: '/x', params: { jobId } })).status).toBe(200);

    const { entries } = await listAudit({ page: 1, pageSize: 50 } as never);
    const mine = entries.filter((entry) => entry.details.jobId === jobId);
    // Each step its own action, and every one names the job.
    expect(mine.map((entry) => `${entry.action}:${entry.outcome}`).sort()).toEqual(
      [
        'job.create:success',
        'job.dry_run:success',
        'job.submit:success',
        'job.submit:failure',
        'job.narrow:success',
        'job.resume:success',
        // The job's end, recorded once by the step that completed it (webhooks' job.finished).
        'job.finish:success',
      ].sort(),
    );
    expect(mine.find((entry) => entry.action === 'job.finish')).toMatchObject({ service: 'default' });
    expect(entries.filter((entry) => JSON.stringify(entry).includes(jobId))).toHaveLength(mine.length);
    const submission = mine.find((entry) => entry.action === 'job.submit' && entry.outcome === 'success')!;
    expect(submission).toMatchObject({
      count: 4,
      target: { batchRequestId: expect.any(String) },
      details: { jobId, chunk: 0 },
    });
    for (const value of values) expect(JSON.stringify(entries)).not.toContain(value);
  });

  it('narrows a failed dry run to every row already present and excludes them, each step audited under its own name without token values', async () => {
    const values = generateTokenValues(4);
    const tokens = values.map((accessToken, i) => ({
      grantType: 'PASSWORD',
      clientId,
      subject: `routes-dup-${i}`,
      scopes: [],
      accessToken,
    }));

    for (const i of [0, 2]) await authleteFor('default').createToken(tokens[i]! as never);
    const created = await call(routes.jobs.POST, { method: 'POST', path: '/api/s/[service]/jobs', body: plan(4) });
    const jobId = created.json.job.id as string;
    const params = { jobId, seq: '0' };
    await call(routes.dryRun.POST, { method: 'POST', path: '/x', params, body: { tokens } });
    await waitFor(jobId, (d) => d.chunks[0]!.dryRunState === 'failed');

    const rows = tokens.map((token, index) => ({ index, line: index + 2, token }));
    expect(
      (await call(routes.narrowDryRun.POST, { method: 'POST', path: '/x', role: 'support', params, body: { rows } }))
        .status,
    ).toBe(403);
    const narrowed = await call(routes.narrowDryRun.POST, { method: 'POST', path: '/x', params, body: { rows } });
    expect(narrowed.status).toBe(200);
    expect(narrowed.json).toMatchObject({ seq: 0, dryRuns: 2, maxDryRuns: 50, limitReached: false });
    expect(narrowed.json.badRows.map((row: { line: number; outcome: string }) => [row.line, row.outcome])).toEqual([
      [2, 'already_present'],
      [4, 'already_present'],
    ]);
    const excluded = await call(routes.exclude.POST, {
      method: 'POST',
      path: '/x',
      params,
      body: { remaining: { firstLine: 3, lastLine: 5 } },
    });
    expect(excluded.status).toBe(200);
    expect(excluded.json).toMatchObject({
      excludedRows: 2,
      chunk: {
        seq: 1,
        rowRanges: [
          [1, 2],
          [3, 4],
        ],
        firstLine: 3,
        lastLine: 5,
        dryRunState: 'none',
      },
    });

    const { entries } = await listAudit({ page: 1, pageSize: 50 } as never);
    const mine = entries.filter((entry) => entry.details.jobId === jobId);
    expect(mine.map((entry) => `${entry.action}:${entry.outcome}`).sort()).toEqual(
      ['job.create:success', 'job.dry_run:success', 'job.find_bad_rows:success', 'job.exclude_rows:success'].sort(),
    );
    const narrowEntry = mine.find((entry) => entry.action === 'job.find_bad_rows');
    expect(narrowEntry).toMatchObject({
      count: 4,
      details: { chunk: 0, dryRuns: 2, alreadyPresent: 2, rejected: 0, limitReached: false },
    });
    expect(mine.find((entry) => entry.action === 'job.exclude_rows')).toMatchObject({
      count: 2,
      details: { chunk: 0, remainderChunk: 1 },
    });
    // The denied narrowing by support is recorded as a denial, with the route.
    expect(
      entries.find(
        (entry) =>
          entry.action === 'auth.denied' &&
          entry.actor?.role === 'support' &&
          entry.details.route === 'POST /api/s/[service]/jobs/[jobId]/chunks/[seq]/narrow-dry-run',
      ),
    ).toBeDefined();
    for (const value of values) expect(JSON.stringify(entries)).not.toContain(value);
  });
});
