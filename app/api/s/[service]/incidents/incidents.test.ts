/**
 * Revoke by query through the real routes, sessions, audit log, job workers and an emulator: each
 * query type (whole client, client + scope, grant type, created before/after, stale, a subject
 * list), the preview that the start must match, a 429 storm, a restart mid-job (nothing lost,
 * nothing twice, counted in the emulator afterwards), pause/resume/cancel, the report, and the
 * client kill switch.
 */
import pMap from 'p-map';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@/lib/roles';
import type { RevokeJob, RevokeQueryInput } from '@/lib/schemas/incident';
import type { AuthleteClient } from '@/server/authlete';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import {
  sessionCookiesFor,
  TEST_APP_URL,
  useTestEmulatorUpstream,
  type RouteHandler as Handler,
} from '@/server/testing/routes';

const WEB = '26888344961664';
const IOS = '1734526871';
const ANDROID = '1734526872';
const PARTNER = '5899375627190';
const TV = '3221225473';
const CALL_CENTER = '7306587198441';
const SERVICE = 'default';

let emulator: TestEmulator;
let cookies: Record<Role, string>;
let authlete: AuthleteClient;
let jobs: typeof import('@/server/jobs');
let listAudit: typeof import('@/server/audit').listAudit;
let routes: {
  list: { GET: Handler; POST: Handler };
  job: { GET: Handler };
  subjects: { POST: Handler };
  preview: { POST: Handler };
  start: { POST: Handler };
  control: { POST: Handler };
  report: { GET: Handler };
  lock: { DELETE: Handler };
  approve: { POST: Handler };
};

beforeAll(async () => {
  emulator = await startTestEmulator({ seed: { demo: true, tokens: 0 } });
  // Four-eyes on whole clients is off here but for its own test below, which turns it on.
  useTestEmulatorUpstream(emulator, { env: { APPROVAL_REVOKE_ALL_CLIENT: 'false' } });
  routes = {
    list: (await import('./revocations/route')) as never,
    job: (await import('./revocations/[jobId]/route')) as never,
    subjects: (await import('./revocations/[jobId]/subjects/route')) as never,
    preview: (await import('./revocations/[jobId]/preview/route')) as never,
    start: (await import('./revocations/[jobId]/start/route')) as never,
    control: (await import('./revocations/[jobId]/control/route')) as never,
    report: (await import('./revocations/[jobId]/report/route')) as never,
    lock: (await import('./clients/[clientId]/lock/route')) as never,
    approve: (await import('../approvals/[id]/[decision]/route')) as never,
  };
  cookies = await sessionCookiesFor(['viewer', 'support', 'lead', 'admin']);
  authlete = (await import('@/server/services')).authleteFor('default');
  listAudit = (await import('@/server/audit')).listAudit;
  jobs = await import('@/server/jobs');
  await jobs.startJobWorkers();
}, 300_000);
afterAll(async () => {
  await jobs?.stopJobWorkers();
  await emulator?.close();
});

