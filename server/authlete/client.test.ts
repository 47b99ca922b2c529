import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sha256Base64Url } from '@/lib/hash';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import { createAuthleteClient, type AuthleteClientOptions } from './client';
import { parseRetryAfter } from './transport';
import { AuthleteError } from './errors';

let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());
afterEach(async () => {
  await emulator.clearFaults();
  await emulator.resetStats();
});

function client(overrides: Partial<AuthleteClientOptions> = {}) {
  return createAuthleteClient({
    baseUrl: emulator.url,
    apiVersion: 3,
    serviceId: emulator.serviceId,
    accessToken: emulator.serviceAccessToken,
    timeoutMs: 2_000,
    retry: { minDelayMs: 10, maxDelayMs: 50 },
    ...overrides,
  });
}

async function failure(promise: Promise<unknown>): Promise<AuthleteError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthleteError);
  return error as AuthleteError;
}

describe('token list', () => {
  it('fans a 50-token page out in ≤20-token calls and merges them in order', async () => {
    const authlete = client();
    const wide = await authlete.listTokens({ status: 'all' }, 10, 60);
    expect(wide.tokens).toHaveLength(50);
    expect(wide.totalCount).toBe(120);
    expect((await emulator.stats()).operations.auth_token_get_list_api).toBe(3);
    // The same range fetched as 20-token pages gives the same tokens in the same order.
    const pieces = [
      await authlete.listTokens({ status: 'all' }, 10, 30),
      await authlete.listTokens({ status: 'all' }, 30, 50),
      await authlete.listTokens({ status: 'all' }, 50, 60),
    ];
    expect(wide.tokens.map((t) => t.accessTokenHash)).toEqual(
      pieces.flatMap((p) => p.tokens.map((t) => t.accessTokenHash)),
    );
  });

  it('filters by subject, client and status', async () => {
    const authlete = client();
    const [sample] = (await authlete.listTokens({ status: 'all' }, 0, 1)).tokens;
    const bySubject = await authlete.listTokens(
      { status: 'all', subject: sample!.subject, clientId: sample!.clientId },
      0,
      100,
    );
    expect(bySubject.tokens.length).toBeGreaterThan(0);
    expect(bySubject.tokens.every((t) => t.subject === sample!.subject && t.clientId === sample!.clientId)).toBe(true);
    const valid = await authlete.listTokens({ status: 'valid' }, 0, 100);
    const expired = await authlete.listTokens({ status: 'expired' }, 0, 100);
    expect(valid.totalCount + expired.totalCount).toBe(120);
    const now = Date.now();
    expect(expired.tokens.every((t) => t.accessTokenExpiresAt !== 0 && t.accessTokenExpiresAt <= now)).toBe(true);
  });
});

