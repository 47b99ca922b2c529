/**
 * Offboarding against the emulator, run by the job workers: the preview and its digest, typed
 * confirmation, roles, and throttling (429) and server errors (5xx) met mid-way: the job resumes,
 * removes everything, and does no part twice; a part that keeps failing is reported and retried.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '@/lib/schemas/audit';
import type { AuthleteClient } from '@/server/authlete';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import { sessionCookiesFor, TEST_APP_URL, useTestEmulatorUpstream, type RouteHandler } from '@/server/testing/routes';
import * as offboardRoute from './route';
import * as jobRoute from './[jobId]/route';
import * as retryRoute from './[jobId]/retry/route';
import * as recentRoute from '../../../offboardings/route';
import * as listRoute from '../offboardings/route';

const WEB_BANKING = '26888344961664';
const IOS_APP = '1734526871';

let emulator: TestEmulator;
let authlete: AuthleteClient;
let cookies: Record<'viewer' | 'support' | 'admin', string>;
let listAudit: typeof import('@/server/audit').listAudit;

async function call(
  module: unknown,
  method: 'GET' | 'POST',
  params: Record<string, string>,
  { cookie, body }: { cookie?: string; body?: unknown } = {},
) {
  const response = await (module as Record<string, RouteHandler>)[method]!(
    new Request(`${TEST_APP_URL}/api/s/default/subjects/x/offboard`, {
      method,
      headers: {
        'sec-fetch-site': 'same-origin',
        'user-agent': 'vitest',
        ...(cookie ? { cookie } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve({ service: 'default', ...params }) },
  );
  return { status: response.status, json: await response.json() };
}

async function issue(subject: string, clientId: string) {
  await authlete.createToken({ grantType: 'AUTHORIZATION_CODE', clientId, subject, scopes: ['openid'] } as never);
}

async function finished(subject: string, jobId: string) {
  for (let i = 0; i < 300; i++) {
    const { json } = await call(jobRoute, 'GET', { subject, jobId }, { cookie: cookies.viewer });
    if (json.job.state === 'completed' || json.job.state === 'partial') return json.job;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('The offboarding job did not finish.');
}

async function steps(subject: string): Promise<AuditRecord[]> {
  const { entries } = await listAudit({ page: 1, pageSize: 100, subject, action: 'subject.offboard_step' } as never);
  return entries;
}

async function offboard(subject: string, cookie = cookies.support) {
  const preview = await call(offboardRoute, 'GET', { subject }, { cookie: cookies.viewer });
  expect(preview.status).toBe(200);
  const started = await call(
    offboardRoute,
    'POST',
    { subject },
    { cookie, body: { confirm: subject, reason: 'left the company', ticket: 'HR-9', digest: preview.json.digest } },
  );
  return { preview: preview.json, started };
}

beforeAll(async () => {
  emulator = await startTestEmulator();
  useTestEmulatorUpstream(emulator);
  authlete = (await import('@/server/authlete')).createAuthleteClient({
    baseUrl: emulator.url,
    apiVersion: 3,
    serviceId: emulator.serviceId,
    accessToken: emulator.serviceAccessToken,
    timeoutMs: 5_000,
  });
  ({ listAudit } = await import('@/server/audit'));
  cookies = await sessionCookiesFor(['viewer', 'support', 'admin'] as const);
  await (await import('@/server/jobs')).startJobWorkers();
}, 120_000);
afterAll(async () => {
  await (await import('@/server/jobs')).stopJobWorkers();
  await emulator?.close();
});

describe('offboarding a person', () => {
  it('previews tokens per client and consent records, then removes them all as a job', async () => {
    const subject = 'offboard-ann';
    await issue(subject, WEB_BANKING);
    await issue(subject, WEB_BANKING);
    await issue(subject, IOS_APP);
    const { preview, started } = await offboard(subject);
    expect(preview.clients).toHaveLength(2);
    expect(preview.clients).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ clientId: WEB_BANKING, tokens: 2, consent: true }),
        expect.objectContaining({ clientId: IOS_APP, tokens: 1, consent: true }),
      ]),
    );
    expect(started.status).toBe(202);
    const job = await finished(subject, started.json.job.id);
    expect(job.state).toBe('completed');
    expect(job.progress).toEqual({ done: 4, total: 4 });
    expect(job.result.steps.find((s: { clientId: string }) => s.clientId === WEB_BANKING).tokens).toMatchObject({
      state: 'done',
      count: 2,
    });
    expect((await authlete.listAuthorizedClients(subject, 0, 10)).clients).toEqual([]);
    expect((await authlete.getGrantedScopes(subject, IOS_APP)).latestGrantedScopes).toBeNull();
    expect(await steps(subject)).toHaveLength(4);
    // The subject view finds it again after a reload: the person's offboardings, newest first.
    const listed = await call(listRoute, 'GET', { subject }, { cookie: cookies.viewer });
    expect(listed.status).toBe(200);
    expect(listed.json.jobs.map((listedJob: { id: string }) => listedJob.id)).toEqual([job.id]);
    expect(listed.json.jobs[0]).toMatchObject({
      state: 'completed',
      result: { steps: expect.any(Array) },
      // The ticket is its own field: kept with the job and in the audit entry, not folded into the reason.
      payload: { reason: 'left the company', ticket: 'HR-9' },
    });
    // The Jobs page lists every person's offboardings, newest first.
    const recent = await call(recentRoute, 'GET', {}, { cookie: cookies.viewer });
    expect(recent.status).toBe(200);
    expect(recent.json.jobs[0]).toMatchObject({ id: job.id, payload: { subject } });
    const { entries } = await listAudit({ page: 1, pageSize: 5, subject, action: 'subject.offboard' } as never);
    expect(entries[0]).toMatchObject({ reason: 'left the company', details: { ticket: 'HR-9' } });
  });

  it('resumes after 429 and 5xx mid-way: nothing lost, nothing done twice', async () => {
    const subject = 'offboard-bea';
    await issue(subject, WEB_BANKING);
    await issue(subject, IOS_APP);
    // More failures than one call's own retries absorb: the step ends and the job runs it again.
    await emulator.setFaults({
      rateLimitRate: 1,
      retryAfterSeconds: 1,
      operations: ['client_authorization_delete_api'],
      remaining: 3,
    });
    const { started } = await offboard(subject);
    expect(started.status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await emulator.setFaults({
      errorRate: 1,
      errorStatus: 503,
      operations: ['client_granted_scopes_delete_api'],
      remaining: 3,
    });
    const job = await finished(subject, started.json.job.id);
    await emulator.clearFaults();
    expect(job.state).toBe('completed');
    expect((await authlete.listAuthorizedClients(subject, 0, 10)).clients).toEqual([]);
    const audited = await steps(subject);
    // One entry per part: 2 clients × (tokens, consent), each once, each a success.
    expect(audited).toHaveLength(4);
    expect(audited.every((entry) => entry.outcome === 'success')).toBe(true);
    const tokenCounts = audited.filter((entry) => entry.details?.part === 'tokens').map((entry) => entry.count);
    expect(tokenCounts.sort()).toEqual([1, 1]);
  }, 60_000);

  it('reports a part that keeps failing, and a retry runs only that part', async () => {
    const subject = 'offboard-cid';
    await issue(subject, IOS_APP);
    await emulator.setFaults({ errorRate: 1, errorStatus: 500, operations: ['client_granted_scopes_delete_api'] });
    const { started } = await offboard(subject);
    const job = await finished(subject, started.json.job.id);
    expect(job.state).toBe('partial');
    expect(job.result.steps[0]).toMatchObject({ tokens: { state: 'done', count: 1 }, consent: { state: 'failed' } });
    await emulator.clearFaults();
    const retried = await call(retryRoute, 'POST', { subject, jobId: job.id }, { cookie: cookies.support });
    expect(retried.status).toBe(202);
    const again = await finished(subject, job.id);
    expect(again.state).toBe('completed');
    const audited = await steps(subject);
    expect(audited.filter((entry) => entry.details?.part === 'tokens')).toHaveLength(1);
    expect(audited.filter((entry) => entry.details?.part === 'consent' && entry.outcome === 'success')).toHaveLength(1);
  }, 120_000);

  it('refuses a wrong typed confirmation (400) and a changed preview (409), removing nothing', async () => {
    const subject = 'offboard-dan';
    await issue(subject, IOS_APP);
    const preview = await call(offboardRoute, 'GET', { subject }, { cookie: cookies.viewer });
    const wrong = await call(
      offboardRoute,
      'POST',
      { subject },
      { cookie: cookies.support, body: { confirm: 'someone-else', reason: 'r', digest: preview.json.digest } },
    );
    expect(wrong.status).toBe(400);
    await issue(subject, WEB_BANKING);
    const changed = await call(
      offboardRoute,
      'POST',
      { subject },
      { cookie: cookies.support, body: { confirm: subject, reason: 'r', digest: preview.json.digest } },
    );
    expect(changed.status).toBe(409);
    expect((await authlete.listAuthorizedClients(subject, 0, 10)).clients).toHaveLength(2);
  });

  it('roles: viewer previews and reads, but may not start or retry; an unknown job is 404', async () => {
    const subject = 'offboard-eve';
    const preview = await call(offboardRoute, 'GET', { subject }, { cookie: cookies.viewer });
    expect(preview.json.clients).toEqual([]);
    const denied = await call(
      offboardRoute,
      'POST',
      { subject },
      { cookie: cookies.viewer, body: { confirm: subject, reason: 'r', digest: preview.json.digest } },
    );
    expect(denied.status).toBe(403);
    const jobId = crypto.randomUUID();
    expect((await call(retryRoute, 'POST', { subject, jobId }, { cookie: cookies.viewer })).status).toBe(403);
    expect((await call(jobRoute, 'GET', { subject, jobId }, { cookie: cookies.viewer })).status).toBe(404);
    expect((await call(offboardRoute, 'GET', { subject })).status).toBe(401);
    const listed = await call(listRoute, 'GET', { subject }, { cookie: cookies.viewer });
    expect(listed).toEqual({ status: 200, json: { jobs: [] } });
    expect((await call(listRoute, 'GET', { subject })).status).toBe(401);
  });
});
