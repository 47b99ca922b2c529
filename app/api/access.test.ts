/**
 * Client-scoped access, over every route: a role x scope x route matrix (the list of routes is
 * checked complete against the files, like body-keys.test.ts), and a property test that a person
 * scoped to two clients never causes an upstream call about another client (the emulator's
 * received requests are read back) nor sees another client's token.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, type Permission, type Role } from '@/lib/roles';
import { recordAudit } from '@/server/audit';
import { findUser } from '@/server/auth/users';
import { getDb } from '@/server/db';
import { staffGrant } from '@/server/db/schema';
import type { Exchange } from '@/server/emulator/server';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import { sessionCookieFor } from '@/server/testing/session';
import { TEST_APP_URL, useTestEmulatorUpstream, type RouteHandler } from '@/server/testing/routes';

/** Two clients of the demo service the scoped people may work with. */
const PERMITTED = ['26888344961664', '1734526871'];
/** Clients outside their scope (the demo service has more). */
const OTHERS = ['1734526872', '917364', '5899375627190'];

interface RouteRow {
  permission: Permission;
  /** Whether a client-scoped person may use it (else it needs an all-clients grant). */
  scoped: boolean;
}

/** Every route handler through route(), by file and method. */
const routes: Record<string, RouteRow> = {
  'GET s/[service]/audit/route.ts': { permission: 'audit:read', scoped: true },
  'GET s/[service]/clients/route.ts': { permission: 'tokens:read', scoped: true },
  'GET s/[service]/overview/route.ts': { permission: 'tokens:read', scoped: true },
  'GET s/[service]/overview/trends/route.ts': { permission: 'tokens:read', scoped: true },
  'GET s/[service]/services/route.ts': { permission: 'tokens:read', scoped: true },
  'GET s/[service]/scopes/route.ts': { permission: 'tokens:read', scoped: true },
  'GET s/[service]/tokens/route.ts': { permission: 'tokens:read', scoped: true },
  'POST s/[service]/tokens/route.ts': { permission: 'tokens:write', scoped: true },
  'GET s/[service]/tokens/[hash]/route.ts': { permission: 'tokens:read', scoped: true },
  'PATCH s/[service]/tokens/[hash]/route.ts': { permission: 'tokens:write', scoped: true },
  'DELETE s/[service]/tokens/[hash]/route.ts': { permission: 'tokens:write', scoped: true },
  'POST s/[service]/tokens/[hash]/revoke/route.ts': { permission: 'tokens:revoke', scoped: true },
  'POST s/[service]/tokens/[hash]/rotate/route.ts': { permission: 'tokens:write', scoped: true },
  'POST s/[service]/tokens/lookup/route.ts': { permission: 'tokens:read', scoped: true },
  'POST s/[service]/revocations/route.ts': { permission: 'tokens:revoke', scoped: true },
  'GET s/[service]/exports/route.ts': { permission: 'tokens:read', scoped: true },
  'POST s/[service]/exports/tokens/route.ts': { permission: 'tokens:read', scoped: true },
  'POST s/[service]/exports/audit/route.ts': { permission: 'audit:read', scoped: true },
  'GET s/[service]/exports/[exportId]/route.ts': { permission: 'tokens:read', scoped: true },
  'GET s/[service]/exports/[exportId]/download/route.ts': { permission: 'tokens:read', scoped: true },
  'GET s/[service]/jobs/route.ts': { permission: 'batches:read', scoped: true },
  'POST s/[service]/jobs/route.ts': { permission: 'batches:write', scoped: true },
  'GET s/[service]/jobs/[jobId]/route.ts': { permission: 'batches:read', scoped: true },
  'POST s/[service]/jobs/[jobId]/resume/route.ts': { permission: 'batches:write', scoped: true },
  'POST s/[service]/jobs/[jobId]/chunks/[seq]/dry-run/route.ts': { permission: 'batches:write', scoped: true },
  'POST s/[service]/jobs/[jobId]/chunks/[seq]/exclude/route.ts': { permission: 'batches:write', scoped: true },
  'POST s/[service]/jobs/[jobId]/chunks/[seq]/narrow/route.ts': { permission: 'batches:write', scoped: true },
  'POST s/[service]/jobs/[jobId]/chunks/[seq]/narrow-dry-run/route.ts': { permission: 'batches:write', scoped: true },
  'POST s/[service]/jobs/[jobId]/chunks/[seq]/submit/route.ts': { permission: 'batches:write', scoped: true },
  'GET s/[service]/staff/route.ts': { permission: 'staff:manage', scoped: false },
  'GET s/[service]/webhooks/route.ts': { permission: 'webhooks:manage', scoped: false },
  'POST s/[service]/webhooks/route.ts': { permission: 'webhooks:manage', scoped: false },
  'PATCH s/[service]/webhooks/[endpointId]/route.ts': { permission: 'webhooks:manage', scoped: false },
  'DELETE s/[service]/webhooks/[endpointId]/route.ts': { permission: 'webhooks:manage', scoped: false },
  'POST s/[service]/webhooks/[endpointId]/rotate/route.ts': { permission: 'webhooks:manage', scoped: false },
  'POST s/[service]/webhooks/[endpointId]/test/route.ts': { permission: 'webhooks:manage', scoped: false },
  'GET s/[service]/webhooks/[endpointId]/deliveries/route.ts': { permission: 'webhooks:manage', scoped: false },
  'POST s/[service]/webhooks/[endpointId]/deliveries/[deliveryId]/redeliver/route.ts': {
    permission: 'webhooks:manage',
    scoped: false,
  },
  'GET s/[service]/services/stored/route.ts': { permission: 'services:manage', scoped: false },
  'POST s/[service]/services/stored/route.ts': { permission: 'services:manage', scoped: false },
  'PATCH s/[service]/services/stored/[slug]/route.ts': { permission: 'services:manage', scoped: false },
  'DELETE s/[service]/services/stored/[slug]/route.ts': { permission: 'services:manage', scoped: false },
  'POST s/[service]/services/stored/[slug]/connection-test/route.ts': { permission: 'services:manage', scoped: false },
  'POST s/[service]/services/connection-test/route.ts': { permission: 'services:manage', scoped: false },
  'POST s/[service]/services/discover/route.ts': { permission: 'services:manage', scoped: false },
  'POST s/[service]/staff/route.ts': { permission: 'staff:manage', scoped: false },
  'PATCH s/[service]/staff/[userId]/route.ts': { permission: 'staff:manage', scoped: false },
  'POST s/[service]/staff/[userId]/status/route.ts': { permission: 'staff:manage', scoped: false },
  'DELETE s/[service]/staff/[userId]/sessions/route.ts': { permission: 'staff:manage', scoped: false },
  'GET s/[service]/audit/chain/route.ts': { permission: 'audit:read', scoped: false },
  'DELETE s/[service]/incidents/clients/[clientId]/lock/route.ts': { permission: 'incidents:revoke', scoped: false },
  'GET s/[service]/incidents/revocations/route.ts': { permission: 'incidents:revoke', scoped: false },
  'POST s/[service]/incidents/revocations/route.ts': { permission: 'incidents:revoke', scoped: false },
  'GET s/[service]/incidents/revocations/[jobId]/route.ts': { permission: 'incidents:revoke', scoped: false },
  'POST s/[service]/incidents/revocations/[jobId]/control/route.ts': { permission: 'incidents:revoke', scoped: false },
  'POST s/[service]/incidents/revocations/[jobId]/preview/route.ts': { permission: 'incidents:revoke', scoped: false },
  'GET s/[service]/incidents/revocations/[jobId]/report/route.ts': { permission: 'incidents:revoke', scoped: false },
  'POST s/[service]/incidents/revocations/[jobId]/start/route.ts': { permission: 'incidents:revoke', scoped: false },
  'POST s/[service]/incidents/revocations/[jobId]/subjects/route.ts': { permission: 'incidents:revoke', scoped: false },
  'GET s/[service]/subjects/[subject]/activity/route.ts': { permission: 'tokens:read', scoped: true },
  'GET s/[service]/tokens/[hash]/history/route.ts': { permission: 'tokens:read', scoped: true },
  'GET s/[service]/offboardings/route.ts': { permission: 'tokens:read', scoped: true },
  'GET s/[service]/subjects/[subject]/apps/route.ts': { permission: 'tokens:read', scoped: true },
  'POST s/[service]/subjects/[subject]/apps/[clientId]/forget-consent/route.ts': {
    permission: 'tokens:write',
    scoped: true,
  },
  'POST s/[service]/subjects/[subject]/apps/[clientId]/narrow/route.ts': { permission: 'tokens:write', scoped: true },
  'POST s/[service]/subjects/[subject]/apps/[clientId]/revoke/route.ts': { permission: 'tokens:revoke', scoped: true },
  'GET s/[service]/subjects/[subject]/offboard/route.ts': { permission: 'tokens:read', scoped: false },
  'GET s/[service]/subjects/[subject]/offboardings/route.ts': { permission: 'tokens:read', scoped: false },
  'POST s/[service]/subjects/[subject]/offboard/route.ts': { permission: 'subjects:offboard', scoped: false },
  'GET s/[service]/subjects/[subject]/offboard/[jobId]/route.ts': { permission: 'tokens:read', scoped: false },
  'POST s/[service]/subjects/[subject]/offboard/[jobId]/retry/route.ts': {
    permission: 'subjects:offboard',
    scoped: false,
  },
  'PUT session/locale/route.ts': { permission: 'account:self', scoped: true },
  'PUT session/time-zone/route.ts': { permission: 'account:self', scoped: true },
  'GET account/security/route.ts': { permission: 'account:self', scoped: true },
  'POST account/step-up/route.ts': { permission: 'account:self', scoped: true },
  'GET account/step-up/passkey/route.ts': { permission: 'account:self', scoped: true },
  'GET account/passkeys/route.ts': { permission: 'account:self', scoped: true },
  'GET account/passkeys/options/route.ts': { permission: 'account:self', scoped: true },
  'DELETE account/passkeys/[id]/route.ts': { permission: 'account:self', scoped: true },
  'GET s/[service]/approvals/route.ts': { permission: 'approvals:request', scoped: true },
  'POST s/[service]/approvals/[id]/[decision]/route.ts': { permission: 'approvals:decide', scoped: false },
  'DELETE s/[service]/staff/[userId]/second-factor/route.ts': { permission: 'staff:manage', scoped: false },
};