describe('token lifecycle against the emulator', () => {
  it('creates, finds, updates, revokes and deletes, keeping a client id above 2^53 exact', async () => {
    const authlete = client();
    const created = await authlete.createToken({
      grantType: 'CLIENT_CREDENTIALS',
      clientId: '12345678901234567',
      scopes: ['admin.audit'],
      properties: [{ key: 'ticket', value: 'T-1', hidden: false }],
    });
    expect(created.token.clientId).toBe('12345678901234567');
    expect(created.token.accessTokenHash).toBe(await sha256Base64Url(created.accessToken));

    const { token: found } = await authlete.findToken(created.token.accessTokenHash, { clientId: '12345678901234567' });
    expect(found).toMatchObject({
      clientId: '12345678901234567',
      scopes: ['admin.audit'],
      grantType: 'CLIENT_CREDENTIALS',
    });

    const persistent = await authlete.updateToken(created.token.accessTokenHash, {
      accessTokenPersistent: true,
      properties: [],
    });
    expect(persistent.accessTokenExpiresAt).toBe(0);
    expect(
      (await authlete.findToken(created.token.accessTokenHash, { clientId: '12345678901234567' })).token
        .accessTokenExpiresAt,
    ).toBe(0);

    expect(await authlete.revokeToken(created.token.accessTokenHash)).toBe(1);
    // Revoked tokens are gone: a second revoke names the token as unknown.
    expect((await failure(authlete.revokeToken(created.token.accessTokenHash))).code).toBe('not_found');

    const second = await authlete.createToken({
      grantType: 'PASSWORD',
      clientId: '917364',
      subject: 'delete-me',
      scopes: ['openid'],
    });
    await authlete.deleteToken(second.token.accessTokenHash);
    expect((await failure(authlete.findToken(second.token.accessTokenHash, { subject: 'delete-me' }))).code).toBe(
      'not_found',
    );
  });

  it('revokes all of a subject’s tokens, optionally for one client, and returns the count', async () => {
    const authlete = client();
    for (const clientId of ['917364', '917364', '1734526871']) {
      await authlete.createToken({ grantType: 'PASSWORD', clientId, subject: 'leaver', scopes: ['openid'] });
    }
    expect(await authlete.revokeSubjectTokens('leaver', '917364')).toBe(2);
    expect(await authlete.revokeSubjectTokens('leaver')).toBe(1);
    expect((await failure(authlete.revokeSubjectTokens(' '))).code).toBe('invalid_identifier');
  });

  it('maps Authlete refusals: unsupported scope, unknown token on update', async () => {
    const authlete = client();
    const refused = await failure(
      authlete.createToken({ grantType: 'PASSWORD', clientId: '917364', subject: 'x', scopes: ['no.such.scope'] }),
    );
    expect(refused).toMatchObject({ code: 'upstream_rejected', status: 400 });
    expect(refused.resultCode).toMatch(/^A\d{6}$/);
    expect(refused.message).toContain('no.such.scope');

    const missing = await failure(authlete.updateToken('A'.repeat(43), { scopes: ['openid'] }));
    expect(missing.code).toBe('not_found');
  });

  it('runs a batch and a dry run, and reports status', async () => {
    const authlete = client();
    const rows = [
      { grantType: 'PASSWORD' as const, clientId: '917364', subject: 'batch-1', scopes: ['openid'] },
      { grantType: 'CLIENT_CREDENTIALS' as const, clientId: '44217', scopes: [] },
    ];
    const dry = await authlete.createBatch(rows, true);
    const real = await authlete.createBatch(rows, false);
    for (const { requestId } of [dry, real]) {
      let status = await authlete.getBatchStatus(requestId);
      for (let i = 0; status.state === 'running' && i < 100; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        status = await authlete.getBatchStatus(requestId);
      }
      expect(status).toMatchObject({ requestId, state: 'succeeded' });
    }
    expect((await authlete.listTokens({ status: 'all', subject: 'batch-1' }, 0, 20)).totalCount).toBe(1);
  });

  it('lists clients with exact 64-bit ids and the supported scopes', async () => {
    const authlete = client();
    const clients = await authlete.listClients();
    expect(clients).toContainEqual({
      clientId: '12345678901234567',
      clientIdAlias: 'audit-exporter',
      clientName: 'Audit Exporter',
    });
    const scopes = await authlete.listSupportedScopes();
    expect(scopes.map((s) => s.name)).toContain('payments.write');
  });
});

