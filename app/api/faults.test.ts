/**
 * A support session under upstream faults: the emulator adds latency and answers some calls with
 * 429 or 503. Listing, revoking one token, and revoking all of a user's tokens each
 * either work or end in a clear error (envelope code, a sentence, the request id, Retry-After on a
 * 429). Afterwards the audit log and the emulator agree: every attempt has exactly one record, a
 * success record for each change Authlete made and a failure record for each one it did not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '@/lib/schemas/audit';
import type { AuthleteClient } from '@/server/authlete';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import { sessionCookiesFor, TEST_APP_URL, useTestEmulatorUpstream, type RouteHandler } from '@/server/testing/routes';
import * as tokensRoute from './s/[service]/tokens/route';
import * as tokensHashRevokeRoute from './s/[service]/tokens/[hash]/revoke/route';
import * as revocationsRoute from './s/[service]/revocations/route';
import { authleteFor } from '@/server/services';
import { listAudit } from '@/server/audit';
import { closeDb } from '@/server/db';

const TIMEOUT_MS = 1_500;
const CLIENT_ID = '917364';

let emulator: TestEmulator;
let upstream: AuthleteClient;
let routes: { tokens: { GET: RouteHandler }; revoke: { POST: RouteHandler }; revocations: { POST: RouteHandler } };
let cookies: { support: string; admin: string };

beforeAll(async () => {
  emulator = await startTestEmulator();
  useTestEmulatorUpstream(emulator, { timeoutMs: TIMEOUT_MS });
  routes = {
    tokens: tokensRoute as never,
    revoke: tokensHashRevokeRoute as never,
    revocations: revocationsRoute as never,
  };
  cookies = await sessionCookiesFor(['support', 'admin']);
  upstream = authleteFor('default');
});
afterAll(async () => {
  await emulator?.close();
  await closeDb();
});

interface Outcome {
  status: number;
  body: Record<string, unknown> | undefined;
  requestId: string;
}

/** Every answer under faults is either a success or this: a clear, quotable error. */
const CLEAR_ERRORS: Record<string, number> = {
  rate_limited: 429,
  upstream_unavailable: 502,
  upstream_error: 502,
  upstream_timeout: 504,
};