/** Route files that do not go through route(): sign-in, health, the cron bearer, the session read. */
const outsideRouteWrapper = [
  'auth/[...all]/route.ts',
  'cron/jobs/route.ts',
  'health/live/route.ts',
  'health/ready/route.ts',
  'health/route.ts',
  'session/route.ts',
];

const params: Record<string, string> = {
  hash: 'A'.repeat(43),
  exportId: crypto.randomUUID(),
  jobId: crypto.randomUUID(),
  seq: '0',
  service: 'default',
  id: crypto.randomUUID(),
  userId: crypto.randomUUID(),
  subject: 'access-matrix',
  clientId: '917364',
  decision: 'approve',
  endpointId: `ep_${'0'.repeat(32)}`,
  deliveryId: `msg_${'0'.repeat(32)}`,
  slug: 'access-matrix',
};

const roles: Role[] = ['viewer', 'support', 'admin'];
type Scope = 'all' | 'scoped';
const exchanges: Exchange[] = [];
let emulator: TestEmulator;
const cookies = {} as Record<`${Role}:${Scope}`, string>;
const handlers = new Map<string, RouteHandler>();

async function scopedCookie(role: Role, scope: Scope): Promise<string> {
  const email = `${role}-${scope}@desk.test`;
  const cookie = await sessionCookieFor(role, email);
  const user = await findUser(await getDb(), email);
  if (scope === 'scoped')
    await (
      await getDb()
    )
      .insert(staffGrant)
      .values({ userId: user!.id, service: 'default', role, clientIds: PERMITTED });
  return cookie;
}