describe('find by hash', () => {
  /** 65 client-credentials tokens of one client: more than the small caps below. */
  async function crowdedClient(authlete: ReturnType<typeof client>): Promise<string> {
    const clientId = '44217';
    const { totalCount } = await authlete.listTokens({ status: 'all', clientId }, 0, 1);
    if (totalCount >= 65) return clientId;
    const rows = Array.from({ length: 65 - totalCount }, () => ({
      grantType: 'CLIENT_CREDENTIALS' as const,
      clientId,
      scopes: [],
    }));
    const { requestId } = await authlete.createBatch(rows, false);
    for (let i = 0; (await authlete.getBatchStatus(requestId)).state === 'running' && i < 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return clientId;
  }

  it('refuses a scan over the whole service without calling Authlete', async () => {
    const error = await failure(client().findToken('B'.repeat(43), {}));
    expect(error.code).toBe('narrowing_required');
    expect(error.message).toMatch(/subject or client.*pasting its value/);
    expect((await emulator.stats()).total).toBe(0);
  });

  it('stops at the cap, saying what it searched', async () => {
    const authlete = client({ findScanLimit: 40 });
    const clientId = await crowdedClient(authlete);
    await emulator.resetStats();
    const error = await failure(authlete.findToken('B'.repeat(43), { clientId }));
    expect(error.code).toBe('search_limit_reached');
    expect(error.message).toMatch(
      new RegExp(`oldest 20 and newest 40 of \\d+ tokens of client ${clientId} \\(3 pages\\)`),
    );
    // The first page (for the total), then the newest 40 in two calls of 20.
    expect((await emulator.stats()).operations.auth_token_get_list_api).toBe(3);
  });

  it('finds a newly issued token beyond the cap, since the scan starts from the newest end', async () => {
    const authlete = client({ findScanLimit: 40 });
    const clientId = await crowdedClient(authlete);
    const created = await authlete.createToken({ grantType: 'CLIENT_CREDENTIALS', clientId, scopes: [] });
    const { token, searched } = await authlete.findToken(created.token.accessTokenHash, { clientId });
    expect(token.accessTokenHash).toBe(created.token.accessTokenHash);
    expect(searched).toMatchObject({ clientId, limitReached: true });
  });

  it('answers not_found when the whole (narrowed) list was scanned, saying what was searched', async () => {
    const error = await failure(client().findToken('C'.repeat(43), { subject: 'nobody-has-this-subject' }));
    expect(error.code).toBe('not_found');
    expect(error.message).toContain('all 0 tokens of subject nobody-has-this-subject (1 page)');
  });

  it('makes no upstream call after the first failure of a scan (in-flight calls are aborted)', async () => {
    const authlete = client({ findScanLimit: 2_000, retry: { retries: 0 } });
    const clientId = await crowdedClient(authlete);
    for (let i = 0; i < 3; i++)
      await authlete.createBatch(
        Array.from({ length: 100 }, () => ({ grantType: 'CLIENT_CREDENTIALS' as const, clientId, scopes: [] })),
        false,
      );
    await new Promise((resolve) => setTimeout(resolve, 500));
    await emulator.resetStats();
    // Every call is slow; once the first page has answered, the next call to be decided fails.
    await emulator.setFaults({ latencyMs: 400 });
    const scan = failure(authlete.findToken('D'.repeat(43), { clientId }));
    await new Promise((resolve) => setTimeout(resolve, 600));
    await emulator.setFaults({ latencyMs: 400, errorRate: 1, errorStatus: 503, remaining: 1 });
    expect((await scan).code).toBe('upstream_error');
    const atAnswer = (await emulator.stats()).operations.auth_token_get_list_api ?? 0;
    // The first page and one round of five: the failure stopped the other seventeen pages.
    expect(atAnswer).toBeLessThanOrEqual(6);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await emulator.stats()).operations.auth_token_get_list_api).toBe(atAnswer);
  });

  it('makes no upstream call once the caller aborts, not even a retry of a call that hangs', async () => {
    const authlete = client({ timeoutMs: 1_000 });
    await emulator.setFaults({ hangRate: 1 });
    const caller = new AbortController();
    const scan = failure(authlete.findToken('E'.repeat(43), { subject: 'anyone' }, caller.signal));
    await new Promise((resolve) => setTimeout(resolve, 200));
    caller.abort();
    expect((await scan).code).toBe('aborted');
    expect((await emulator.stats()).total).toBe(1);
    // Past the timeout and a retry's backoff: without the abort the client would have retried.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect((await emulator.stats()).total).toBe(1);
  });
});

