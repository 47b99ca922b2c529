/**
 * Every route that takes a JSON body, through the real wrapper and a real session: a body key named
 * like an Object.prototype member is an unknown field like any other (400 naming it), never a 500.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import { sessionCookiesFor, TEST_APP_URL, useTestEmulatorUpstream, type RouteHandler } from '@/server/testing/routes';

/** Keys a plain object already "has" through its prototype. */
const PROTOTYPE_KEYS = [
  'constructor',
  'toString',
  '__proto__',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  '__defineGetter__',
  'toLocaleString',
];

interface BodyRoute {
  file: string;
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  params: Record<string, string>;
  /** A query string the route needs before it reads the body (e.g. `?clientId=1`). */
  query?: string;
  /** A body the route would otherwise accept; the unknown key is added at its top level. */
  body: Record<string, unknown>;
  /** Where a nested object accepts no extra keys either (dot path of the object), if any. */
  nested?: string;
}

const hash = 'A'.repeat(43);
const chunk = { jobId: crypto.randomUUID(), seq: '0' };
const row = { grantType: 'PASSWORD', clientId: '917364', subject: 'keys', scopes: ['openid'] };
const storedService = {
  slug: 'keys',
  name: 'Keys',
  environment: 'staging',
  baseUrl: 'https://us.authlete.com',
  serviceId: '1',
  credentials: { apiVersion: 3, accessToken: 'service-access-token-keys' },
};
const bodyRoutes: BodyRoute[] = [
  {
    file: 's/[service]/tokens/route.ts',
    method: 'POST',
    params: {},
    body: { ...row, properties: [{ key: 'k', value: 'v' }] },
    nested: 'properties.0',
  },
  { file: 's/[service]/tokens/[hash]/route.ts', method: 'PATCH', params: { hash }, body: { scopes: ['openid'] } },
  {
    file: 's/[service]/tokens/[hash]/route.ts',
    method: 'DELETE',
    params: { hash },
    query: '?clientId=917364',
    body: { reason: 'keys' },
  },
  {
    file: 's/[service]/tokens/[hash]/revoke/route.ts',
    method: 'POST',
    params: { hash },
    query: '?clientId=917364',
    body: { reason: 'keys' },
  },
  {
    file: 's/[service]/tokens/[hash]/rotate/route.ts',
    method: 'POST',
    params: { hash },
    query: '?clientId=917364',
    body: { reason: 'keys' },
  },
  { file: 's/[service]/tokens/lookup/route.ts', method: 'POST', params: {}, body: { token: 'keys-value' } },
  { file: 's/[service]/revocations/route.ts', method: 'POST', params: {}, body: { subject: 'keys', reason: 'keys' } },
  {
    file: 's/[service]/incidents/revocations/route.ts',
    method: 'POST',
    params: { service: 'default' },
    body: { query: { clientIds: ['917364'] } },
    nested: 'query',
  },
  {
    file: 's/[service]/incidents/revocations/[jobId]/subjects/route.ts',
    method: 'POST',
    params: { service: 'default', jobId: '0b7d4a4e-2a51-4b8e-9d54-0f4f7b0f6c11' },
    body: { seq: 0, subjects: ['keys'] },
  },
  {
    file: 's/[service]/incidents/revocations/[jobId]/start/route.ts',
    method: 'POST',
    params: { service: 'default', jobId: '0b7d4a4e-2a51-4b8e-9d54-0f4f7b0f6c11' },
    body: {
      query: { clientIds: ['917364'] },
      digest: 'c'.repeat(64),
      confirmation: '1',
      reason: 'keys',
      ticket: 'INC-1',
    },
    nested: 'query',
  },
  {
    file: 's/[service]/incidents/revocations/[jobId]/control/route.ts',
    method: 'POST',
    params: { service: 'default', jobId: '0b7d4a4e-2a51-4b8e-9d54-0f4f7b0f6c11' },
    body: { action: 'pause' },
  },
  {
    file: 's/[service]/incidents/clients/[clientId]/lock/route.ts',
    method: 'DELETE',
    params: { service: 'default', clientId: '917364' },
    body: { reason: 'keys' },
  },
  {
    file: 's/[service]/jobs/route.ts',
    method: 'POST',
    params: {},
    body: {
      fileName: 'keys.csv',
      fileSha256: 'b'.repeat(64),
      fileBytes: 10,
      fileRows: 2,
      rowCount: 1,
      excludedRows: 0,
      generatedRows: 1,
      chunkSize: 1,
      chunks: [{ rowFrom: 0, rowTo: 1, firstLine: 2, lastLine: 2 }],
    },
    nested: 'chunks.0',
  },
  {
    file: 's/[service]/jobs/[jobId]/chunks/[seq]/dry-run/route.ts',
    method: 'POST',
    params: chunk,
    body: { tokens: [row] },
    nested: 'tokens.0',
  },
  {
    file: 's/[service]/jobs/[jobId]/chunks/[seq]/submit/route.ts',
    method: 'POST',
    params: chunk,
    body: { tokens: [row] },
    nested: 'tokens.0',
  },
  {
    file: 's/[service]/jobs/[jobId]/chunks/[seq]/narrow/route.ts',
    method: 'POST',
    params: chunk,
    body: { rows: [{ index: 0, line: 2, token: row }] },
    nested: 'rows.0',
  },
  {
    file: 's/[service]/jobs/[jobId]/chunks/[seq]/narrow-dry-run/route.ts',
    method: 'POST',
    params: chunk,
    body: { rows: [{ index: 0, line: 2, token: row }] },
    nested: 'rows.0',
  },
  {
    file: 's/[service]/jobs/[jobId]/chunks/[seq]/exclude/route.ts',
    method: 'POST',
    params: chunk,
    body: { remaining: null },
  },
  { file: 's/[service]/exports/tokens/route.ts', method: 'POST', params: {}, body: { subject: 'keys', status: 'all' } },
  { file: 's/[service]/exports/audit/route.ts', method: 'POST', params: {}, body: { action: 'export.create' } },
  {
    file: 's/[service]/webhooks/route.ts',
    method: 'POST',
    params: { service: 'default' },
    body: { url: 'https://hooks.example.com/token-desk' },
  },
  {
    file: 's/[service]/webhooks/[endpointId]/route.ts',
    method: 'PATCH',
    params: { service: 'default', endpointId: `ep_${'0'.repeat(32)}` },
    body: { description: 'SOC' },
  },
  {
    file: 's/[service]/services/stored/route.ts',
    method: 'POST',
    params: { service: 'default' },
    body: storedService,
    nested: 'credentials',
  },
  {
    file: 's/[service]/services/connection-test/route.ts',
    method: 'POST',
    params: { service: 'default' },
    body: storedService,
    nested: 'credentials',
  },
  {
    file: 's/[service]/services/stored/[slug]/route.ts',
    method: 'PATCH',
    params: { service: 'default', slug: 'keys' },
    body: { credentials: storedService.credentials },
    nested: 'credentials',
  },
  {
    file: 's/[service]/services/stored/[slug]/connection-test/route.ts',
    method: 'POST',
    params: { service: 'default', slug: 'keys' },
    body: { credentials: storedService.credentials },
    nested: 'credentials',
  },
  {
    file: 's/[service]/services/discover/route.ts',
    method: 'POST',
    params: { service: 'default' },
    body: { baseUrl: 'https://us.authlete.com', organizationToken: 'organization-token-keys' },
  },
  {
    file: 's/[service]/staff/route.ts',
    method: 'POST',
    params: { service: 'default' },
    body: { email: 'keys@desk.test', name: 'Keys', role: 'support', scope: { kind: 'all' } },
    nested: 'scope',
  },
  {
    file: 's/[service]/staff/[userId]/route.ts',
    method: 'PATCH',
    params: { service: 'default', userId: crypto.randomUUID() },
    body: { role: 'viewer', scope: { kind: 'clients', clientIds: ['917364'] } },
    nested: 'scope',
  },
  {
    file: 's/[service]/staff/[userId]/status/route.ts',
    method: 'POST',
    params: { service: 'default', userId: crypto.randomUUID() },
    body: { disabled: true },
  },
  {
    file: 's/[service]/subjects/[subject]/apps/[clientId]/revoke/route.ts',
    method: 'POST',
    params: { subject: 'keys', clientId: '917364' },
    body: { reason: 'keys' },
  },
  {
    file: 's/[service]/subjects/[subject]/apps/[clientId]/narrow/route.ts',
    method: 'POST',
    params: { subject: 'keys', clientId: '917364' },
    body: { reason: 'keys', scopes: ['openid'] },
  },
  {
    file: 's/[service]/subjects/[subject]/apps/[clientId]/forget-consent/route.ts',
    method: 'POST',
    params: { subject: 'keys', clientId: '917364' },
    body: { reason: 'keys' },
  },
  {
    file: 's/[service]/subjects/[subject]/offboard/route.ts',
    method: 'POST',
    params: { subject: 'keys' },
    body: { confirm: 'keys', reason: 'keys', digest: 'd'.repeat(43) },
  },
  { file: 'session/locale/route.ts', method: 'PUT', params: {}, body: { locale: 'ja' } },
  { file: 'session/time-zone/route.ts', method: 'PUT', params: {}, body: { timeZone: 'Asia/Tokyo' } },
  { file: 'account/step-up/route.ts', method: 'POST', params: {}, body: { password: 'keys' } },
  {
    file: 's/[service]/approvals/[id]/[decision]/route.ts',
    method: 'POST',
    params: { id: crypto.randomUUID(), decision: 'approve' },
    body: { note: 'keys' },
  },
];