beforeAll(async () => {
  emulator = await startTestEmulator({ onExchange: (exchange) => exchanges.push(exchange) });
  useTestEmulatorUpstream(emulator);
  for (const role of roles)
    for (const scope of ['all', 'scoped'] as const) cookies[`${role}:${scope}`] = await scopedCookie(role, scope);
  for (const key of Object.keys(routes)) {
    const [method, file] = key.split(' ') as [string, string];
    const routeModule = (await import(/* @vite-ignore */ path.join(import.meta.dirname, file))) as Record<
      string,
      RouteHandler
    >;
    handlers.set(key, routeModule[method]!);
  }
}, 600_000);
afterAll(() => emulator?.close());

async function send(
  key: string,
  cookie: string,
  { query = '', body, params: given }: { query?: string; body?: unknown; params?: Record<string, string> } = {},
) {
  const [method, file] = key.split(' ') as [string, string];
  const response = await handlers.get(key)!(
    new Request(`${TEST_APP_URL}/api/${file.replace(/\/?route\.ts$/, '')}${query}`, {
      method,
      headers: {
        'sec-fetch-site': 'same-origin',
        'user-agent': 'vitest',
        cookie,
        ...(method === 'GET' ? {} : { 'content-type': 'application/json' }),
      },
      ...(method === 'GET' ? {} : { body: JSON.stringify(body ?? {}) }),
    }),
    { params: Promise.resolve({ ...params, ...given }) },
  );
  const text = await response.text();
  return { status: response.status, json: text.startsWith('{') ? JSON.parse(text) : text };
}

