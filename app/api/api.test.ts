/**
 * Integration tests of every token/client/scope route against a real emulator, through the
 * real wrapper, real sessions and the real (in-memory) audit log.
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Role } from '@/lib/roles';
import type { AuditRecord } from '@/lib/schemas/audit';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import { sessionCookiesFor, TEST_APP_URL, useTestEmulatorUpstream, type RouteHandler } from '@/server/testing/routes';
import * as tokensRoute from './s/[service]/tokens/route';
import * as tokensHashRoute from './s/[service]/tokens/[hash]/route';
import * as tokensHashRevokeRoute from './s/[service]/tokens/[hash]/revoke/route';
import * as tokensHashRotateRoute from './s/[service]/tokens/[hash]/rotate/route';
import * as tokensLookupRoute from './s/[service]/tokens/lookup/route';
import * as revocationsRoute from './s/[service]/revocations/route';
import * as clientsRoute from './s/[service]/clients/route';
import * as scopesRoute from './s/[service]/scopes/route';
import * as exportsRoute from './s/[service]/exports/route';
import * as exportsTokensRoute from './s/[service]/exports/tokens/route';
import * as exportsAuditRoute from './s/[service]/exports/audit/route';
import * as exportsOneRoute from './s/[service]/exports/[exportId]/route';
import * as exportsDownloadRoute from './s/[service]/exports/[exportId]/download/route';
import { authleteFor } from '@/server/services';
import { listAudit } from '@/server/audit';
import { getDb } from '@/server/db';
import { listExports } from '@/server/jobs/export';
import { startJobWorkers, stopJobWorkers } from '@/server/jobs';

const TIMEOUT_MS = 400;

let emulator: TestEmulator;
let routes: {
  tokens: { GET: RouteHandler; POST: RouteHandler };
  token: { GET: RouteHandler; PATCH: RouteHandler; DELETE: RouteHandler };
  revoke: { POST: RouteHandler };
  rotate: { POST: RouteHandler };
  lookup: { POST: RouteHandler };
  revocations: { POST: RouteHandler };
  clients: { GET: RouteHandler };
  scopes: { GET: RouteHandler };
  exports: { GET: RouteHandler };
  exportTokens: { POST: RouteHandler };
  exportAudit: { POST: RouteHandler };
  exportOne: { GET: RouteHandler };
  exportDownload: { GET: RouteHandler };
};
let cookies: Record<Role, string>;
let upstream: import('@/server/authlete').AuthleteClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  useTestEmulatorUpstream(emulator, { timeoutMs: TIMEOUT_MS });
  routes = {
    tokens: tokensRoute as never,
    token: tokensHashRoute as never,
    revoke: tokensHashRevokeRoute as never,
    rotate: tokensHashRotateRoute as never,
    lookup: tokensLookupRoute as never,
    revocations: revocationsRoute as never,
    clients: clientsRoute as never,
    scopes: scopesRoute as never,
    exports: exportsRoute as never,
    exportTokens: exportsTokensRoute as never,
    exportAudit: exportsAuditRoute as never,
    exportOne: exportsOneRoute as never,
    exportDownload: exportsDownloadRoute as never,
  };
  cookies = await sessionCookiesFor(['viewer', 'support', 'lead', 'admin']);
  upstream = authleteFor('default');
  // Exports run on the job workers.
  await startJobWorkers();
  // An emulator, the job queue and three sessions take a while on a busy machine.
}, 180_000);
afterAll(async () => {
  await stopJobWorkers();
  await emulator?.close();
});
afterEach(async () => {
  // An export started by a test runs on in the background: let it end before the next test counts calls.
  await vi.waitFor(
    async () =>
      expect(
        (await listExports('default', null)).filter((row) => row.state === 'queued' || row.state === 'running'),
      ).toEqual([]),
    10_000,
  );
  vi.restoreAllMocks();
  await emulator.clearFaults();
  await emulator.resetStats();
});

interface Call {
  method?: string;
  path: string;
  role?: Role;
  params?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Calls a route handler the way Next does: a Request and a promise of the dynamic segments. */
