/**
 * Where the emulator must behave like Authlete in ways a customer would notice (issue 18): ownership,
 * the locked-client code, subject rules per grant type, clientIdentifier on create, requestable
 * scopes on update, update by refresh token and value rotation, the movable clock and the sweep,
 * and statuses limited to those Authlete's OpenAPI lists.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_SERVICE_ACCESS_TOKEN, SANDBOX_SERVICE_ID } from './seed';
import { type ApiResponse, type TestEmulator, startTestEmulator } from '@/server/testing/emulator-http';

const sha = (v: string) => createHash('sha256').update(v).digest('base64url');
const DAY = 86_400_000;
const WEB = 26888344961664; // web-banking: requestable scopes exclude invoices.*
const BILLING = 44217; // billing-batch (CLIENT_CREDENTIALS)
const LEDGER = 44218; // ledger-sync (JWT_BEARER)
const SANDBOX_WEB = 88000001;

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu?.close();
});

const sandbox = (path: string, json: unknown) =>
  emu.call(`/api/${SANDBOX_SERVICE_ID}${path}`, { json, token: SANDBOX_SERVICE_ACCESS_TOKEN });
const create = (json: Record<string, unknown>) =>
  emu.api('/auth/token/create', {
    json: { grantType: 'AUTHORIZATION_CODE', clientId: WEB, subject: 'fidelity', ...json },
  });
const update = (json: Record<string, unknown>) => emu.api('/auth/token/update', { json });
const list = (query: string) => emu.api(`/auth/token/get/list?${query}`);
const clock = (json: unknown) => emu.call('/__emulator/clock', { json });

function expectAction(res: ApiResponse, action: string, code: string) {
  expect(res.status, res.text).toBe(200);
  expect(res.body.action).toBe(action);
  expect(res.body.resultCode).toBe(code);
}

describe('ownership and result codes', () => {
  it("refuses another service's client on create with action FORBIDDEN, not as unknown", async () => {
    expectAction(await create({ clientId: SANDBOX_WEB }), 'FORBIDDEN', 'A109214');
    // A client id no service has is still "does not exist".
    const unknown = await create({ clientId: 99999999 });
    expect([unknown.status, unknown.body.resultCode]).toEqual([400, 'A109204']);
  });

  it("refuses another service's token on update with action FORBIDDEN, not NOT_FOUND", async () => {
    const theirs = await sandbox('/auth/token/create', {
      grantType: 'AUTHORIZATION_CODE',
      clientId: SANDBOX_WEB,
      subject: 'someone',
    });
    expect(theirs.status, theirs.text).toBe(200);
    expectAction(
      await update({ accessToken: String(theirs.body.accessToken), scopes: ['openid'] }),
      'FORBIDDEN',
      'A135204',
    );
    expectAction(await update({ accessTokenHash: sha('never-issued'), scopes: ['openid'] }), 'NOT_FOUND', 'A135301');
  });

  it('keeps A001215 for a locked client and gives other causes their own codes', async () => {
    const locked = await sandbox('/auth/token/create', {
      grantType: 'AUTHORIZATION_CODE',
      clientIdentifier: 'sandbox-locked',
      subject: 'x',
    });
    expectAction(locked, 'FORBIDDEN', 'A001215');
    const wrongService = await emu.api('/auth/token/get/list', { token: SANDBOX_SERVICE_ACCESS_TOKEN });
    expect([wrongService.status, wrongService.body.resultCode]).toEqual([403, 'A001219']);
    const noService = await emu.call('/api/999999/auth/token/get/list');
    expect([noService.status, noService.body.resultCode]).toEqual([403, 'A001206']);
  });
});

describe('create', () => {
  it('ignores the subject for CLIENT_CREDENTIALS: not stored, not listed', async () => {
    const res = await create({ grantType: 'CLIENT_CREDENTIALS', clientId: BILLING, subject: 'ignored-subject' });
    expect(res.status, res.text).toBe(200);
    expect(res.body.subject).toBeUndefined();
    expect((await list('subject=ignored-subject')).body.totalCount).toEqual(expect.objectContaining({ value: '0' }));
  });

  it('makes the subject optional for JWT_BEARER and required for the other grant types', async () => {
    const jwt = await create({ grantType: 'JWT_BEARER', clientId: LEDGER, subject: undefined });
    expect(jwt.status, jwt.text).toBe(200);
    expect(jwt.body.subject).toBeUndefined();
    const code = await create({ subject: undefined });
    expect([code.status, code.body.resultCode]).toEqual([400, 'A109205']);
  });

  it('accepts clientIdentifier (id or alias) in place of clientId', async () => {
    const byAlias = await create({ clientId: undefined, clientIdentifier: 'web-banking' });
    expect(byAlias.status, byAlias.text).toBe(200);
    expect(String(byAlias.body.clientId)).toBe(String(WEB));
    const byId = await create({ clientId: undefined, clientIdentifier: String(WEB) });
    expect(String(byId.body.clientId)).toBe(String(WEB));
    const unknown = await create({ clientId: undefined, clientIdentifier: 'no-such-alias' });
    expect([unknown.status, unknown.body.resultCode]).toEqual([400, 'A109204']);
  });
});

describe('update', () => {
  it('drops scopes the client may not request, as well as scopes the service does not support', async () => {
    const token = await create({ scopes: ['openid'] });
    const res = await update({
      accessToken: String(token.body.accessToken),
      scopes: ['openid', 'email', 'invoices.read', 'no-such-scope'],
    });
    expectAction(res, 'OK', 'A135001');
    expect(res.body.scopes).toEqual(['openid', 'email']);
  });

  it('finds the token by refresh token or its hash', async () => {
    const token = await create({ scopes: ['openid'] });
    const refresh = String(token.body.refreshToken);
    expect((await update({ refreshToken: refresh, scopes: ['email'] })).body.scopes).toEqual(['email']);
    const byHash = await update({ refreshTokenHash: sha(refresh), scopes: ['profile'] });
    expectAction(byHash, 'OK', 'A135001');
    expect(byHash.body.scopes).toEqual(['profile']);
    // No access token value was given and none was rotated: none is returned.
    expect(byHash.body.accessToken).toBeUndefined();
  });

  it('rotates the value with accessTokenValueUpdated: the new value is returned once and the old one is gone', async () => {
    const token = await create({ subject: 'rotate-me' });
    const old = String(token.body.accessToken);
    const rotated = await update({ accessTokenHash: sha(old), accessTokenValueUpdated: true });
    expectAction(rotated, 'OK', 'A135001');
    const value = String(rotated.body.accessToken);
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(value).not.toBe(old);
    expectAction(await update({ accessToken: old, scopes: ['openid'] }), 'NOT_FOUND', 'A135301');
    const listed = await list('subject=rotate-me');
    expect((listed.body.accessTokens as { accessTokenHash: string }[]).map((t) => t.accessTokenHash)).toEqual([
      sha(value),
    ]);
    const again = await update({ accessTokenHash: sha(value), scopes: ['openid'] });
    expect(again.body.accessToken).toBeUndefined();
  });
});

describe('clock and sweep', () => {
  it('moves only for loopback JSON calls and reports the time', async () => {
    const before = await emu.call('/__emulator/clock');
    expect(before.status).toBe(200);
    expect(Number(before.body.offsetMs)).toBe(0);
    expect((await clock({ advanceMs: 1, now: 1 })).status).toBe(400);
  });

  it('expires tokens as the clock moves, sweeps expired and 90-day-unused tokens, and counts an update as use', async () => {
    try {
      // No refresh token: swept once its access token has expired.
      const shortLived = await create({
        grantType: 'CLIENT_CREDENTIALS',
        clientId: BILLING,
        accessTokenDuration: 3600,
      });
      // Long-lived access and refresh tokens: only the 90-day rule can sweep them.
      const idle = await create({
        subject: 'sweep-idle',
        accessTokenDuration: 200 * 86400,
        refreshTokenDuration: 300 * 86400,
      });
      const used = await create({
        subject: 'sweep-used',
        accessTokenDuration: 200 * 86400,
        refreshTokenDuration: 300 * 86400,
      });
      const persistent = await create({ subject: 'sweep-persistent', accessTokenPersistent: true });
      const hashes = [shortLived, idle, used, persistent].map((t) => sha(String(t.body.accessToken)));
      const listed = async () => {
        const all = await list(`clientIdentifier=${BILLING}&tokenStatus=INVALID&end=20`);
        const subjects = await Promise.all(
          ['sweep-idle', 'sweep-used', 'sweep-persistent'].map((s) => list(`subject=${s}`)),
        );
        return [all, ...subjects].flatMap((r) =>
          (r.body.accessTokens as { accessTokenHash: string }[]).map((t) => t.accessTokenHash),
        );
      };

      // Two hours on: the short-lived token is INVALID and the sweep that follows the move removes it.
      const moved = await clock({ advanceMs: 2 * 3600_000 });
      expect(moved.status, moved.text).toBe(200);
      expect(Number((moved.body.swept as Record<string, unknown>).expired)).toBeGreaterThanOrEqual(1);
      expect(await listed()).toEqual(expect.not.arrayContaining([hashes[0]]));

      // 80 days on, one long-lived token is used (an update); 20 more days and the idle one is swept.
      await clock({ advanceMs: 80 * DAY });
      expectAction(await update({ accessTokenHash: hashes[2], scopes: ['openid'] }), 'OK', 'A135001');
      await clock({ advanceMs: 20 * DAY });
      const left = await listed();
      expect(left).not.toContain(hashes[1]);
      expect(left).toEqual(expect.arrayContaining([hashes[2], hashes[3]]));
    } finally {
      await clock({});
    }
  });
});

describe('statuses Authlete lists', () => {
  it('answers an unsupported content type and a non-JSON batch with 400, not 415', async () => {
    const create = await emu.api('/auth/token/create', { raw: 'x', contentType: 'text/plain' });
    expect([create.status, create.body.resultCode]).toEqual([400, 'A001221']);
    const batch = await emu.api('/auth/token/create/batch', { raw: '[]', contentType: 'text/plain' });
    expect([batch.status, batch.body.resultCode]).toEqual([400, 'A361204']);
  });
});