let emulator: TestEmulator;
let adminCookie: string;
const handlers = new Map<string, RouteHandler>();

beforeAll(async () => {
  emulator = await startTestEmulator();
  useTestEmulatorUpstream(emulator);
  for (const route of bodyRoutes) {
    // A path in a variable: Vite's static import analysis reaches one folder level only.
    const handlersOf = (await import(/* @vite-ignore */ path.join(import.meta.dirname, route.file))) as Record<
      string,
      RouteHandler
    >;
    handlers.set(`${route.method} ${route.file}`, handlersOf[route.method]!);
  }
  adminCookie = (await sessionCookiesFor(['admin'])).admin;
});
afterAll(() => emulator?.close());

/** Sets `key` as an own property (a plain `obj[key] =` would set the prototype for `__proto__`). */
function withKey(target: Record<string, unknown>, key: string): Record<string, unknown> {
  return Object.defineProperty({ ...target }, key, { value: 1, enumerable: true, configurable: true, writable: true });
}

function objectAt(body: Record<string, unknown>, at: string | undefined): Record<string, unknown> {
  let target = body;
  for (const part of at ? at.split('.') : []) target = target[part] as Record<string, unknown>;
  return target;
}

function withNestedKey(body: Record<string, unknown>, at: string, key: string): Record<string, unknown> {
  const copy = structuredClone(body);
  const parts = at.split('.');
  const parent = objectAt(copy, parts.slice(0, -1).join('.') || undefined);
  const last = parts.at(-1)!;
  parent[last] = withKey(parent[last] as Record<string, unknown>, key);
  return copy;
}

