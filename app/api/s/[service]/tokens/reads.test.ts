/**
 * Token reads against the emulator: lookup by pasted value (introspection, then a narrowed scan),
 * and no upstream call for a request once it has been answered or abandoned.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuditRecord } from '@/lib/schemas/audit';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import { sessionCookiesFor, TEST_APP_URL, useTestEmulatorUpstream, type RouteHandler } from '@/server/testing/routes';
import * as lookupRoute from './lookup/route';
import * as hashRoute from './[hash]/route';
import { authleteFor } from '@/server/services';
import { listAudit } from '@/server/audit';
import { closeDb } from '@/server/db';

const TIMEOUT_MS = 1_000;
const CLIENT_ID = '917364';

let emulator: TestEmulator;
let routes: { lookup: { POST: RouteHandler }; token: { GET: RouteHandler } };
let cookies: Record<'viewer', string>;
let upstream: import('@/server/authlete').AuthleteClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  useTestEmulatorUpstream(emulator, { timeoutMs: TIMEOUT_MS });
  routes = { lookup: lookupRoute as never, token: hashRoute as never };
  cookies = await sessionCookiesFor(['viewer']);
  upstream = authleteFor('default');
});
afterAll(async () => {
  await emulator?.close();
  await closeDb();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await emulator.clearFaults();
  await emulator.resetStats();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function send(
  handler: RouteHandler,
  method: string,
  path: string,
  { body, params = {}, signal }: { body?: unknown; params?: Record<string, string>; signal?: AbortSignal } = {},
) {
  const response = await handler(
    new Request(`${TEST_APP_URL}${path}`, {
      method,
      signal,
      headers: {
        cookie: cookies.viewer,
        'sec-fetch-site': 'same-origin',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve(params) },
  );
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

async function lastAudit(): Promise<AuditRecord> {
  const { entries } = await listAudit({ page: 1, pageSize: 1 } as never);
  return entries[0]!;
}

describe('POST /api/tokens/lookup (a pasted value)', () => {
  it('finds a live token with one introspection and one narrowed list call, and keeps only its hash', async () => {
    const subject = `pasted-${crypto.randomUUID().slice(0, 8)}`;
    const created = await upstream.createToken({
      grantType: 'PASSWORD',
      clientId: CLIENT_ID,
      subject,
      scopes: ['openid'],
    });
    await emulator.resetStats();
    const logged: string[] = [];
    for (const level of ['info', 'warn', 'error'] as const)
      vi.spyOn(console, level).mockImplementation((line: unknown) => void logged.push(String(line)));

    const { status, json } = await send(routes.lookup.POST, 'POST', '/api/tokens/lookup', {
      body: { token: created.accessToken },
    });
    expect(status).toBe(200);
    expect(json).toMatchObject({
      state: 'active',
      complete: true,
      token: { accessTokenHash: created.token.accessTokenHash, subject, clientId: CLIENT_ID },
    });
    expect(json.searched).toBe(`all 1 token of subject ${subject} and client ${CLIENT_ID} (1 page)`);
    expect((await emulator.stats()).operations).toEqual({ auth_introspection_api: 1, auth_token_get_list_api: 1 });

    const audit = await lastAudit();
    expect(audit).toMatchObject({
      action: 'token.lookup',
      outcome: 'success',
      target: { tokenHash: created.token.accessTokenHash, subject, clientId: CLIENT_ID },
    });
    expect(JSON.stringify(audit)).not.toContain(created.accessToken);
    expect(logged.join('\n')).not.toContain(created.accessToken);
  });

  it('answers 404 for an unknown value after a single upstream call, audited by hash', async () => {
    const value = `unknown-${crypto.randomUUID()}`;
    const { status, json } = await send(routes.lookup.POST, 'POST', '/api/tokens/lookup', { body: { token: value } });
    expect(status).toBe(404);
    expect(json.error.code).toBe('not_found');
    expect(json.error.message).not.toContain(value);
    expect((await emulator.stats()).total).toBe(1);
    const audit = await lastAudit();
    expect(audit).toMatchObject({ action: 'token.lookup', outcome: 'failure', errorCode: 'not_found' });
    expect(audit.target.tokenHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(audit)).not.toContain(value);
  });

  it('says an expired token was expired (Authlete removed it by introspecting it)', async () => {
    const created = await upstream.createToken({
      grantType: 'PASSWORD',
      clientId: CLIENT_ID,
      subject: 'lookup-expired',
      scopes: ['openid'],
    });
    await upstream.updateToken(created.token.accessTokenHash, { accessTokenExpiresAt: Date.now() - 60_000 });
    const { status, json } = await send(routes.lookup.POST, 'POST', '/api/tokens/lookup', {
      body: { token: created.accessToken },
    });
    expect(status).toBe(200);
    expect(json).toMatchObject({
      state: 'expired',
      complete: false,
      token: { subject: 'lookup-expired', accessTokenHash: created.token.accessTokenHash },
    });
    expect((await upstream.listTokens({ status: 'all', subject: 'lookup-expired' }, 0, 20)).totalCount).toBe(0);
  });

  it('refuses a value that is not a token without repeating it, and with no upstream call', async () => {
    const value = 'has spaces in it';
    const { status, json } = await send(routes.lookup.POST, 'POST', '/api/tokens/lookup', { body: { token: value } });
    expect(status).toBe(400);
    expect(JSON.stringify(json)).not.toContain(value);
    expect((await emulator.stats()).total).toBe(0);
  });
});

describe('no upstream call outlives its request', () => {
  it('stops calling Authlete once the person goes away (request aborted mid-scan)', async () => {
    await emulator.setFaults({ hangRate: 1 });
    const person = new AbortController();
    const answered = send(routes.token.GET, 'GET', `/api/tokens/${'F'.repeat(43)}?subject=someone`, {
      params: { hash: 'F'.repeat(43) },
      signal: person.signal,
    });
    await sleep(200);
    person.abort();
    expect((await answered).status).toBe(499);
    expect((await emulator.stats()).total).toBe(1);
    // Past the timeout and a retry's backoff: a call that kept going would have been retried by now.
    await sleep(TIMEOUT_MS + 1_500);
    expect((await emulator.stats()).total).toBe(1);
  });

  it('makes no upstream call after answering an error from the middle of a scan', async () => {
    const clientId = '44217';
    const rows = Array.from({ length: 400 }, () => ({
      grantType: 'CLIENT_CREDENTIALS' as const,
      clientId,
      scopes: [],
    }));
    const { requestId } = await upstream.createBatch(rows, false);
    for (let i = 0; (await upstream.getBatchStatus(requestId)).state === 'running' && i < 200; i++) await sleep(25);
    await emulator.resetStats();
    // Every call is slow; once the first page has answered, the next call to be decided fails (and
    // keeps failing for its retries).
    await emulator.setFaults({ latencyMs: 300 });
    const answered = send(routes.token.GET, 'GET', `/api/tokens/${'G'.repeat(43)}?clientId=${clientId}`, {
      params: { hash: 'G'.repeat(43) },
    });
    await sleep(450);
    await emulator.setFaults({ latencyMs: 300, errorRate: 1, errorStatus: 503 });
    const { status } = await answered;
    expect(status).toBe(502);
    await emulator.clearFaults();
    const atAnswer = (await emulator.stats()).operations.auth_token_get_list_api ?? 0;
    // At most the first page and five calls in flight, each with its two retries.
    expect(atAnswer).toBeLessThanOrEqual(1 + 5 * 3);
    await sleep(1_500);
    expect((await emulator.stats()).operations.auth_token_get_list_api).toBe(atAnswer);
  });
});
