/**
 * Authorized apps routes against the emulator: the list (expired-but-unswept tokens counted,
 * consent preferred over token scopes), revoke / narrow / forget with Authlete's count and the
 * audit entry, unknown and other-service clients as 404, a person with no apps, the timeline, and
 * every route's role test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '@/lib/schemas/audit';
import type { AuthleteClient } from '@/server/authlete';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import { sessionCookiesFor, TEST_APP_URL, useTestEmulatorUpstream, type RouteHandler } from '@/server/testing/routes';
import * as listRoute from './route';
import * as revokeRoute from './[clientId]/revoke/route';
import * as narrowRoute from './[clientId]/narrow/route';
import * as forgetRoute from './[clientId]/forget-consent/route';
import * as activityRoute from '../activity/route';

const WEB_BANKING = '26888344961664';
const IOS_APP = '1734526871';
const ANDROID_APP = '1734526872';
/** A client of the emulator's sandbox service, not of the demo service Token Desk manages here. */
const OTHER_SERVICE_CLIENT = '88000001';

let emulator: TestEmulator;
let authlete: AuthleteClient;
let cookies: Record<'viewer' | 'support' | 'admin', string>;
let listAudit: typeof import('@/server/audit').listAudit;

const handler = (module: unknown, method: 'GET' | 'POST') => (module as Record<string, RouteHandler>)[method]!;