async function send(route: BodyRoute, body: Record<string, unknown>) {
  const response = await handlers.get(`${route.method} ${route.file}`)!(
    new Request(`${TEST_APP_URL}/api/${route.file}${route.query ?? ''}`, {
      method: route.method,
      headers: {
        'sec-fetch-site': 'same-origin',
        'user-agent': 'vitest',
        cookie: adminCookie,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve(route.params) },
  );
  return { status: response.status, json: await response.json() };
}

describe('unknown body keys named like Object.prototype members', () => {
  it('covers every route that declares a body', () => {
    const root = import.meta.dirname;
    const declared = readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('route.ts') && /\bbody: /.test(readFileSync(path.join(root, file), 'utf8')))
      .map((file) => file.split(path.sep).join('/'));
    expect([...new Set(bodyRoutes.map((route) => route.file))].sort()).toEqual(declared.sort());
  });

  it('answer 400 naming the field, at the top level and inside nested objects', async () => {
    const key = fc.oneof(
      fc.constantFrom(...PROTOTYPE_KEYS),
      fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !/[.]/.test(k)),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...bodyRoutes), key, fc.boolean(), async (route, name, nested) => {
        const at = nested && route.nested ? route.nested : undefined;
        if (Object.hasOwn(objectAt(route.body, at), name)) return;
        const { status, json } = await send(
          route,
          at ? withNestedKey(route.body, at, name) : withKey(route.body, name),
        );
        expect(status, `${route.file} ${at ?? ''}.${name}`).toBe(400);
        expect(json.error.code).toBe('validation_failed');
        const field = at ? `${at}.${name}` : name;
        expect(Object.hasOwn(json.error.details.fieldErrors, field), field).toBe(true);
        expect(json.error.details.fieldErrors[field]).toEqual([`Unknown field "${name}".`]);
        expect(json.error.message).toContain(name);
      }),
      {
        numRuns: 60,
        examples: PROTOTYPE_KEYS.flatMap((name) =>
          bodyRoutes.map((route) => [route, name, true] as [BodyRoute, string, boolean]),
        ),
      },
    );
  });
});