async function call(
  handler: RouteHandler,
  role: 'support' | 'admin',
  method: string,
  path: string,
  body?: unknown,
  params: Record<string, string> = {},
): Promise<Outcome> {
  const response = await handler(
    new Request(`${TEST_APP_URL}${path}`, {
      method,
      headers: {
        cookie: cookies[role],
        'sec-fetch-site': 'same-origin',
        'user-agent': 'vitest',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve(params) },
  );
  const text = await response.text();
  const outcome = {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
    requestId: response.headers.get('x-request-id') ?? '',
  };
  if (response.status >= 400) {
    const error = (outcome.body as { error: { code: string; message: string; requestId: string } }).error;
    expect(CLEAR_ERRORS[error.code], `${method} ${path}: unexpected error ${JSON.stringify(error)}`).toBe(
      response.status,
    );
    expect(error.message.length).toBeGreaterThan(20);
    expect(error.requestId).toBe(outcome.requestId);
    if (response.status === 429) expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  }
  return outcome;
}

async function allAuditRecords(): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  for (let page = 1; ; page++) {
    const { entries, totalCount } = await listAudit({ page, pageSize: 100 } as never);
    records.push(...entries);
    if (records.length >= totalCount || entries.length === 0) return records;
  }
}

async function tokenCount(subject: string): Promise<number> {
  return (await upstream.listTokens({ subject, status: 'all' }, 0, 20)).totalCount;
}

describe('a support session while Authlete is slow, throttling and failing', () => {
  it('keeps working or says clearly what failed, and the audit log matches what Authlete did', async () => {
    const run = crypto.randomUUID().slice(0, 8);
    const oneEach = Array.from({ length: 12 }, (_, i) => `faults-${run}-one-${i}`);
    const allOf = Array.from({ length: 6 }, (_, i) => `faults-${run}-all-${i}`);
    const hashes = new Map<string, string>();
    for (const subject of oneEach) {
      const created = await upstream.createToken({
        grantType: 'PASSWORD',
        clientId: CLIENT_ID,
        subject,
        scopes: ['openid'],
      });
      hashes.set(subject, created.token.accessTokenHash);
    }
    for (const subject of allOf) {
      for (let i = 0; i < 2; i++)
        await upstream.createToken({ grantType: 'PASSWORD', clientId: CLIENT_ID, subject, scopes: ['openid'] });
    }

    // Slow, and about one call in three refused (429 with Retry-After, or 503).
    await emulator.setFaults({
      latencyMs: 40,
      rateLimitRate: 0.15,
      retryAfterSeconds: 1,
      errorRate: 0.2,
      errorStatus: 503,
    });
    const attempts: (Outcome & { count: number; check: () => Promise<void> })[] = [];

    for (const subject of oneEach.slice(0, 4)) {
      const listed = await call(routes.tokens.GET, 'support', 'GET', `/api/tokens?subject=${subject}&status=all`);
      if (listed.status === 200) expect((listed.body as { totalCount: number }).totalCount).toBe(1);
    }
    for (const subject of oneEach) {
      const hash = hashes.get(subject)!;
      const outcome = await call(
        routes.revoke.POST,
        'support',
        'POST',
        `/api/tokens/${hash}/revoke?subject=${subject}&clientId=${CLIENT_ID}`,
        { reason: 'fault drill' },
        { hash },
      );
      attempts.push({
        ...outcome,
        count: 1,
        check: async () => expect(await tokenCount(subject)).toBe(outcome.status === 200 ? 0 : 1),
      });
    }
    for (const subject of allOf) {
      const outcome = await call(routes.revocations.POST, 'support', 'POST', '/api/revocations', {
        subject,
        reason: 'fault drill',
      });
      if (outcome.status === 200) expect((outcome.body as { count: number }).count).toBe(2);
      attempts.push({
        ...outcome,
        count: 2,
        check: async () => expect(await tokenCount(subject)).toBe(outcome.status === 200 ? 0 : 2),
      });
    }

    // At least one of each happened, or the drill proved nothing.
    const statuses = attempts.map((attempt) => attempt.status);
    expect(statuses.some((status) => status < 300)).toBe(true);
    expect(statuses.some((status) => status >= 400)).toBe(true);
    await emulator.clearFaults();

    // The audit log: exactly one record per attempt, its outcome matching the answer and Authlete.
    const byRequest = new Map<string, AuditRecord[]>();
    for (const record of await allAuditRecords()) {
      if (record.requestId) byRequest.set(record.requestId, [...(byRequest.get(record.requestId) ?? []), record]);
    }
    for (const attempt of attempts) {
      const records = byRequest.get(attempt.requestId) ?? [];
      expect(records, `audit for request ${attempt.requestId}`).toHaveLength(1);
      const [record] = records;
      expect(record!.outcome).toBe(attempt.status < 300 ? 'success' : 'failure');
      if (attempt.status < 300) expect(record!.count).toBe(attempt.count);
      else expect(record!.errorCode).toBe((attempt.body as { error: { code: string } }).error.code);
      await attempt.check();
    }
  });

  it('a change that times out is recorded as such, and the person is told it may have happened', async () => {
    const subject = `faults-timeout-${crypto.randomUUID().slice(0, 8)}`;
    const { token } = await upstream.createToken({
      grantType: 'PASSWORD',
      clientId: CLIENT_ID,
      subject,
      scopes: ['openid'],
    });
    const hash = token.accessTokenHash;
    // Authlete answers after the app has given up waiting: whether the revoke happened is unknown, and
    // the answer and the audit record say exactly that (upstream_timeout), not "not done".
    // undici checks timeouts over a second every half second, so it gives up up to a second late.
    await emulator.setFaults({ latencyMs: TIMEOUT_MS + 2_000, operations: ['auth_token_revoke_api'] });
    const outcome = await call(
      routes.revoke.POST,
      'support',
      'POST',
      `/api/tokens/${hash}/revoke?subject=${subject}&clientId=${CLIENT_ID}`,
      {},
      { hash },
    );
    await emulator.clearFaults();
    expect(outcome.status).toBe(504);
    expect((outcome.body as { error: { message: string } }).error.message).toMatch(/may still have been applied/);
    const records = (await allAuditRecords()).filter((record) => record.requestId === outcome.requestId);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      action: 'token.revoke',
      outcome: 'failure',
      errorCode: 'upstream_timeout',
      target: { tokenHash: hash, subject, clientId: CLIENT_ID },
    });
  });
});