describe('role x scope x route matrix', () => {
  it('lists every route file and method', () => {
    const root = import.meta.dirname;
    const found = readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('route.ts'))
      .map((file) => file.split(path.sep).join('/'));
    const listed = new Set(Object.keys(routes).map((key) => key.split(' ')[1]));
    expect([...found].sort()).toEqual([...listed, ...outsideRouteWrapper].sort());
    for (const file of found.filter((file) => !outsideRouteWrapper.includes(file))) {
      const source = readFileSync(path.join(root, file), 'utf8');
      const methods = [...source.matchAll(/^export const (GET|POST|PUT|PATCH|DELETE) = route\(/gm)].map((m) => m[1]);
      expect(methods.sort(), file).toEqual(
        Object.keys(routes)
          .filter((key) => key.endsWith(` ${file}`))
          .map((key) => key.split(' ')[0])
          .sort(),
      );
    }
  });

  it('refuses what the role lacks, and whole-service routes to scoped people, before any upstream call', async () => {
    for (const [key, row] of Object.entries(routes)) {
      for (const role of roles) {
        for (const scope of ['all', 'scoped'] as const) {
          const before = exchanges.length;
          const { status, json } = await send(key, cookies[`${role}:${scope}`]);
          const label = `${key} as ${role} (${scope})`;
          if (!can(role, row.permission)) {
            expect([status, json.error?.code], label).toEqual([403, 'forbidden']);
          } else if (scope === 'scoped' && !row.scoped) {
            expect([status, json.error?.code], label).toEqual([403, 'all_clients_required']);
          } else {
            expect(['forbidden', 'all_clients_required', 'unauthenticated'], label).not.toContain(json.error?.code);
            continue;
          }
          expect(exchanges.length, `${label} reached Authlete`).toBe(before);
        }
      }
    }
  }, 600_000);
});

/** Upstream calls that name or act on a client, with the client they name (undefined = none). */
function clientsNamed(exchange: Exchange): Array<string | undefined> {
  const url = new URL(exchange.url, 'http://emulator');
  const body = exchange.requestBody ? (JSON.parse(exchange.requestBody) as Record<string, unknown>) : {};
  if (url.pathname.endsWith('/auth/token/get/list')) return [url.searchParams.get('clientIdentifier') ?? undefined];
  if (url.pathname.endsWith('/auth/token/revoke') && body.subject !== undefined)
    return [body.clientIdentifier as string | undefined];
  if (url.pathname.endsWith('/auth/token/create')) return [String(body.clientId)];
  // An app of a subject: the client is the last path segment.
  const app = /\/client\/(?:authorization\/(?:update|delete)|granted_scopes\/(?:get|delete))\/([^/]+)$/.exec(
    url.pathname,
  );
  if (app) return [decodeURIComponent(app[1]!)];
  return [];
}