async function call(
  module: unknown,
  method: 'GET' | 'POST',
  params: Record<string, string>,
  { cookie, body, query = '' }: { cookie?: string; body?: unknown; query?: string } = {},
) {
  const response = await handler(module, method)(
    new Request(`${TEST_APP_URL}/api/s/default/subjects/x/apps${query}`, {
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

async function issue(subject: string, clientId: string, scopes: string[], accessTokenDuration = 3600) {
  await authlete.createToken({
    grantType: 'AUTHORIZATION_CODE',
    clientId,
    subject,
    scopes,
    accessTokenDuration,
    refreshTokenDuration: 86_400,
    properties: [],
  } as never);
}

async function lastAudit(): Promise<AuditRecord> {
  const { entries } = await listAudit({ page: 1, pageSize: 20 } as never);
  return entries[0]!;
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
}, 120_000);
afterAll(() => emulator?.close());

describe('GET /api/s/[service]/subjects/[subject]/apps', () => {
  it('lists one row per client with consent scopes, valid and expired-but-unswept counts, last activity', async () => {
    const subject = 'apps-list-ana';
    await issue(subject, WEB_BANKING, ['openid', 'accounts.read']);
    await issue(subject, WEB_BANKING, ['openid', 'payments.read']);
    await issue(subject, IOS_APP, ['openid'], 1);
    // The iOS token's access token expires; its refresh token keeps it from being swept.
    const moved = await fetch(`${emulator.url}/__emulator/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: 5_000 }),
    });
    expect(moved.ok).toBe(true);

    const { status, json } = await call(listRoute, 'GET', { subject }, { cookie: cookies.viewer });
    expect(status).toBe(200);
    expect(json.subject).toBe(subject);
    expect(json.totalCount).toBe(2);
    const web = json.apps.find((app: { clientId: string }) => app.clientId === WEB_BANKING);
    const ios = json.apps.find((app: { clientId: string }) => app.clientId === IOS_APP);
    expect(web).toMatchObject({
      clientName: 'Web Banking',
      scopesFrom: 'consent',
      scopes: ['openid', 'accounts.read', 'payments.read'],
      tokens: { valid: 2, expired: 0 },
    });
    expect(web.lastActivityAt).toBeGreaterThan(0);
    expect(ios).toMatchObject({ tokens: { valid: 0, expired: 1 }, scopes: ['openid'] });
  });

  it('answers an empty list for a person with no apps', async () => {
    const { status, json } = await call(listRoute, 'GET', { subject: 'nobody-at-all' }, { cookie: cookies.viewer });
    expect(status).toBe(200);
    expect(json).toEqual({ subject: 'nobody-at-all', apps: [], totalCount: 0 });
  });

  it('decodes the subject from the address and refuses a badly encoded one with 400', async () => {
    await issue('apps/slash', ANDROID_APP, ['openid']);
    const ok = await call(listRoute, 'GET', { subject: 'apps%2Fslash' }, { cookie: cookies.viewer });
    expect(ok.status).toBe(200);
    expect(ok.json.apps.map((app: { clientId: string }) => app.clientId)).toEqual([ANDROID_APP]);
    const bad = await call(listRoute, 'GET', { subject: '%E0%A4%A' }, { cookie: cookies.viewer });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('validation_failed');
  });

  it('refuses a signed-out request with 401', async () => {
    expect((await call(listRoute, 'GET', { subject: 'x' })).status).toBe(401);
  });
});

describe('app actions', () => {
  it('revoke: support deletes every token of the person for the client, audited with Authlete’s count', async () => {
    const subject = 'apps-revoke-bo';
    await issue(subject, WEB_BANKING, ['openid']);
    await issue(subject, WEB_BANKING, ['openid', 'email']);
    await issue(subject, IOS_APP, ['openid']);
    const { status, json } = await call(
      revokeRoute,
      'POST',
      { subject, clientId: WEB_BANKING },
      { cookie: cookies.support, body: { reason: 'ticket 77' } },
    );
    expect(status).toBe(200);
    expect(json.count).toBe(2);
    expect(await lastAudit()).toMatchObject({
      action: 'app.revoke',
      outcome: 'success',
      target: { subject, clientId: WEB_BANKING },
      count: 2,
      reason: 'ticket 77',
    });
    const after = await call(listRoute, 'GET', { subject }, { cookie: cookies.viewer });
    expect(after.json.apps.map((app: { clientId: string }) => app.clientId)).toEqual([IOS_APP]);
  });

  it('narrow: replaces the scopes on the person’s tokens for the client; consent is kept', async () => {
    const subject = 'apps-narrow-cy';
    await issue(subject, WEB_BANKING, ['openid', 'accounts.read', 'payments.read']);
    const { status, json } = await call(
      narrowRoute,
      'POST',
      { subject, clientId: WEB_BANKING },
      { cookie: cookies.admin, body: { reason: 'least privilege', scopes: ['openid'] } },
    );
    expect(status).toBe(200);
    expect(json.count).toBe(1);
    const { tokens } = await authlete.listTokens({ subject, clientId: WEB_BANKING, status: 'all' }, 0, 5);
    expect(tokens.map((token) => token.scopes)).toEqual([['openid']]);
    expect(await lastAudit()).toMatchObject({ action: 'app.narrow', count: 1, target: { subject } });
  });

  it('narrow never broadens: a scope the app does not have now is refused, and nothing changes', async () => {
    const subject = 'apps-narrow-broaden';
    await issue(subject, WEB_BANKING, ['openid', 'accounts.read']);
    const { status, json } = await call(
      narrowRoute,
      'POST',
      { subject, clientId: WEB_BANKING },
      { cookie: cookies.admin, body: { reason: 'sneaky', scopes: ['openid', 'payments.write'] } },
    );
    expect(status).toBe(400);
    expect(json.error).toMatchObject({ code: 'validation_failed', details: { added: ['payments.write'] } });
    const { tokens } = await authlete.listTokens({ subject, clientId: WEB_BANKING, status: 'all' }, 0, 5);
    expect(tokens.map((token) => token.scopes)).toEqual([['openid', 'accounts.read']]);
    expect(await lastAudit()).toMatchObject({ action: 'app.narrow', outcome: 'failure', target: { subject } });
  });

  it('forget consent: deletes the record, leaves the tokens, and says so in the audit', async () => {
    const subject = 'apps-forget-di';
    await issue(subject, IOS_APP, ['openid', 'profile']);
    const { status, json } = await call(
      forgetRoute,
      'POST',
      { subject, clientId: IOS_APP },
      { cookie: cookies.admin, body: { reason: 'user asked' } },
    );
    expect(status).toBe(200);
    expect(json.count).toBe(1);
    const consent = await authlete.getGrantedScopes(subject, IOS_APP);
    expect(consent.latestGrantedScopes).toBeNull();
    const list = await call(listRoute, 'GET', { subject }, { cookie: cookies.viewer });
    expect(list.json.apps[0]).toMatchObject({ scopesFrom: 'tokens', tokens: { valid: 1 } });
    expect(await lastAudit()).toMatchObject({
      action: 'consent.forget',
      count: 1,
      target: { subject, clientId: IOS_APP },
    });
  });

  it.each([
    ['an unknown client', '999999999'],
    ['a client of another service', OTHER_SERVICE_CLIENT],
  ])('answers 404 not_found for %s, on every action, and audits the failure', async (_, clientId) => {
    for (const [module, body] of [
      [revokeRoute, { reason: 'r' }],
      [narrowRoute, { reason: 'r', scopes: ['openid'] }],
      [forgetRoute, { reason: 'r' }],
    ] as const) {
      const { status, json } = await call(
        module,
        'POST',
        { subject: 'anyone', clientId },
        { cookie: cookies.admin, body },
      );
      expect(status).toBe(404);
      expect(json.error.code).toBe('not_found');
      expect(await lastAudit()).toMatchObject({ outcome: 'failure', errorCode: 'not_found', target: { clientId } });
    }
  });

  it('refuses a body without a reason with 400 and changes nothing', async () => {
    const subject = 'apps-noreason';
    await issue(subject, IOS_APP, ['openid']);
    const { status } = await call(
      revokeRoute,
      'POST',
      { subject, clientId: IOS_APP },
      { cookie: cookies.admin, body: {} },
    );
    expect(status).toBe(400);
    const list = await call(listRoute, 'GET', { subject }, { cookie: cookies.viewer });
    expect(list.json.apps).toHaveLength(1);
  });
});

describe('roles', () => {
  const body = { reason: 'role test', scopes: ['openid'] };
  it.each([
    ['viewer', revokeRoute, 403],
    ['viewer', narrowRoute, 403],
    ['viewer', forgetRoute, 403],
    ['support', narrowRoute, 403],
    ['support', forgetRoute, 403],
  ] as const)('%s is refused (%#)', async (role, module, expected) => {
    const { status, json } = await call(
      module,
      'POST',
      { subject: 'apps-roles', clientId: IOS_APP },
      { cookie: cookies[role], body: module === narrowRoute ? body : { reason: body.reason } },
    );
    expect(status).toBe(expected);
    expect(json.error.code).toBe('forbidden');
    expect(await lastAudit()).toMatchObject({ action: 'auth.denied', outcome: 'failure' });
  });

  it('viewer reads apps and activity; support revokes', async () => {
    expect((await call(listRoute, 'GET', { subject: 'apps-roles' }, { cookie: cookies.viewer })).status).toBe(200);
    expect((await call(activityRoute, 'GET', { subject: 'apps-roles' }, { cookie: cookies.viewer })).status).toBe(200);
    await issue('apps-roles', IOS_APP, ['openid']);
    const revoked = await call(
      revokeRoute,
      'POST',
      { subject: 'apps-roles', clientId: IOS_APP },
      { cookie: cookies.support, body: { reason: 'support may' } },
    );
    expect(revoked.status).toBe(200);
  });
});

describe('GET /api/s/[service]/subjects/[subject]/activity', () => {
  it('lists the person’s audit entries newest first, and only theirs', async () => {
    const subject = 'apps-activity-ed';
    await issue(subject, IOS_APP, ['openid']);
    await call(
      revokeRoute,
      'POST',
      { subject, clientId: IOS_APP },
      { cookie: cookies.support, body: { reason: 'one' } },
    );
    await call(forgetRoute, 'POST', { subject, clientId: IOS_APP }, { cookie: cookies.admin, body: { reason: 'two' } });
    const { status, json } = await call(
      activityRoute,
      'GET',
      { subject },
      { cookie: cookies.viewer, query: '?page=1' },
    );
    expect(status).toBe(200);
    expect(json.entries.map((entry: AuditRecord) => entry.action)).toEqual(['consent.forget', 'app.revoke']);
    expect(json.entries.every((entry: AuditRecord) => entry.target.subject === subject)).toBe(true);
    expect(json.totalCount).toBe(2);
  });
});