describe('lookup by value (introspection)', () => {
  it('finds a live token with one introspection and one narrowed list call', async () => {
    const authlete = client();
    const created = await authlete.createToken({
      grantType: 'PASSWORD',
      clientId: '917364',
      subject: 'pasted',
      scopes: ['openid'],
    });
    await emulator.resetStats();
    const found = await authlete.lookupTokenByValue(created.accessToken);
    expect(found).toMatchObject({
      hash: created.token.accessTokenHash,
      state: 'active',
      complete: true,
      token: { subject: 'pasted', clientId: '917364', scopes: ['openid'] },
    });
    expect(found.token.createdAt).toBeGreaterThan(0);
    expect(found.searched).toContain('subject pasted and client 917364');
    expect((await emulator.stats()).operations).toEqual({ auth_introspection_api: 1, auth_token_get_list_api: 1 });
  });

  it('answers not_found for an unknown value after one call', async () => {
    const error = await failure(client().lookupTokenByValue('never-issued-value'));
    expect(error.code).toBe('not_found');
    expect((await emulator.stats()).total).toBe(1);
  });

  it('reports an expired token as expired (Authlete deletes it by introspecting it)', async () => {
    const authlete = client();
    const created = await authlete.createToken({
      grantType: 'PASSWORD',
      clientId: '917364',
      subject: 'expiring',
      scopes: ['openid'],
    });
    await authlete.updateToken(created.token.accessTokenHash, { accessTokenExpiresAt: Date.now() - 60_000 });
    const found = await authlete.lookupTokenByValue(created.accessToken);
    expect(found).toMatchObject({
      state: 'expired',
      complete: false,
      token: { subject: 'expiring', accessTokenHash: created.token.accessTokenHash },
    });
    expect((await failure(authlete.lookupTokenByValue(created.accessToken))).code).toBe('not_found');
  });
});

describe('faults', () => {
  it('honours Retry-After on a 429 for a list, then succeeds', async () => {
    await emulator.setFaults({
      rateLimitRate: 1,
      retryAfterSeconds: 1,
      remaining: 1,
      operations: ['auth_token_get_list_api'],
    });
    const started = performance.now();
    const page = await client().listTokens({ status: 'all' }, 0, 5);
    expect(page.tokens).toHaveLength(5);
    // The retry waited at least the second Authlete asked for.
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_000);
    expect((await emulator.stats()).operations.auth_token_get_list_api).toBe(2);
  });

  it('hands a 429 back when Retry-After exceeds the cap instead of holding the request', async () => {
    await emulator.setFaults({ rateLimitRate: 1, retryAfterSeconds: 60, operations: ['auth_token_get_list_api'] });
    const error = await failure(client().listTokens({ status: 'all' }, 0, 5));
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 60 });
    expect((await emulator.stats()).operations.auth_token_get_list_api).toBe(1);
  });

  it('never retries a create on 429: the emulator sees exactly one create', async () => {
    await emulator.setFaults({ rateLimitRate: 1, retryAfterSeconds: 1, operations: ['auth_token_create_api'] });
    const error = await failure(
      client().createToken({ grantType: 'PASSWORD', clientId: '917364', subject: 'once', scopes: [] }),
    );
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 1, status: 429 });
    expect((await emulator.stats()).operations.auth_token_create_api).toBe(1);
  });

  it('retries a read after a 5xx but not a revoke', async () => {
    await emulator.setFaults({ errorRate: 1, errorStatus: 503, remaining: 1, operations: ['service_get_api'] });
    expect((await client().listSupportedScopes()).length).toBeGreaterThan(0);
    expect((await emulator.stats()).operations.service_get_api).toBe(2);

    await emulator.setFaults({ errorRate: 1, errorStatus: 500, operations: ['auth_token_revoke_api'] });
    const error = await failure(client().revokeSubjectTokens('someone'));
    expect(error).toMatchObject({ code: 'upstream_error', status: 500, resultCode: 'A001101' });
    expect((await emulator.stats()).operations.auth_token_revoke_api).toBe(1);
  });

  it('times out a hanging read, retries it, and times out a create exactly once', async () => {
    await emulator.setFaults({ hangRate: 1, remaining: 1, operations: ['client_get_list_api'] });
    expect((await client({ timeoutMs: 300 }).listClients()).length).toBeGreaterThan(0);
    expect((await emulator.stats()).operations.client_get_list_api).toBe(2);

    await emulator.setFaults({ hangRate: 1, operations: ['auth_token_create_api'] });
    const error = await failure(
      client({ timeoutMs: 300 }).createToken({
        grantType: 'PASSWORD',
        clientId: '917364',
        subject: 'slow',
        scopes: [],
      }),
    );
    expect(error.code).toBe('timeout');
    expect((await emulator.stats()).operations.auth_token_create_api).toBe(1);
  });

  it('reports refused service credentials as upstream_unauthorized, never retried', async () => {
    const error = await failure(client({ accessToken: 'wrong-token-wrong-token' }).listTokens({ status: 'all' }, 0, 5));
    expect(error).toMatchObject({ code: 'upstream_unauthorized', status: 401, resultCode: 'A001204' });
    expect((await emulator.stats()).operations.auth_token_get_list_api).toBe(1);
  });

  it('refuses a path identifier before sending anything', async () => {
    const error = await failure(client().deleteToken('../../service/get'));
    expect(error.code).toBe('invalid_identifier');
    expect((await emulator.stats()).total).toBe(0);
  });
});