describe('a person scoped to two clients', () => {
  it('never causes an upstream call about another client, and never sees its tokens', async () => {
    // Subjects that have tokens with both permitted and other clients.
    const adminList = await send('GET s/[service]/tokens/route.ts', cookies['admin:all'], {
      query: '?pageSize=100&status=all',
    });
    const subjects = [
      ...new Set((adminList.json.tokens as Array<{ subject?: string }>).map((token) => token.subject).filter(Boolean)),
    ].slice(0, 8) as string[];
    const hashes = (adminList.json.tokens as Array<{ accessTokenHash: string }>).map((token) => token.accessTokenHash);
    const anyClient = fc.option(fc.constantFrom(...PERMITTED, ...OTHERS), { nil: undefined });
    const action = fc.oneof(
      fc.record({
        kind: fc.constant('list' as const),
        clientId: anyClient,
        subject: fc.option(fc.constantFrom(...subjects), { nil: undefined }),
        page: fc.integer({ min: 1, max: 3 }),
      }),
      fc.record({
        kind: fc.constant('find' as const),
        hash: fc.constantFrom(...hashes),
        clientId: anyClient,
        subject: fc.option(fc.constantFrom(...subjects), { nil: undefined }),
      }),
      fc.record({
        kind: fc.constant('revokeAll' as const),
        subject: fc.constantFrom(...subjects),
        clientId: anyClient,
      }),
      fc.record({ kind: fc.constant('create' as const), clientId: fc.constantFrom(...PERMITTED, ...OTHERS) }),
      fc.record({ kind: fc.constant('apps' as const), subject: fc.constantFrom(...subjects) }),
      fc.record({
        kind: fc.constantFrom('appRevoke' as const, 'appForget' as const, 'appNarrow' as const),
        subject: fc.constantFrom(...subjects),
        clientId: fc.constantFrom(...PERMITTED, ...OTHERS),
      }),
    );
    await fc.assert(
      fc.asyncProperty(action, fc.constantFrom(...roles), async (step, role) => {
        const cookie = cookies[`${role}:scoped`];
        const before = exchanges.length;
        const qs = (values: Record<string, string | number | undefined>) =>
          '?' +
          new URLSearchParams(
            Object.entries(values)
              .filter(([, v]) => v !== undefined)
              .map(([k, v]) => [k, String(v)]),
          ).toString();
        let seen: Array<{ clientId: string }> = [];
        if (step.kind === 'list') {
          const { json } = await send('GET s/[service]/tokens/route.ts', cookie, {
            query: qs({ clientId: step.clientId, subject: step.subject, page: step.page, pageSize: 20, status: 'all' }),
          });
          seen = json.tokens ?? [];
        } else if (step.kind === 'find') {
          const { json } = await send('GET s/[service]/tokens/[hash]/route.ts', cookie, {
            query: qs({ clientId: step.clientId, subject: step.subject }),
          });
          if (json.token) seen = [json.token];
        } else if (step.kind === 'revokeAll') {
          await send('POST s/[service]/revocations/route.ts', cookie, {
            body: { subject: step.subject, clientId: step.clientId, reason: 'property test' },
          });
        } else if (step.kind === 'create') {
          await send('POST s/[service]/tokens/route.ts', cookie, {
            body: { grantType: 'CLIENT_CREDENTIALS', clientId: step.clientId, scopes: [] },
          });
        } else if (step.kind === 'apps') {
          const { json } = await send('GET s/[service]/subjects/[subject]/apps/route.ts', cookie, {
            params: { subject: step.subject },
          });
          seen = json.apps ?? [];
        } else {
          const route = {
            appRevoke: 'POST s/[service]/subjects/[subject]/apps/[clientId]/revoke/route.ts',
            appForget: 'POST s/[service]/subjects/[subject]/apps/[clientId]/forget-consent/route.ts',
            appNarrow: 'POST s/[service]/subjects/[subject]/apps/[clientId]/narrow/route.ts',
          }[step.kind];
          const { status, json } = await send(route, cookie, {
            params: { subject: step.subject, clientId: step.clientId },
            body: step.kind === 'appNarrow' ? { scopes: [], reason: 'property test' } : { reason: 'property test' },
          });
          if (!PERMITTED.includes(step.clientId)) {
            expect([status, ['forbidden', 'client_not_permitted'].includes(json.error?.code)], route).toEqual([
              403,
              true,
            ]);
          }
        }
        for (const token of seen) expect(PERMITTED, 'a token of another client was shown').toContain(token.clientId);
        for (const exchange of exchanges.slice(before)) {
          for (const clientId of clientsNamed(exchange)) {
            expect(clientId, `${exchange.method} ${exchange.url} names no permitted client`).toBeDefined();
            expect(PERMITTED).toContain(clientId);
          }
        }
      }),
      { numRuns: 60 },
    );
  }, 600_000);

  it('reads only audit entries about their clients; an all-clients admin reads them all', async () => {
    for (const clientId of [PERMITTED[0]!, OTHERS[0]!])
      await recordAudit({ action: 'token.revoke', outcome: 'success', target: { clientId, subject: 'audit-scope' } });
    const scoped = await send('GET s/[service]/audit/route.ts', cookies['admin:scoped'], {
      query: '?subject=audit-scope',
    });
    expect(scoped.json.entries.map((entry: { target: { clientId: string } }) => entry.target.clientId)).toEqual([
      PERMITTED[0],
    ]);
    const all = await send('GET s/[service]/audit/route.ts', cookies['admin:all'], { query: '?subject=audit-scope' });
    expect(all.json.entries).toHaveLength(2);
  });

  it('gets only their clients in client pickers', async () => {
    const { json } = await send('GET s/[service]/clients/route.ts', cookies['viewer:scoped']);
    expect(json.clients.map((client: { clientId: string }) => client.clientId).sort()).toEqual([...PERMITTED].sort());
  });

  it('never introspects a pasted value of another client: its expired token is not deleted by a lookup', async () => {
    const authlete = (await import('@/server/services')).authleteFor('default');
    const lookup = (value: string, cookie: string) =>
      send('POST s/[service]/tokens/lookup/route.ts', cookie, { body: { token: value } });
    const expiredOf = async (clientId: string) => {
      const created = await authlete.createToken({
        grantType: 'PASSWORD',
        clientId,
        subject: `introspect-${clientId}`,
        scopes: ['openid'],
      });
      await authlete.updateToken(created.token.accessTokenHash, { accessTokenExpiresAt: Date.now() - 60_000 });
      return created;
    };
    const other = await expiredOf(OTHERS[1]!);
    const before = exchanges.length;
    const refused = await lookup(other.accessToken, cookies['support:scoped']);
    expect([refused.status, refused.json.error?.code]).toEqual([404, 'not_found']);
    expect(exchanges.slice(before).some((exchange) => exchange.url.includes('/auth/introspection'))).toBe(false);
    // Still there: an all-clients person's lookup finds it (and, as Authlete does, deletes it by introspecting).
    const found = await lookup(other.accessToken, cookies['support:all']);
    expect([found.status, found.json.state]).toEqual([200, 'expired']);

    // A permitted client's expired token is found and reported as expired.
    const mine = await expiredOf(PERMITTED[0]!);
    const own = await lookup(mine.accessToken, cookies['support:scoped']);
    expect([own.status, own.json.state, own.json.token?.clientId]).toEqual([200, 'expired', PERMITTED[0]]);
  });

  it('sees every service on the services page, without token totals that would count other clients', async () => {
    const scoped = await send('GET s/[service]/services/route.ts', cookies['viewer:scoped']);
    expect(scoped.json.services.length).toBeGreaterThan(0);
    expect(scoped.json.services.every((row: { totalTokens: unknown }) => row.totalTokens === null)).toBe(true);
    const all = await send('GET s/[service]/services/route.ts', cookies['viewer:all']);
    expect(all.json.services.every((row: { totalTokens: unknown }) => typeof row.totalTokens === 'number')).toBe(true);
  });

  it('counts tokens on the overview only for their clients', async () => {
    const { json } = await send('GET s/[service]/overview/route.ts', cookies['viewer:scoped']);
    expect(json.clients.map((client: { clientId: string }) => client.clientId).sort()).toEqual([...PERMITTED].sort());
  });
});