async function call(handler: RouteHandler, { method = 'GET', path, role, params = {}, body, headers = {} }: Call) {
  const init: RequestInit = {
    method,
    headers: {
      'sec-fetch-site': 'same-origin',
      'user-agent': 'vitest',
      ...(role ? { cookie: cookies[role] } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  };
  const response = await handler(new Request(`${TEST_APP_URL}${path}`, init), { params: Promise.resolve(params) });
  const text = await response.text();
  // A downloaded file (CSV) is not JSON.
  const isJson = response.headers.get('content-type')?.includes('json');
  return { response, status: response.status, json: text && isJson ? JSON.parse(text) : undefined };
}

async function newToken(subject = `user-${crypto.randomUUID().slice(0, 8)}`) {
  const created = await upstream.createToken({
    grantType: 'PASSWORD',
    clientId: '917364',
    subject,
    scopes: ['openid', 'profile'],
  });
  return { hash: created.token.accessTokenHash, subject };
}

async function lastAudit(): Promise<AuditRecord> {
  const { entries } = await listAudit({ page: 1, pageSize: 10 } as never);
  return entries[0]!;
}

const hashOf = (n: number) => `${'A'.repeat(42)}${'ABCDEFGHIJ'[n % 10]}`;

// ── role × route matrix ──────────────────────────────────────────────────────

interface MatrixRoute {
  name: string;
  allowed: Role[];
  success: number;
  /** Builds a fresh call (mutations get their own token; an export is the role's own). */
  make: (role: Role | 'anonymous') => Promise<{ handler: RouteHandler } & Omit<Call, 'role'>>;
}

const everyone: Role[] = ['viewer', 'support', 'admin'];

/** A finished token export of `role` (a viewer's when signed out), for the routes that read one. */
async function ownExport(role: Role | 'anonymous'): Promise<string> {
  const as = role === 'anonymous' ? 'viewer' : role;
  const { json } = await call(routes.exportTokens.POST, {
    method: 'POST',
    path: '/api/exports/tokens',
    role: as,
    body: { subject: 'matrix-export', status: 'all' },
  });
  await vi.waitFor(async () => {
    const { json: one } = await call(routes.exportOne.GET, {
      path: `/api/exports/${json.export.id}`,
      role: as,
      params: { exportId: json.export.id },
    });
    expect(one.export.state).toBe('succeeded');
  }, 10_000);
  return json.export.id;
}
const matrix: MatrixRoute[] = [
  {
    name: 'GET /api/s/[service]/tokens',
    allowed: everyone,
    success: 200,
    make: async () => ({ handler: routes.tokens.GET, path: '/api/tokens?status=all' }),
  },
  {
    name: 'POST /api/s/[service]/tokens',
    allowed: ['admin'],
    success: 201,
    make: async () => ({
      handler: routes.tokens.POST,
      method: 'POST',
      path: '/api/tokens',
      body: { grantType: 'PASSWORD', clientId: '917364', subject: 'matrix', scopes: ['openid'] },
    }),
  },
  {
    name: 'GET /api/s/[service]/tokens/[hash]',
    allowed: everyone,
    success: 200,
    make: async () => {
      const { hash, subject } = await newToken();
      return { handler: routes.token.GET, path: `/api/tokens/${hash}?subject=${subject}`, params: { hash } };
    },
  },
  {
    name: 'PATCH /api/s/[service]/tokens/[hash]',
    allowed: ['admin'],
    success: 200,
    make: async () => {
      const { hash, subject } = await newToken();
      return {
        handler: routes.token.PATCH,
        method: 'PATCH',
        path: `/api/tokens/${hash}?subject=${subject}`,
        params: { hash },
        body: { scopes: ['openid'] },
      };
    },
  },
  {
    name: 'DELETE /api/s/[service]/tokens/[hash]',
    allowed: ['admin'],
    success: 204,
    make: async () => {
      const { hash, subject } = await newToken();
      return {
        handler: routes.token.DELETE,
        method: 'DELETE',
        path: `/api/tokens/${hash}?subject=${subject}&clientId=917364`,
        params: { hash },
        body: { reason: 'matrix' },
      };
    },
  },
  {
    name: 'POST /api/s/[service]/tokens/[hash]/revoke',
    allowed: ['support', 'admin'],
    success: 200,
    make: async () => {
      const { hash, subject } = await newToken();
      return {
        handler: routes.revoke.POST,
        method: 'POST',
        path: `/api/tokens/${hash}/revoke?subject=${subject}&clientId=917364`,
        params: { hash },
        body: { reason: 'matrix' },
      };
    },
  },
  {
    name: 'POST /api/s/[service]/tokens/[hash]/rotate',
    allowed: ['admin'],
    success: 200,
    make: async () => {
      const { hash, subject } = await newToken();
      return {
        handler: routes.rotate.POST,
        method: 'POST',
        path: `/api/tokens/${hash}/rotate?subject=${subject}&clientId=917364`,
        params: { hash },
        body: { reason: 'matrix' },
      };
    },
  },
  {
    name: 'POST /api/s/[service]/tokens/lookup',
    allowed: everyone,
    success: 200,
    make: async () => {
      const created = await upstream.createToken({
        grantType: 'PASSWORD',
        clientId: '917364',
        subject: 'matrix-lookup',
        scopes: ['openid'],
      });
      return {
        handler: routes.lookup.POST,
        method: 'POST',
        path: '/api/tokens/lookup',
        body: { token: created.accessToken },
      };
    },
  },
  {
    name: 'POST /api/s/[service]/revocations',
    allowed: ['support', 'admin'],
    success: 200,
    make: async () => {
      const { subject } = await newToken();
      return {
        handler: routes.revocations.POST,
        method: 'POST',
        path: '/api/revocations',
        body: { subject, reason: 'matrix' },
      };
    },
  },
  {
    name: 'GET /api/s/[service]/clients',
    allowed: everyone,
    success: 200,
    make: async () => ({ handler: routes.clients.GET, path: '/api/clients' }),
  },
  {
    name: 'GET /api/s/[service]/scopes',
    allowed: everyone,
    success: 200,
    make: async () => ({ handler: routes.scopes.GET, path: '/api/scopes' }),
  },
  {
    name: 'GET /api/s/[service]/exports',
    allowed: everyone,
    success: 200,
    make: async () => ({ handler: routes.exports.GET, path: '/api/exports' }),
  },
  {
    name: 'POST /api/s/[service]/exports/tokens',
    allowed: everyone,
    success: 201,
    make: async () => ({
      handler: routes.exportTokens.POST,
      method: 'POST',
      path: '/api/exports/tokens',
      body: { subject: 'matrix-export', status: 'all' },
    }),
  },
  {
    name: 'POST /api/s/[service]/exports/audit',
    allowed: ['admin'],
    success: 201,
    make: async () => ({
      handler: routes.exportAudit.POST,
      method: 'POST',
      path: '/api/exports/audit',
      body: { action: 'export.create' },
    }),
  },
  {
    name: 'GET /api/s/[service]/exports/[exportId]',
    allowed: everyone,
    success: 200,
    make: async (role) => {
      const exportId = await ownExport(role);
      return { handler: routes.exportOne.GET, path: `/api/exports/${exportId}`, params: { exportId } };
    },
  },
  {
    name: 'GET /api/s/[service]/exports/[exportId]/download',
    allowed: everyone,
    success: 200,
    make: async (role) => {
      const exportId = await ownExport(role);
      return { handler: routes.exportDownload.GET, path: `/api/exports/${exportId}/download`, params: { exportId } };
    },
  },
];

const pairs = matrix.flatMap((route) =>
  (['anonymous', ...everyone] as const).map((role) => ({
    route,
    role,
    expected: role === 'anonymous' ? 401 : route.allowed.includes(role) ? route.success : 403,
  })),
);

describe('role × route matrix', () => {
  it.each(pairs.map((p) => [p.route.name, p.role, p.expected, p] as const))(
    '%s as %s → %i',
    async (_name, role, expected, pair) => {
      const { handler, ...rest } = await pair.route.make(role);
      const { status, json, response } = await call(handler, {
        ...rest,
        role: role === 'anonymous' ? undefined : role,
      });
      expect(status).toBe(expected);
      expect(response.headers.get('x-request-id')).toMatch(/^[A-Za-z0-9-]{8,}$/);
      if (expected === 401) expect(json.error.code).toBe('unauthenticated');
      if (expected === 403) expect(json.error.code).toBe('forbidden');
      if (expected === 401) {
        // A signed-out request is logged, not audited: nobody's action, and a flood must not write rows.
        const audit = await lastAudit();
        expect(audit?.requestId).not.toBe(response.headers.get('x-request-id'));
      } else if (expected >= 400) {
        // Every signed-in denial is audited, with the route pattern and the permission it needed.
        const audit = await lastAudit();
        expect(audit).toMatchObject({ action: 'auth.denied', outcome: 'failure', errorCode: json.error.code });
        expect(audit.requestId).toBe(response.headers.get('x-request-id'));
        expect(audit.details.route).toBe(pair.route.name);
      }
    },
  );
});

// ── behaviour of each route ──────────────────────────────────────────────────

describe('GET /api/tokens', () => {
  it('returns one page of 50 fetched as ≤20-token upstream calls, with the total', async () => {
    const { status, json } = await call(routes.tokens.GET, {
      path: '/api/tokens?status=all&page=2&pageSize=50',
      role: 'viewer',
    });
    expect(status).toBe(200);
    expect(json.tokens).toHaveLength(50);
    expect(json).toMatchObject({ page: 2, pageSize: 50 });
    expect(json.totalCount).toBeGreaterThanOrEqual(120);
    expect((await emulator.stats()).operations.auth_token_get_list_api).toBe(3);
  });

  it('answers 400 with field errors for a bad page size, status or client id', async () => {
    const { status, json } = await call(routes.tokens.GET, {
      path: '/api/tokens?pageSize=30&status=gone&clientId=abc',
      role: 'viewer',
    });
    expect(status).toBe(400);
    expect(json.error.code).toBe('validation_failed');
    expect(Object.keys(json.error.details.fieldErrors).sort()).toEqual(['clientId', 'pageSize', 'status']);
    expect((await emulator.stats()).total).toBe(0);
  });
});

describe('POST /api/tokens', () => {
  it('creates a token, returns the values once and audits only the hash', async () => {
    const { status, json } = await call(routes.tokens.POST, {
      method: 'POST',
      path: '/api/tokens',
      role: 'admin',
      body: { grantType: 'CLIENT_CREDENTIALS', clientId: '12345678901234567', scopes: ['admin.audit'] },
    });
    expect(status).toBe(201);
    expect(json.accessToken).toEqual(expect.any(String));
    expect(json.token).toMatchObject({ clientId: '12345678901234567', scopes: ['admin.audit'] });
    const audit = await lastAudit();
    expect(audit).toMatchObject({
      action: 'token.create',
      outcome: 'success',
      target: { tokenHash: json.token.accessTokenHash, clientId: '12345678901234567' },
    });
    expect(JSON.stringify(audit)).not.toContain(json.accessToken);
  });

  it('explains a missing subject, unknown fields and bad JSON with 400', async () => {
    const missing = await call(routes.tokens.POST, {
      method: 'POST',
      path: '/api/tokens',
      role: 'admin',
      body: { grantType: 'PASSWORD', clientId: '917364' },
    });
    expect(missing.status).toBe(400);
    expect(missing.json.error.details.fieldErrors.subject).toEqual([
      'Subject is required unless the grant type is client credentials (no subject) or jwt bearer (optional).',
    ]);
    const extra = await call(routes.tokens.POST, {
      method: 'POST',
      path: '/api/tokens',
      role: 'admin',
      body: { grantType: 'CLIENT_CREDENTIALS', clientId: '44217', role: 'admin' },
    });
    expect(extra.json.error.details.fieldErrors.role).toEqual(['Unknown field "role".']);
    const broken = await call(routes.tokens.POST, {
      method: 'POST',
      path: '/api/tokens',
      role: 'admin',
      body: '{"grantType":',
    });
    expect(broken.status).toBe(400);
    expect(broken.json.error.message).toBe('The request body is not valid JSON.');
    // A failed mutation attempt is audited too.
    expect(await lastAudit()).toMatchObject({
      action: 'token.create',
      outcome: 'failure',
      errorCode: 'validation_failed',
    });
    expect((await emulator.stats()).operations.auth_token_create_api).toBeUndefined();
  });

  it('maps an Authlete refusal (unsupported scope) to 422 with its result code', async () => {
    const { status, json } = await call(routes.tokens.POST, {
      method: 'POST',
      path: '/api/tokens',
      role: 'admin',
      body: { grantType: 'PASSWORD', clientId: '917364', subject: 'x', scopes: ['no.such.scope'] },
    });
    expect(status).toBe(422);
    expect(json.error).toMatchObject({
      code: 'unprocessable',
      details: { upstreamStatus: 400, resultCode: expect.stringMatching(/^A\d{6}$/) },
    });
    expect(json.error.message).toContain('no.such.scope');
    expect(await lastAudit()).toMatchObject({ action: 'token.create', outcome: 'failure', upstream: { status: 400 } });
  });

  it('is never retried on 429: 429 with Retry-After, and the emulator saw exactly one create', async () => {
    await emulator.setFaults({ rateLimitRate: 1, retryAfterSeconds: 1, operations: ['auth_token_create_api'] });
    const { status, json, response } = await call(routes.tokens.POST, {
      method: 'POST',
      path: '/api/tokens',
      role: 'admin',
      body: { grantType: 'PASSWORD', clientId: '917364', subject: 'once', scopes: [] },
    });
    expect(status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(json.error.code).toBe('rate_limited');
    expect((await emulator.stats()).operations.auth_token_create_api).toBe(1);
  });

  it('times out a hanging create with 504, warning it may have happened, after exactly one attempt', async () => {
    await emulator.setFaults({ hangRate: 1, operations: ['auth_token_create_api'] });
    const { status, json } = await call(routes.tokens.POST, {
      method: 'POST',
      path: '/api/tokens',
      role: 'admin',
      body: { grantType: 'PASSWORD', clientId: '917364', subject: 'slow', scopes: [] },
    });
    expect(status).toBe(504);
    expect(json.error).toMatchObject({ code: 'upstream_timeout' });
    expect(json.error.message).toMatch(/may still have been applied/);
    expect((await emulator.stats()).operations.auth_token_create_api).toBe(1);
  });
});

describe('upstream faults on reads', () => {
  it('honours Retry-After on a rate-limited list and then answers 200', async () => {
    await emulator.setFaults({
      rateLimitRate: 1,
      retryAfterSeconds: 1,
      remaining: 1,
      operations: ['auth_token_get_list_api'],
    });
    const { status } = await call(routes.tokens.GET, { path: '/api/tokens?pageSize=10', role: 'viewer' });
    expect(status).toBe(200);
    expect((await emulator.stats()).operations.auth_token_get_list_api).toBe(2);
  });

  it('answers 504 when every attempt of a read hangs', async () => {
    await emulator.setFaults({ hangRate: 1, operations: ['service_get_api'] });
    const { status, json } = await call(routes.scopes.GET, { path: '/api/scopes', role: 'viewer' });
    expect(status).toBe(504);
    expect(json.error).toMatchObject({
      code: 'upstream_timeout',
      message: 'Authlete did not answer in time; try again.',
    });
  });

  it('answers 502 when Authlete keeps failing', async () => {
    await emulator.setFaults({ errorRate: 1, errorStatus: 500, operations: ['client_get_list_api'] });
    const { status, json } = await call(routes.clients.GET, { path: '/api/clients', role: 'viewer' });
    expect(status).toBe(502);
    expect(json.error).toMatchObject({
      code: 'upstream_error',
      details: { upstreamStatus: 500, resultCode: 'A001101' },
    });
  });

  it('never echoes an unexpected error, and logs it with the request id', async () => {
    vi.spyOn(upstream, 'listSupportedScopes').mockRejectedValue(new Error('internal detail: db password=hunter2'));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { status, json, response } = await call(routes.scopes.GET, { path: '/api/scopes', role: 'viewer' });
    expect(status).toBe(500);
    expect(json.error.code).toBe('internal_error');
    expect(JSON.stringify(json)).not.toContain('hunter2');
    const line = JSON.parse(String(logged.mock.calls[0]?.[0]));
    expect(line).toMatchObject({
      level: 'error',
      requestId: response.headers.get('x-request-id'),
      route: 'GET /api/s/[service]/scopes',
    });
    expect(line.error.message).toContain('hunter2');
  });
});

describe('token by hash', () => {
  it('finds a token, and 404s an unknown one', async () => {
    const { hash, subject } = await newToken();
    const found = await call(routes.token.GET, {
      path: `/api/tokens/${hash}?clientId=917364&subject=${subject}`,
      params: { hash },
      role: 'viewer',
    });
    expect(found.json.token).toMatchObject({ accessTokenHash: hash, subject, clientId: '917364' });
    expect(found.json.searched).toBe(`all 1 token of subject ${subject} and client 917364 (1 page)`);
    // Unnarrowed: refused at once, telling the person what to give instead.
    const broad = await call(routes.token.GET, { path: `/api/tokens/${hash}`, params: { hash }, role: 'viewer' });
    expect(broad.status).toBe(400);
    expect(broad.json.error).toMatchObject({ code: 'narrowing_required' });
    expect(broad.json.error.message).toMatch(/subject or client.*pasting its value/);
    const missing = await call(routes.token.GET, {
      path: `/api/tokens/${hashOf(1)}?subject=${subject}`,
      params: { hash: hashOf(1) },
      role: 'viewer',
    });
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('not_found');
  });

  it('rejects a malformed hash with 400 before calling Authlete', async () => {
    const { status, json } = await call(routes.token.DELETE, {
      method: 'DELETE',
      path: '/api/tokens/..',
      params: { hash: '..' },
      role: 'admin',
    });
    expect(status).toBe(400);
    expect(json.error.details.fieldErrors.hash).toBeDefined();
    expect((await emulator.stats()).total).toBe(0);
  });

  it('PATCH makes a token persistent and records before and after', async () => {
    const { hash, subject } = await newToken();
    const { status, json } = await call(routes.token.PATCH, {
      method: 'PATCH',
      path: `/api/tokens/${hash}?subject=${subject}`,
      params: { hash },
      role: 'admin',
      body: {
        accessTokenPersistent: true,
        scopes: ['openid'],
        properties: [{ key: 'case', value: 'C-7', hidden: true }],
      },
    });
    expect(status).toBe(200);
    expect(json.token).toMatchObject({
      accessTokenHash: hash,
      accessTokenExpiresAt: 0,
      scopes: ['openid'],
      properties: [{ key: 'case', value: 'C-7', hidden: true }],
    });
    const audit = await lastAudit();
    expect(audit).toMatchObject({
      action: 'token.update',
      outcome: 'success',
      target: { tokenHash: hash, subject, clientId: '917364' },
    });
    expect(audit.details.before).toMatchObject({ scopes: ['openid', 'profile'], properties: [] });
    expect(audit.details.after).toMatchObject({ scopes: ['openid'], accessTokenExpiresAt: 0 });
    expect((audit.details.before as { accessTokenExpiresAt: number }).accessTokenExpiresAt).toBeGreaterThan(0);
  });

  it('PATCH refuses an empty change and a date together with "never"', async () => {
    const hash = hashOf(2);
    const empty = await call(routes.token.PATCH, {
      method: 'PATCH',
      path: `/api/tokens/${hash}`,
      params: { hash },
      role: 'admin',
      body: {},
    });
    expect(empty.json.error.details.formErrors).toEqual(['Change at least one field.']);
    const both = await call(routes.token.PATCH, {
      method: 'PATCH',
      path: `/api/tokens/${hash}`,
      params: { hash },
      role: 'admin',
      body: { accessTokenPersistent: true, accessTokenExpiresAt: Date.now() + 1000 },
    });
    expect(both.json.error.details.fieldErrors.accessTokenExpiresAt).toBeDefined();
  });

  it('DELETE removes the token: 204, then 404 for the next revoke', async () => {
    const { hash, subject } = await newToken();
    const hint = `subject=${subject}&clientId=917364`;
    const deleted = await call(routes.token.DELETE, {
      method: 'DELETE',
      path: `/api/tokens/${hash}?${hint}`,
      params: { hash },
      role: 'admin',
      body: { reason: 'test token, ticket 7' },
    });
    expect(deleted.status).toBe(204);
    // The delete is filed under the token's subject and client, with its reason.
    expect(await lastAudit()).toMatchObject({
      action: 'token.delete',
      outcome: 'success',
      reason: 'test token, ticket 7',
      target: { tokenHash: hash, subject, clientId: '917364' },
    });
    const again = await call(routes.revoke.POST, {
      method: 'POST',
      path: `/api/tokens/${hash}/revoke?${hint}`,
      params: { hash },
      role: 'support',
      body: {},
    });
    expect(again.status).toBe(404);
    expect(await lastAudit()).toMatchObject({
      action: 'token.revoke',
      outcome: 'failure',
      errorCode: 'not_found',
      target: { tokenHash: hash, subject, clientId: '917364' },
    });
    // Only the narrowed list was read; Authlete's revoke was never called for a token not there.
    expect((await emulator.stats()).operations.auth_token_revoke_api).toBeUndefined();
  });

  it('revoke and delete need the token’s client (no unbounded scan), and DELETE takes its reason as JSON', async () => {
    const { hash } = await newToken();
    await emulator.resetStats();
    const revoke = await call(routes.revoke.POST, {
      method: 'POST',
      path: `/api/tokens/${hash}/revoke`,
      params: { hash },
      role: 'support',
      body: {},
    });
    expect(revoke.status).toBe(400);
    expect(revoke.json.error.details.fieldErrors.clientId).toEqual([
      "Give the token's client (clientId) so it can be found before it is changed.",
    ]);
    const remove = await call(routes.token.DELETE, {
      method: 'DELETE',
      path: `/api/tokens/${hash}`,
      params: { hash },
      role: 'admin',
      body: {},
    });
    expect(remove.status).toBe(400);
    const noBody = await call(routes.token.DELETE, {
      method: 'DELETE',
      path: `/api/tokens/${hash}?clientId=917364`,
      params: { hash },
      role: 'admin',
    });
    expect(noBody.status).toBe(415);
    expect((await emulator.stats()).total).toBe(0);
    // A client-credentials token has no subject: the client's tokens are searched.
    const machine = await upstream.createToken({ grantType: 'CLIENT_CREDENTIALS', clientId: '44217', scopes: [] });
    const machineHash = machine.token.accessTokenHash;
    const revoked = await call(routes.revoke.POST, {
      method: 'POST',
      path: `/api/tokens/${machineHash}/revoke?clientId=44217`,
      params: { hash: machineHash },
      role: 'support',
      body: { reason: 'rotated' },
    });
    expect(revoked.status).toBe(200);
    expect(await lastAudit()).toMatchObject({
      action: 'token.revoke',
      outcome: 'success',
      target: { tokenHash: machineHash, subject: null, clientId: '44217' },
    });
  });
});

describe('revocation', () => {
  it('revokes one token with a reason and audits the count', async () => {
    const { hash, subject } = await newToken();
    const { status, json } = await call(routes.revoke.POST, {
      method: 'POST',
      path: `/api/tokens/${hash}/revoke?subject=${subject}&clientId=917364`,
      params: { hash },
      role: 'support',
      body: { reason: 'Lost phone, ticket 42' },
    });
    expect(status).toBe(200);
    expect(json).toEqual({ count: 1 });
    expect(await lastAudit()).toMatchObject({
      action: 'token.revoke',
      count: 1,
      reason: 'Lost phone, ticket 42',
      actor: { role: 'support' },
      target: { tokenHash: hash, subject, clientId: '917364' },
    });
  });

  it('revokes all of a user’s tokens (optionally one client) and records the count', async () => {
    const subject = `leaver-${crypto.randomUUID().slice(0, 8)}`;
    await newToken(subject);
    await newToken(subject);
    await upstream.createToken({ grantType: 'PASSWORD', clientId: '1734526871', subject, scopes: ['openid'] });
    const oneClient = await call(routes.revocations.POST, {
      method: 'POST',
      path: '/api/revocations',
      role: 'support',
      body: { subject, clientId: '917364', reason: 'Left the company' },
    });
    expect(oneClient.json).toEqual({ count: 2 });
    expect(await lastAudit()).toMatchObject({
      action: 'token.revoke_all',
      count: 2,
      target: { subject, clientId: '917364' },
    });
    const rest = await call(routes.revocations.POST, {
      method: 'POST',
      path: '/api/revocations',
      role: 'admin',
      body: { subject, reason: 'Left' },
    });
    expect(rest.json).toEqual({ count: 1 });
  });

  it('requires a reason to revoke everything', async () => {
    const { status, json } = await call(routes.revocations.POST, {
      method: 'POST',
      path: '/api/revocations',
      role: 'support',
      body: { subject: 'john' },
    });
    expect(status).toBe(400);
    expect(json.error.details.fieldErrors.reason).toBeDefined();
  });

  it('keeps a revoke reason but cuts a pasted credential out of it', async () => {
    const { hash, subject } = await newToken();
    const { status } = await call(routes.revoke.POST, {
      method: 'POST',
      path: `/api/tokens/${hash}/revoke?subject=${subject}&clientId=917364`,
      params: { hash },
      role: 'support',
      body: { reason: 'pasted Bearer abcdefghijklmnop by mistake' },
    });
    expect(status).toBe(200);
    const { entries } = await listAudit({ page: 1, pageSize: 1 } as never);
    expect(entries[0]).toMatchObject({ action: 'token.revoke', reason: 'pasted Bearer [redacted] by mistake' });
  });

  it('reports an audit failure instead of success when the record cannot be written', async () => {
    const { hash, subject } = await newToken();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const db = await getDb();
    await db.execute(sql`alter table audit_log rename to audit_log_unavailable`);
    try {
      const { status, json } = await call(routes.revoke.POST, {
        method: 'POST',
        path: `/api/tokens/${hash}/revoke?subject=${subject}&clientId=917364`,
        params: { hash },
        role: 'support',
        body: { reason: 'customer asked' },
      });
      expect(status).toBe(500);
      expect(json.error.code).toBe('audit_failed');
    } finally {
      await db.execute(sql`alter table audit_log_unavailable rename to audit_log`);
    }
    // ...and the failure is logged loudly.
    const line = String(logged.mock.calls.find((args) => String(args[0]).includes('AUDIT WRITE FAILED'))?.[0]);
    expect(line).toContain('token.revoke');
  });
});

describe('clients and scopes', () => {
  it('lists clients with exact 64-bit ids, and scopes with descriptions', async () => {
    const clients = await call(routes.clients.GET, { path: '/api/clients', role: 'viewer' });
    expect(clients.json.clients).toContainEqual({
      clientId: '12345678901234567',
      clientIdAlias: 'audit-exporter',
      clientName: 'Audit Exporter',
    });
    const scopes = await call(routes.scopes.GET, { path: '/api/scopes', role: 'viewer' });
    expect(scopes.json.scopes).toContainEqual({ name: 'openid', description: 'Sign the user in with OpenID Connect.' });
  });
});

describe('request forgery and bypass attempts', () => {
  /** `role: null` sends no session cookie. */
  const revokeCall = async (headers: Record<string, string>, role: Role | null = 'support') => {
    const { hash, subject } = await newToken();
    return call(routes.revoke.POST, {
      method: 'POST',
      path: `/api/tokens/${hash}/revoke?subject=${subject}&clientId=917364`,
      params: { hash },
      role: role ?? undefined,
      body: {},
      headers,
    });
  };

  it.each([
    [{ 'sec-fetch-site': 'cross-site' }],
    [{ 'sec-fetch-site': 'same-site' }],
    [{ 'sec-fetch-site': '', origin: 'https://evil.example' }],
    [{ 'sec-fetch-site': '', origin: 'null' }],
  ])('rejects a cross-site mutation %j with 403 and audits the denial', async (headers) => {
    const { status, json } = await revokeCall(headers);
    expect(status).toBe(403);
    expect(json.error.code).toBe('cross_site_request');
    expect(await lastAudit()).toMatchObject({
      action: 'auth.denied',
      errorCode: 'cross_site_request',
      actor: { role: 'support' },
    });
    expect((await emulator.stats()).operations.auth_token_revoke_api).toBeUndefined();
  });

  it('accepts a same-origin Origin when Sec-Fetch-Site is absent', async () => {
    expect((await revokeCall({ 'sec-fetch-site': '', origin: TEST_APP_URL })).status).toBe(200);
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
    'rejects a %s mutation with 415',
    async (type) => {
      const { status, json } = await revokeCall({ 'content-type': type });
      expect(status).toBe(415);
      expect(json.error.code).toBe('unsupported_media_type');
      expect(await lastAudit()).toMatchObject({
        action: 'token.revoke',
        outcome: 'failure',
        errorCode: 'unsupported_media_type',
      });
    },
  );

  it('refuses an oversized body with 413 before parsing it', async () => {
    const { status, json } = await call(routes.revocations.POST, {
      method: 'POST',
      path: '/api/revocations',
      role: 'support',
      body: { subject: 'x', reason: 'r'.repeat(300 * 1024) },
    });
    expect(status).toBe(413);
    expect(json.error.code).toBe('payload_too_large');
    expect(await lastAudit()).toMatchObject({
      action: 'token.revoke_all',
      outcome: 'failure',
      errorCode: 'payload_too_large',
    });
  });

  it('refuses an oversized body with 413 whatever its Content-Length claims', async () => {
    for (const declared of [String(300 * 1024 + 40), '10']) {
      const { status, json } = await call(routes.revocations.POST, {
        method: 'POST',
        path: '/api/revocations',
        role: 'support',
        headers: { 'content-length': declared },
        body: { subject: 'x', reason: 'r'.repeat(300 * 1024) },
      });
      expect(status, declared).toBe(413);
      expect(json.error.code).toBe('payload_too_large');
    }
  });

  it('still needs a session with x-middleware-subrequest and other bypass headers', async () => {
    const bypass = {
      'x-middleware-subrequest': 'middleware:middleware:middleware:middleware:middleware',
      'x-middleware-prefetch': '1',
      'x-nextjs-data': '1',
      'x-invoke-path': '/api/tokens',
      'x-forwarded-user': 'admin',
      authorization: `Bearer ${emulator.serviceAccessToken}`,
    };
    for (const [name, value] of Object.entries(bypass)) {
      const single = await call(routes.tokens.GET, { path: '/api/tokens', headers: { [name]: value } });
      expect(single.status, name).toBe(401);
    }
    const read = await call(routes.tokens.GET, { path: '/api/tokens', headers: bypass });
    expect(read.status).toBe(401);
    const write = await revokeCall(bypass, null);
    expect(write.status).toBe(401);
    expect((await emulator.stats()).operations.auth_token_revoke_api).toBeUndefined();
  });

  it('ignores a forged session cookie', async () => {
    const { status } = await call(routes.tokens.GET, {
      path: '/api/tokens',
      headers: { cookie: `${cookies.admin.split('=')[0]}=forged.value` },
    });
    expect(status).toBe(401);
  });
});

describe('no identifier or filter value can change the upstream path or host (through the routes)', () => {
  it('hash path values either fail validation or reach only their own upstream operation', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.constantFrom('..', '%2e%2e', 'a/../b', '//evil', 'x?y', 'a_b.c~d', hashOf(3)),
        ),
        async (value) => {
          await emulator.resetStats();
          const byHash = await call(routes.token.DELETE, {
            method: 'DELETE',
            path: '/api/tokens/x?clientId=917364',
            params: { hash: value },
            role: 'admin',
            body: {},
          });
          expect([204, 400, 404]).toContain(byHash.status);
          const { operations } = await emulator.stats();
          expect(operations.unknown).toBeUndefined();
          expect(
            Object.keys(operations).every((op) => ['auth_token_get_list_api', 'auth_token_delete_api'].includes(op)),
          ).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('subject and client filters only ever reach the list operation', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40 }), fc.string({ maxLength: 25 }), async (subject, clientId) => {
        await emulator.resetStats();
        const query = new URLSearchParams({ subject, clientId, pageSize: '10' });
        const { status } = await call(routes.tokens.GET, { path: `/api/tokens?${query}`, role: 'viewer' });
        expect([200, 400, 422]).toContain(status);
        const { operations } = await emulator.stats();
        expect(Object.keys(operations).every((op) => op === 'auth_token_get_list_api')).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});

describe('the service in a route’s address', () => {
  const scopesFor = (service: string) =>
    (scopesRoute.GET as RouteHandler)(
      new Request(`${TEST_APP_URL}/api/s/${encodeURIComponent(service)}/scopes`, {
        headers: { cookie: cookies.viewer },
      }),
      { params: Promise.resolve({ service }) },
    );

  it('answers for a configured service', async () => {
    expect((await scopesFor('default')).status).toBe(200);
  });

  it.each(['staging', '../default', 'DEFAULT', '', '%00'])(
    'answers 404 service_not_found for %j, before any upstream call',
    async (service) => {
      const upstream = vi.spyOn(authleteFor('default'), 'listSupportedScopes');
      const response = await scopesFor(service);
      expect(response.status).toBe(404);
      expect((await response.json()).error.code).toBe('service_not_found');
      expect(upstream).not.toHaveBeenCalled();
      upstream.mockRestore();
    },
  );
});