describe('answers the emulator cannot produce', () => {
  let server: Server;
  let base: string;
  let answer: (res: import('node:http').ServerResponse) => void;

  beforeAll(async () => {
    server = createServer((_req, res) => answer(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const local = () =>
    createAuthleteClient({
      baseUrl: base,
      apiVersion: 3,
      serviceId: '1',
      accessToken: 'x'.repeat(16),
      timeoutMs: 1_000,
      retry: { retries: 0 },
    });

  it('refuses to follow a redirect (the bearer must never leave the pinned host)', async () => {
    answer = (res) => res.writeHead(302, { location: 'http://127.0.0.2:1/steal' }).end();
    expect((await failure(local().listSupportedScopes())).code).toBe('network');
  });

  it('rejects a 200 that is not JSON, or JSON of the wrong shape', async () => {
    answer = (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
    expect((await failure(local().listSupportedScopes())).code).toBe('bad_upstream_response');
    answer = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"totalCount":"many"}');
    expect((await failure(local().listTokens({ status: 'all' }, 0, 5))).code).toBe('bad_upstream_response');
  });

  it('sends only its own headers: the service bearer, Accept and (for bodies) Content-Type', async () => {
    let seen: import('node:http').IncomingHttpHeaders = {};
    server.once('request', (req) => {
      seen = req.headers;
    });
    answer = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"count":0}');
    await local().revokeSubjectTokens('john');
    expect(seen.authorization).toBe(`Bearer ${'x'.repeat(16)}`);
    expect(seen['content-type']).toBe('application/json');
    expect(seen.accept).toBe('application/json');
    // Nothing of a browser request could be here: the client has no way to take headers in.
    expect(Object.keys(seen).filter((name) => /cookie|forwarded|x-|origin|referer/.test(name))).toEqual([]);
  });

  it('speaks Authlete 2.x to a 2.x target: HTTP Basic with the key and secret, paths without a service id', async () => {
    let seen: { url?: string; authorization?: string } = {};
    server.once('request', (req) => {
      seen = { url: req.url, authorization: req.headers.authorization };
    });
    answer = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"count":0}');
    const legacy = createAuthleteClient({
      baseUrl: `${base}/authlete`,
      apiVersion: 2,
      apiKey: '5593494639',
      apiSecret: 'secret:with:colons',
      timeoutMs: 1_000,
      retry: { retries: 0 },
    });
    await legacy.revokeSubjectTokens('john');
    expect(seen.url).toBe('/authlete/api/auth/token/revoke');
    expect(seen.authorization).toBe(`Basic ${Buffer.from('5593494639:secret:with:colons').toString('base64')}`);
  });

  it('reports a refused connection as network', async () => {
    const closed = createAuthleteClient({
      baseUrl: 'http://127.0.0.1:1',
      apiVersion: 3,
      serviceId: '1',
      accessToken: 'x'.repeat(16),
      timeoutMs: 1_000,
      retry: { retries: 0 },
    });
    expect((await failure(closed.listSupportedScopes())).code).toBe('network');
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('7')).toBe(7);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 5_000)).toBe(5);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
