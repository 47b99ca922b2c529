import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sha256Base64Url } from '@/lib/hash';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import { createAuthleteClient, parseRetryAfter, type AuthleteClientOptions } from './client';
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
    serviceId: emulator.serviceId,
    serviceAccessToken: emulator.serviceAccessToken,
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
    expect(wide.tokens.map((t) => t.accessTokenHash)).toEqual(pieces.flatMap((p) => p.tokens.map((t) => t.accessTokenHash)));
  });

  it('filters by subject, client and status', async () => {
    const authlete = client();
    const [sample] = (await authlete.listTokens({ status: 'all' }, 0, 1)).tokens;
    const bySubject = await authlete.listTokens({ status: 'all', subject: sample!.subject, clientId: sample!.clientId }, 0, 100);
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

    const found = await authlete.findToken(created.token.accessTokenHash, { clientId: '12345678901234567' });
    expect(found).toMatchObject({ clientId: '12345678901234567', scopes: ['admin.audit'], grantType: 'CLIENT_CREDENTIALS' });

    const persistent = await authlete.updateToken(created.token.accessTokenHash, { accessTokenPersistent: true, properties: [] });
    expect(persistent.accessTokenExpiresAt).toBe(0);
    expect((await authlete.findToken(created.token.accessTokenHash)).accessTokenExpiresAt).toBe(0);

    expect(await authlete.revokeToken(created.token.accessTokenHash)).toBe(1);
    // Revoked tokens are gone: a second revoke names the token as unknown.
    expect((await failure(authlete.revokeToken(created.token.accessTokenHash))).code).toBe('not_found');

    const second = await authlete.createToken({ grantType: 'PASSWORD', clientId: '917364', subject: 'delete-me', scopes: ['openid'] });
    await authlete.deleteToken(second.token.accessTokenHash);
    expect((await failure(authlete.findToken(second.token.accessTokenHash, { subject: 'delete-me' }))).code).toBe('not_found');
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
    expect(clients).toContainEqual({ clientId: '12345678901234567', clientIdAlias: 'audit-exporter', clientName: 'Audit Exporter' });
    const scopes = await authlete.listSupportedScopes();
    expect(scopes.map((s) => s.name)).toContain('payments.write');
  });
});

describe('find by hash', () => {
  it('stops at the cap with a message asking to narrow the search', async () => {
    const authlete = client({ findScanLimit: 40 });
    const error = await failure(authlete.findToken('B'.repeat(43)));
    expect(error.code).toBe('search_limit_reached');
    expect(error.message).toMatch(/oldest 20 and newest 40 of \d+ tokens.*narrow the search by subject or client/);
    // The first page (for the total), then the newest 40 in two calls of 20.
    expect((await emulator.stats()).operations.auth_token_get_list_api).toBe(3);
  });

  it('finds a newly issued token beyond the cap, since the scan starts from the newest end', async () => {
    const authlete = client({ findScanLimit: 40 });
    const created = await authlete.createToken({ grantType: 'PASSWORD', clientId: '917364', subject: 'newest', scopes: ['openid'] });
    const found = await authlete.findToken(created.token.accessTokenHash);
    expect(found.accessTokenHash).toBe(created.token.accessTokenHash);
  });

  it('answers not_found when the whole (narrowed) list was scanned', async () => {
    const error = await failure(client().findToken('C'.repeat(43), { subject: 'nobody-has-this-subject' }));
    expect(error.code).toBe('not_found');
  });
});

describe('faults', () => {
  it('honours Retry-After on a 429 for a list, then succeeds', async () => {
    await emulator.setFaults({ rateLimitRate: 1, retryAfterSeconds: 1, remaining: 1, operations: ['auth_token_get_list_api'] });
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
    const error = await failure(client().createToken({ grantType: 'PASSWORD', clientId: '917364', subject: 'once', scopes: [] }));
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
      client({ timeoutMs: 300 }).createToken({ grantType: 'PASSWORD', clientId: '917364', subject: 'slow', scopes: [] }),
    );
    expect(error.code).toBe('timeout');
    expect((await emulator.stats()).operations.auth_token_create_api).toBe(1);
  });

  it('reports refused service credentials as upstream_unauthorized, never retried', async () => {
    const error = await failure(client({ serviceAccessToken: 'wrong-token-wrong-token' }).listTokens({ status: 'all' }, 0, 5));
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
    createAuthleteClient({ baseUrl: base, serviceId: '1', serviceAccessToken: 'x'.repeat(16), timeoutMs: 1_000, retry: { retries: 0 } });

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

  it('reports a refused connection as network', async () => {
    const closed = createAuthleteClient({ baseUrl: 'http://127.0.0.1:1', serviceId: '1', serviceAccessToken: 'x'.repeat(16), timeoutMs: 1_000, retry: { retries: 0 } });
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
