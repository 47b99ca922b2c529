/**
 * Token changes Authlete answers with more than "OK": scopes it dropped on update, and a rotated
 * value (shown once, never stored or logged). Against the emulator, through the real wrapper.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Base64Url } from '@/lib/hash';
import type { AuditRecord } from '@/lib/schemas/audit';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import { sessionCookiesFor, TEST_APP_URL, useTestEmulatorUpstream, type RouteHandler } from '@/server/testing/routes';
import * as hashRoute from './[hash]/route';
import * as hashRotateRoute from './[hash]/rotate/route';
import { authleteFor } from '@/server/services';
import { listAudit } from '@/server/audit';

let emulator: TestEmulator;
let tokenRoute: { PATCH: RouteHandler };
let rotateRoute: { POST: RouteHandler };
let cookies: Record<'admin' | 'support', string>;
let upstream: import('@/server/authlete').AuthleteClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  useTestEmulatorUpstream(emulator);
  tokenRoute = hashRoute as never;
  rotateRoute = hashRotateRoute as never;
  cookies = await sessionCookiesFor(['admin', 'support']);
  upstream = authleteFor('default');
});
afterAll(() => emulator?.close());

async function call(
  handler: RouteHandler,
  method: string,
  path: string,
  hash: string,
  body: unknown,
  role: 'admin' | 'support' = 'admin',
) {
  const response = await handler(
    new Request(`${TEST_APP_URL}${path}`, {
      method,
      headers: {
        'sec-fetch-site': 'same-origin',
        'user-agent': 'vitest',
        cookie: cookies[role],
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({ hash }) },
  );
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined, text };
}

async function lastAudit(): Promise<AuditRecord> {
  const { entries } = await listAudit({ page: 1, pageSize: 10 } as never);
  return entries[0]!;
}

/** A token of the legacy kiosk client, whose requestable scopes are openid, profile and accounts.read. */
async function kioskToken() {
  const subject = `user-${crypto.randomUUID().slice(0, 8)}`;
  const created = await upstream.createToken({
    grantType: 'PASSWORD',
    clientId: '917364',
    subject,
    scopes: ['openid'],
  });
  return { created, subject, hash: created.token.accessTokenHash };
}

describe('PATCH /api/tokens/{hash}: scopes Authlete dropped', () => {
  it('names the requested scopes the client may not request, and keeps them out of the token and the audit', async () => {
    const { hash, subject } = await kioskToken();
    const { status, json } = await call(
      tokenRoute.PATCH,
      'PATCH',
      `/api/tokens/${hash}?clientId=917364&subject=${subject}`,
      hash,
      {
        scopes: ['openid', 'accounts.read', 'email', 'payments.write'],
      },
    );
    expect(status).toBe(200);
    expect(json.token.scopes).toEqual(['openid', 'accounts.read']);
    expect(json.droppedScopes).toEqual(['email', 'payments.write']);
    expect(await lastAudit()).toMatchObject({
      action: 'token.update',
      outcome: 'success',
      details: { after: { scopes: ['openid', 'accounts.read'], droppedScopes: ['email', 'payments.write'] } },
    });
  });

  it('answers an empty list when every scope was kept', async () => {
    const { hash, subject } = await kioskToken();
    const { json } = await call(
      tokenRoute.PATCH,
      'PATCH',
      `/api/tokens/${hash}?clientId=917364&subject=${subject}`,
      hash,
      { scopes: ['profile'] },
    );
    expect(json).toMatchObject({ token: { scopes: ['profile'] }, droppedScopes: [] });
  });
});

describe('POST /api/tokens/{hash}/rotate', () => {
  it('replaces the value: the new one is answered once, the old stops working, the audit keeps only hashes', async () => {
    const { created, hash, subject } = await kioskToken();
    const { status, json, text } = await call(
      rotateRoute.POST,
      'POST',
      `/api/tokens/${hash}/rotate?clientId=917364&subject=${subject}`,
      hash,
      {
        reason: 'Value leaked in a log, ticket 42',
      },
    );
    expect(status).toBe(200);
    expect(json.accessToken).toEqual(expect.any(String));
    expect(json.accessToken).not.toBe(created.accessToken);
    const newHash = await sha256Base64Url(json.accessToken);
    expect(json).toMatchObject({
      previousHash: hash,
      token: { accessTokenHash: newHash, subject, clientId: '917364', scopes: ['openid'] },
    });

    expect((await upstream.introspectToken(created.accessToken)).state).toBe('unknown');
    expect(await upstream.introspectToken(json.accessToken)).toMatchObject({ state: 'active', subject });
    expect((await upstream.findToken(newHash, { subject })).token.clientId).toBe('917364');

    const audit = await lastAudit();
    expect(audit).toMatchObject({
      action: 'token.rotate',
      outcome: 'success',
      reason: 'Value leaked in a log, ticket 42',
      target: { tokenHash: hash, subject, clientId: '917364' },
      details: { after: { accessTokenHash: newHash } },
    });
    expect(JSON.stringify(audit)).not.toContain(json.accessToken);
    expect(text).toContain(json.accessToken);
  });

  it('is for admins only, needs a reason and the client, and touches nothing otherwise', async () => {
    const { hash, subject } = await kioskToken();
    const path = `/api/tokens/${hash}/rotate?clientId=917364&subject=${subject}`;
    await emulator.resetStats();
    const support = await call(rotateRoute.POST, 'POST', path, hash, { reason: 'x' }, 'support');
    expect(support.status).toBe(403);
    expect(await lastAudit()).toMatchObject({ action: 'auth.denied', errorCode: 'forbidden' });
    const noReason = await call(rotateRoute.POST, 'POST', path, hash, {});
    expect(noReason.status).toBe(400);
    expect(noReason.json.error.details.fieldErrors.reason).toBeDefined();
    const noClient = await call(rotateRoute.POST, 'POST', `/api/tokens/${hash}/rotate?subject=${subject}`, hash, {
      reason: 'x',
    });
    expect(noClient.status).toBe(400);
    expect((await emulator.stats()).operations.auth_token_update_api).toBeUndefined();
  });
});
