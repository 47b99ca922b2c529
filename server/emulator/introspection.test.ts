/**
 * `auth/introspection`: driven by the official SDK (its zod model parses every answer) and by raw
 * form and JSON bodies, including the documented side effect on expired tokens.
 */
import { Authlete } from '@authlete/typescript-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestEmulator, plain, startTestEmulator } from '@/server/testing/emulator-http';

let emu: TestEmulator;
let sdk: Authlete;
beforeAll(async () => {
  emu = await startTestEmulator({ seed: { tokens: 0 } });
  sdk = new Authlete({ serverURL: emu.url, bearer: emu.serviceAccessToken, retryConfig: { strategy: 'none' } });
});
afterAll(async () => {
  await emu?.close();
});

async function createToken(subject: string | undefined, grantType = 'AUTHORIZATION_CODE') {
  const created = await sdk.token.management.create({
    serviceId: emu.serviceId,
    tokenCreateRequest: {
      grantType: grantType as 'AUTHORIZATION_CODE',
      clientId: 26888344961664,
      ...(subject ? { subject } : {}),
      scopes: ['openid', 'payments.read'],
      properties: [{ key: 'channel', value: 'web', hidden: false }],
    },
  });
  return created.accessToken!;
}

/** Moves the emulator's clock forward by `ms` (which sweeps), or back to real time with null. */
async function moveClock(ms: number | null) {
  const res = await emu.call('/__emulator/clock', { json: ms === null ? {} : { advanceMs: ms } });
  expect(res.status).toBe(200);
}

const introspect = (token: string, extra: { scopes?: string[]; subject?: string } = {}) =>
  sdk.introspection.process({ serviceId: emu.serviceId, introspectionRequest: { token, ...extra } });

describe('auth/introspection', () => {
  it('answers OK with the token facts for a live token (SDK model)', async () => {
    const token = await createToken('intro-user');
    const answer = await introspect(token);
    expect(answer).toMatchObject({
      resultCode: 'A056001',
      action: 'OK',
      clientId: 26888344961664,
      clientIdAlias: 'web-banking',
      subject: 'intro-user',
      scopes: ['openid', 'payments.read'],
      existent: true,
      usable: true,
      sufficient: true,
      refreshable: true,
      grantType: 'AUTHORIZATION_CODE',
      properties: [{ key: 'channel', value: 'web', hidden: false }],
    });
    expect(answer.expiresAt).toBeGreaterThan(Date.now());
    expect(answer.resultMessage).toBe('[A056001] /auth/introspection, The access token is valid.');
  });

  it('answers UNAUTHORIZED for an unknown value, and BAD_REQUEST without a token', async () => {
    expect(await introspect('never-issued')).toMatchObject({
      action: 'UNAUTHORIZED',
      resultCode: 'A056301',
      existent: false,
      usable: false,
    });
    const missing = await emu.api('/auth/introspection', { json: {} });
    expect(missing.status).toBe(200);
    expect(plain(missing.body)).toMatchObject({ action: 'BAD_REQUEST', resultCode: 'A056202' });
  });

  it('reports an expired token once and deletes it (the documented side effect)', async () => {
    const token = await createToken('intro-expiring');
    await sdk.token.management.update({
      serviceId: emu.serviceId,
      tokenUpdateRequest: { accessToken: token, accessTokenExpiresAt: Date.now() - 60_000 },
    });
    const first = await introspect(token);
    expect(first).toMatchObject({
      action: 'UNAUTHORIZED',
      resultCode: 'A056302',
      existent: true,
      usable: false,
      subject: 'intro-expiring',
    });
    const second = await introspect(token);
    expect(second).toMatchObject({ action: 'UNAUTHORIZED', resultCode: 'A056301', existent: false });
    const listed = await sdk.token.management.list({ serviceId: emu.serviceId, subject: 'intro-expiring' });
    expect(listed.totalCount).toBe(0);
  });

  it('deletes a token the clock expired but the sweep kept (live refresh token) on the first call only', async () => {
    const created = await sdk.token.management.create({
      serviceId: emu.serviceId,
      tokenCreateRequest: {
        grantType: 'AUTHORIZATION_CODE',
        clientId: 26888344961664,
        subject: 'intro-clock',
        scopes: ['openid'],
        accessTokenDuration: 60,
        refreshTokenDuration: 86_400,
      },
    });
    await moveClock(120_000);
    try {
      const expired = await sdk.token.management.list({ serviceId: emu.serviceId, subject: 'intro-clock' });
      expect(expired.totalCount).toBe(1);
      expect((await introspect(created.accessToken!)).resultCode).toBe('A056302');
      expect((await introspect(created.accessToken!)).resultCode).toBe('A056301');
      expect((await sdk.token.management.list({ serviceId: emu.serviceId, subject: 'intro-clock' })).totalCount).toBe(
        0,
      );
    } finally {
      await moveClock(null);
    }
  });

  it('counts as use: an introspected token is not swept as unused 90 days after its creation', async () => {
    const day = 86_400_000;
    const create = (subject: string) =>
      sdk.token.management.create({
        serviceId: emu.serviceId,
        tokenCreateRequest: {
          grantType: 'AUTHORIZATION_CODE',
          clientId: 26888344961664,
          subject,
          accessTokenDuration: 365 * 86_400,
        },
      });
    const used = await create('intro-used');
    await create('intro-unused');
    try {
      await moveClock(60 * day);
      expect((await introspect(used.accessToken!)).action).toBe('OK');
      await moveClock(60 * day);
      const count = async (subject: string) =>
        (await sdk.token.management.list({ serviceId: emu.serviceId, subject })).totalCount;
      expect(await count('intro-used')).toBe(1);
      expect(await count('intro-unused')).toBe(0);
    } finally {
      await moveClock(null);
    }
  });

  it('accepts a form body (scopes space-separated) and checks required scopes and subject', async () => {
    const token = await createToken('intro-form');
    const ok = await emu.api('/auth/introspection', { form: { token, scopes: 'openid payments.read' } });
    expect(ok.status).toBe(200);
    expect(plain(ok.body)).toMatchObject({ action: 'OK', subject: 'intro-form', sufficient: true });
    const insufficient = await emu.api('/auth/introspection', { form: { token, scopes: 'openid admin' } });
    expect(plain(insufficient.body)).toMatchObject({ action: 'FORBIDDEN', sufficient: false });
    expect((await introspect(token, { subject: 'someone-else' })).action).toBe('FORBIDDEN');
  });

  it('has no subject for a client-credentials token', async () => {
    const token = await createToken(undefined, 'CLIENT_CREDENTIALS');
    const answer = await introspect(token);
    expect(answer.action).toBe('OK');
    expect(answer.subject).toBeUndefined();
    expect(answer.refreshable).toBe(false);
  });

  it('refuses a body that is not JSON, and is counted in the stats under its operation id', async () => {
    const bad = await emu.api('/auth/introspection', { raw: '{', contentType: 'application/json' });
    expect(bad.status).toBe(400);
    expect(plain(bad.body)).toMatchObject({ resultCode: 'A001207' });
    const stats = plain((await emu.call('/__emulator/stats')).body) as { operations: Record<string, number> };
    expect(stats.operations.auth_introspection_api).toBeGreaterThan(0);
  });
});