async function call(
  handler: Handler,
  {
    method = 'GET',
    path = '/api/s/default/incidents/revocations',
    role = 'lead',
    params = {},
    body,
    headers = {},
  }: {
    method?: string;
    path?: string;
    role?: Role;
    params?: Record<string, string>;
    body?: unknown;
    headers?: Record<string, string>;
  },
) {
  const response = await handler(
    new Request(`${TEST_APP_URL}${path}`, {
      method,
      headers: {
        'sec-fetch-site': 'same-origin',
        'user-agent': 'vitest',
        cookie: cookies[role],
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve({ service: SERVICE, ...params }) },
  );
  const text = await response.text();
  let data: unknown = text;
  try {
    data = JSON.parse(text);
  } catch {
    // CSV
  }
  return { status: response.status, data: data as Record<string, unknown> & RevokeJob, text };
}

interface Spec {
  client: string;
  subject?: string;
  scopes?: string[];
  grantType?: 'AUTHORIZATION_CODE' | 'CLIENT_CREDENTIALS' | 'REFRESH_TOKEN';
}

async function createTokens(count: number, spec: (i: number) => Spec): Promise<void> {
  await pMap(
    Array.from({ length: count }, (_, i) => i),
    async (i) => {
      const s = spec(i);
      const grantType = s.grantType ?? 'AUTHORIZATION_CODE';
      await authlete.createToken({
        grantType,
        clientId: s.client,
        ...(grantType === 'CLIENT_CREDENTIALS' ? {} : { subject: s.subject ?? `user-${i}` }),
        scopes: s.scopes ?? ['openid'],
      } as never);
    },
    { concurrency: 8 },
  );
}

const countTokens = async (clientId: string, subject?: string) =>
  (await authlete.listTokens({ clientId, subject, status: 'all' }, 0, 1)).totalCount;

async function waitFor(jobId: string, states: RevokeJob['state'][], timeoutMs = 150_000): Promise<RevokeJob> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { data } = await call(routes.job.GET, { params: { jobId } });
    if (states.includes(data.state)) return data;
    if (Date.now() > until) throw new Error(`Job ${jobId} is ${data.state}, not ${states.join('/')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Drafts, previews and waits for the preview. */
async function previewed(query: RevokeQueryInput, subjects?: string[]): Promise<RevokeJob> {
  const created = await call(routes.list.POST, { method: 'POST', body: { query } });
  expect(created.status).toBe(201);
  const jobId = created.data.id;
  if (subjects) {
    for (let seq = 0; seq * 20 < subjects.length; seq++) {
      const chunk = await call(routes.subjects.POST, {
        method: 'POST',
        params: { jobId },
        body: { seq, subjects: subjects.slice(seq * 20, seq * 20 + 20) },
      });
      expect(chunk.status).toBe(200);
    }
  }
  expect((await call(routes.preview.POST, { method: 'POST', params: { jobId } })).status).toBe(202);
  return waitFor(jobId, ['previewed']);
}

function start(job: RevokeJob, overrides: Record<string, unknown> = {}) {
  return call(routes.start.POST, {
    method: 'POST',
    params: { jobId: job.id },
    body: {
      query: job.query,
      digest: job.preview!.digest,
      confirmation: String(job.preview!.items),
      reason: 'Incident INC-1: leaked credentials',
      ticket: 'INC-1',
      ...overrides,
    },
  });
}

// Generous: the jobs run on the real queue, on a machine that may be busy.
describe('revoke by query', { timeout: 180_000 }, () => {
  it('is for leads and admins only; support and viewers are refused (and audited)', async () => {
    for (const role of ['viewer', 'support'] as const) {
      expect((await call(routes.list.GET, { role })).status).toBe(403);
      const refused = await call(routes.list.POST, { method: 'POST', role, body: { query: { clientIds: [WEB] } } });
      expect(refused.status).toBe(403);
    }
    expect((await call(routes.list.GET, { role: 'admin' })).status).toBe(200);
    const denied = await listAudit({ action: 'auth.denied', page: 1, pageSize: 50 } as never);
    expect(denied.entries.some((r) => r.details.permission === 'incidents:revoke')).toBe(true);
  });

  it('refuses queries that make no sense', async () => {
    for (const query of [
      {},
      { subjectList: true, scopes: ['openid'] },
      { lockClients: true, scopes: ['openid'] },
      { clientIds: ['abc'] },
      { createdAfter: 10, createdBefore: 5, clientIds: [WEB] },
    ]) {
      const refused = await call(routes.list.POST, { method: 'POST', body: { query } });
      expect(refused.status, JSON.stringify(query)).toBe(400);
    }
  });

  it('a whole client: exact count from totalCount, one revoke-by-client call, the preview enforced', async () => {
    await createTokens(30, (i) => ({ client: WEB, subject: `web-${i % 7}` }));
    await createTokens(4, (i) => ({ client: IOS, subject: `other-${i}` }));
    const job = await previewed({ clientIds: [WEB] });
    expect(job.preview).toMatchObject({ method: 'total_count', items: 1, tokens: 30 });
    expect(job.preview!.clients).toEqual([{ clientId: WEB, tokens: 30, calls: 1 }]);

    // A changed query, a made-up digest, a wrong count: refused, nothing revoked.
    expect((await start(job, { query: { ...job.query, clientIds: [IOS] } })).status).toBe(409);
    expect((await start(job, { digest: 'a'.repeat(64) })).status).toBe(409);
    expect((await start(job, { confirmation: '29' })).status).toBe(400);
    expect(await countTokens(WEB)).toBe(30);

    await emulator.resetStats();
    const started = await start(job);
    expect(started.status).toBe(200);
    const done = await waitFor(job.id, ['completed']);
    expect(done.counts).toEqual({ done: 1, failed: 0, remaining: 0, revokedTokens: 30 });
    expect(await countTokens(WEB)).toBe(0);
    expect(await countTokens(IOS)).toBe(4);
    expect((await emulator.stats()).operations.auth_token_revoke_api).toBe(1);

    const audit = await listAudit({ page: 1, pageSize: 100 } as never);
    const mine = audit.entries.filter((r) => r.details.jobId === job.id).map((r) => r.action);
    expect(mine).toEqual(
      expect.arrayContaining(['incident.create', 'incident.preview', 'incident.start', 'incident.finish']),
    );
    // The job is in the history with who started it.
    const history = await call(routes.list.GET, {});
    expect(history.data.jobs).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: job.id, state: 'completed' })]),
    );
  });

  it('client + scope: a counted scan, then each matching token by hash', async () => {
    await createTokens(12, (i) => ({ client: IOS, subject: `ios-${i}`, scopes: ['openid', 'payments.read'] }));
    await createTokens(6, (i) => ({ client: IOS, subject: `ios-keep-${i}`, scopes: ['profile'] }));
    const before = await countTokens(IOS);
    const job = await previewed({ clientIds: [IOS], scopes: ['payments.read'] });
    expect(job.preview).toMatchObject({ method: 'scan', items: 12, tokens: 12 });
    expect(job.scanned).toBe(before);
    await start(job);
    const done = await waitFor(job.id, ['completed']);
    expect(done.counts).toMatchObject({ done: 12, failed: 0, remaining: 0, revokedTokens: 12 });
    expect(await countTokens(IOS)).toBe(before - 12);

    const report = await call(routes.report.GET, { params: { jobId: job.id } });
    const lines = report.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('subject_or_hash,kind,client_id,outcome,tokens_revoked,result_code');
    expect(lines).toHaveLength(13);
    expect(lines.slice(1).every((line) => line.includes(`,token,${IOS},revoked,1,`))).toBe(true);
  });

  it('grant type, created before/after and stale (never refreshed since): across every client', async () => {
    await createTokens(5, (i) => ({ client: ANDROID, subject: `old-${i}` }));
    await createTokens(3, () => ({ client: ANDROID, grantType: 'CLIENT_CREDENTIALS' }));
    await fetch(`${emulator.url}/__emulator/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: 600_000 }),
    });
    const clock = (await (await fetch(`${emulator.url}/__emulator/clock`)).json()) as { now: number };
    const boundary = clock.now - 60_000;
    await createTokens(4, (i) => ({ client: ANDROID, subject: `new-${i}` }));

    const byGrant = await previewed({ grantType: 'CLIENT_CREDENTIALS' });
    expect(byGrant.preview).toMatchObject({ method: 'scan', items: 3 });
    // Every client was scanned (no client named).
    expect(byGrant.preview!.clients.length).toBeGreaterThan(5);
    await start(byGrant);
    expect((await waitFor(byGrant.id, ['completed'])).counts.done).toBe(3);

    const stale = await previewed({ clientIds: [ANDROID], refreshedBefore: boundary });
    expect(stale.preview!.items).toBe(5);
    const recent = await previewed({ clientIds: [ANDROID], createdAfter: boundary });
    expect(recent.preview!.items).toBe(4);
    const old = await previewed({ clientIds: [ANDROID], createdBefore: boundary, grantType: 'AUTHORIZATION_CODE' });
    expect(old.preview!.items).toBe(5);
    await start(old);
    expect((await waitFor(old.id, ['completed'])).counts).toMatchObject({ done: 5, failed: 0 });
    expect(await countTokens(ANDROID)).toBe(4);
    // The stale preview of the same tokens still runs: each is already gone, which counts as done.
    await start(stale);
    expect((await waitFor(stale.id, ['completed'])).counts).toEqual({
      done: 5,
      failed: 0,
      remaining: 0,
      revokedTokens: 0,
    });
  });

  it('a subject list (chunks, one sent twice) with a client, through a 429 storm', async () => {
    const subjects = Array.from({ length: 60 }, (_, i) => `fraud-${i}`);
    await createTokens(120, (i) => ({ client: PARTNER, subject: subjects[i % 60] }));
    await createTokens(10, (i) => ({ client: PARTNER, subject: `innocent-${i}` }));
    const created = await call(routes.list.POST, {
      method: 'POST',
      body: { query: { subjectList: true, clientIds: [PARTNER] } },
    });
    const jobId = created.data.id;
    for (let seq = 0; seq < 3; seq++) {
      const body = { seq, subjects: subjects.slice(seq * 20, seq * 20 + 20) };
      expect((await call(routes.subjects.POST, { method: 'POST', params: { jobId }, body })).data.added).toBe(20);
    }
    // Sent again (a retried upload): nothing added.
    const again = await call(routes.subjects.POST, {
      method: 'POST',
      params: { jobId },
      body: { seq: 0, subjects: subjects.slice(0, 20) },
    });
    expect(again.data.added).toBe(0);
    await call(routes.preview.POST, { method: 'POST', params: { jobId } });
    const job = await waitFor(jobId, ['previewed']);
    expect(job.preview).toMatchObject({ method: 'subjects', items: 60, subjects: 60 });
    // Uploading after the preview is refused.
    expect(
      (await call(routes.subjects.POST, { method: 'POST', params: { jobId }, body: { seq: 9, subjects: ['late'] } }))
        .status,
    ).toBe(409);

    await emulator.setFaults({ rateLimitRate: 0.5, retryAfterSeconds: 1, operations: ['auth_token_revoke_api'] });
    await emulator.resetStats();
    try {
      await start(job);
      const done = await waitFor(jobId, ['completed']);
      expect(done.counts).toEqual({ done: 60, failed: 0, remaining: 0, revokedTokens: 120 });
      // Some calls were refused with 429 and made again.
      expect((await emulator.stats()).operations.auth_token_revoke_api).toBeGreaterThan(60);
    } finally {
      await emulator.clearFaults();
    }
    expect(await countTokens(PARTNER)).toBe(10);
  });

  it('survives a restart mid-job and pause/resume: nothing lost, nothing twice', async () => {
    const subjects = Array.from({ length: 80 }, (_, i) => `tv-${i}`);
    await createTokens(160, (i) => ({ client: TV, subject: subjects[i % 80] }));
    const job = await previewed({ subjectList: true, clientIds: [TV] }, subjects);
    await emulator.setFaults({ latencyMs: 150, operations: ['auth_token_revoke_api'] });
    await emulator.resetStats();
    try {
      await start(job);
      // Wait until it has done some, then stop the workers (as a server stopping) and start them again.
      for (;;) {
        const now = (await call(routes.job.GET, { params: { jobId: job.id } })).data;
        if (now.counts.done > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await jobs.stopJobWorkers();
      const stopped = (await call(routes.job.GET, { params: { jobId: job.id } })).data;
      expect(stopped.state).toBe('running');
      expect(stopped.counts.remaining).toBeGreaterThan(0);
      await jobs.startJobWorkers();

      const paused = await call(routes.control.POST, {
        method: 'POST',
        params: { jobId: job.id },
        body: { action: 'pause' },
      });
      expect(paused.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const held = (await call(routes.job.GET, { params: { jobId: job.id } })).data;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect((await call(routes.job.GET, { params: { jobId: job.id } })).data.counts.done).toBe(held.counts.done);
      expect(held.state).toBe('paused');
      await call(routes.control.POST, { method: 'POST', params: { jobId: job.id }, body: { action: 'resume' } });
      const done = await waitFor(job.id, ['completed']);
      expect(done.counts).toEqual({ done: 80, failed: 0, remaining: 0, revokedTokens: 160 });
      // One call per subject, none made twice.
      expect((await emulator.stats()).operations.auth_token_revoke_api).toBe(80);
    } finally {
      await emulator.clearFaults();
    }
    expect(await countTokens(TV)).toBe(0);
  });

  it('cancel stops a job; a cancelled job cannot be resumed', async () => {
    await createTokens(3, (i) => ({ client: WEB, subject: `c-${i}` }));
    const job = await previewed({ clientIds: [WEB] });
    const cancelled = await call(routes.control.POST, {
      method: 'POST',
      params: { jobId: job.id },
      body: { action: 'cancel' },
    });
    expect(cancelled.data.state).toBe('cancelled');
    expect((await start(job)).status).toBe(409);
    expect(
      (await call(routes.control.POST, { method: 'POST', params: { jobId: job.id }, body: { action: 'resume' } }))
        .status,
    ).toBe(409);
    expect(await countTokens(WEB)).toBe(3);
  });
});

describe('client kill switch', { timeout: 180_000 }, () => {
  it('locks the client and revokes all its tokens as one action; unlock lets it get tokens again', async () => {
    await createTokens(9, (i) => ({ client: CALL_CENTER, subject: `cc-${i}` }));
    const job = await previewed({ clientIds: [CALL_CENTER], lockClients: true });
    expect(job.preview).toMatchObject({ items: 1, tokens: 9 });
    await start(job);
    await waitFor(job.id, ['completed']);
    expect(await countTokens(CALL_CENTER)).toBe(0);
    const clients = await authlete.listClients();
    expect(clients.find((c) => c.clientId === CALL_CENTER)?.locked).toBe(true);
    await expect(createTokens(1, () => ({ client: CALL_CENTER }))).rejects.toThrow();

    const audit = await listAudit({ action: 'client.lock', page: 1, pageSize: 10 } as never);
    expect(audit.entries[0]).toMatchObject({ target: expect.objectContaining({ clientId: CALL_CENTER }) });

    expect(
      (
        await call(routes.lock.DELETE, {
          method: 'DELETE',
          role: 'support',
          params: { clientId: CALL_CENTER },
          body: { reason: 'fixed' },
        })
      ).status,
    ).toBe(403);
    const unlocked = await call(routes.lock.DELETE, {
      method: 'DELETE',
      params: { clientId: CALL_CENTER },
      body: { reason: 'Incident INC-1 closed' },
    });
    expect(unlocked.status).toBe(200);
    await createTokens(1, () => ({ client: CALL_CENTER }));
    expect(await countTokens(CALL_CENTER)).toBe(1);
  });

  it('with four-eyes on whole clients: refused until asked, another admin approves, then it runs as previewed, once', async () => {
    useTestEmulatorUpstream(emulator, { env: { APPROVAL_REVOKE_ALL_CLIENT: 'true' } });
    try {
      await createTokens(3, (i) => ({ client: PARTNER, subject: `fe-${i}` }));
      const before = await countTokens(PARTNER);
      const job = await previewed({ clientIds: [PARTNER] });
      const refused = await start(job);
      expect(refused.status).toBe(409);
      expect(refused.data).toMatchObject({ error: { code: 'approval_required' } });
      const asking = {
        'x-approval-justification': encodeURIComponent('Partner key leaked, see the SOC ticket'),
        'x-approval-ticket': 'INC-7',
      };
      const asked = await call(routes.start.POST, {
        method: 'POST',
        params: { jobId: job.id },
        headers: asking,
        body: {
          query: job.query,
          digest: job.preview!.digest,
          confirmation: String(job.preview!.items),
          reason: 'Incident INC-7',
          ticket: 'INC-7',
        },
      });
      expect(asked.status).toBe(202);
      const approval = (asked.data as unknown as { approval: { id: string; state: string } }).approval;
      expect(approval.state).toBe('pending');
      expect(await countTokens(PARTNER)).toBe(before);

      // A lead cannot decide; an admin (not the requester) approves.
      const approveAs = (role: Role) =>
        call(routes.approve.POST, {
          method: 'POST',
          role,
          path: `/api/s/default/approvals/${approval.id}/approve`,
          params: { id: approval.id, decision: 'approve' },
          body: {},
        });
      expect((await approveAs('lead')).status).toBe(403);
      expect((await approveAs('admin')).status).toBe(200);

      const started = await start(job);
      expect(started.status).toBe(200);
      await waitFor(job.id, ['completed']);
      expect(await countTokens(PARTNER)).toBe(0);
      const executed = await listAudit({ action: 'approval.execute', page: 1, pageSize: 10 } as never);
      expect(executed.entries[0]?.details).toMatchObject({ approvalId: approval.id });
      // The approval is used up and the job has run: starting it again is refused.
      expect((await start(job)).status).toBe(409);
    } finally {
      useTestEmulatorUpstream(emulator, { env: { APPROVAL_REVOKE_ALL_CLIENT: 'false' } });
    }
  });
});
