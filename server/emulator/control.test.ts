import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_FAULTS, faultsFromEnv } from './faults';
import { type TestEmulator, plain, startTestEmulator } from '@/server/testing/emulator-http';

describe('control endpoints and fault injection', () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator();
  });
  afterAll(async () => {
    await emu?.close();
  });
  const setFaults = (faults: Record<string, unknown>) => emu.call('/__emulator/faults', { json: faults });

  it('reports health', async () => {
    const res = await emu.call('/__emulator/health', { token: null });
    expect(res.status).toBe(200);
    expect(plain(res.body)).toEqual({ status: 'ok', serviceId: emu.serviceId });
  });

  it('has faults off by default, and reads back what was set', async () => {
    expect(plain((await emu.call('/__emulator/faults')).body)).toEqual(NO_FAULTS);
    const set = await setFaults({ latencyMs: 5, errorRate: 0.25 });
    expect(plain(set.body)).toMatchObject({ latencyMs: 5, errorRate: 0.25, hangRate: 0 });
    expect(plain((await emu.call('/__emulator/faults')).body)).toMatchObject({ latencyMs: 5, errorRate: 0.25 });
    expect(plain((await setFaults({})).body)).toEqual(NO_FAULTS);
  });

  it('rejects invalid fault settings', async () => {
    for (const body of [{ errorRate: 2 }, { latencyMs: -1 }, { unknownKnob: true }, { errorStatus: 404 }]) {
      const res = await setFaults(body);
      expect(res.status).toBe(400);
      expect(res.body.resultCode).toBe('A001217');
    }
  });

  it('counts requests per operation, and resets', async () => {
    await emu.call('/__emulator/stats/reset', { json: {} });
    await emu.api('/auth/token/create', { json: { grantType: 'PASSWORD', clientId: 917364, subject: 'stats-user' } });
    await emu.api('/auth/token/get/list');
    await emu.api('/auth/token/get/list', { token: null }); // rejected requests count too
    await emu.api('/no/such/route');
    const stats = plain<{ total: number; operations: Record<string, number> }>(
      (await emu.call('/__emulator/stats')).body,
    );
    expect(stats).toEqual({
      total: 4,
      operations: { auth_token_create_api: 1, auth_token_get_list_api: 2, unknown: 1 },
    });
    const reset = plain<{ total: number }>((await emu.call('/__emulator/stats/reset', { json: {} })).body);
    expect(reset).toEqual({ total: 0, operations: {} });
  });

  it('answers 5xx with an Authlete server-error body', async () => {
    await setFaults({ errorRate: 1, errorStatus: 503 });
    try {
      const res = await emu.api('/auth/token/get/list');
      expect(res.status).toBe(503);
      expect(res.body.resultCode).toBe('A001101');
      // Control endpoints are never faulted.
      expect((await emu.call('/__emulator/health')).status).toBe(200);
    } finally {
      await setFaults({});
    }
  });

  it('answers 429 with Retry-After', async () => {
    await setFaults({ rateLimitRate: 1, retryAfterSeconds: 7 });
    try {
      const res = await emu.api('/auth/token/get/list');
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('7');
      expect(res.body.resultCode).toBe('A001218');
    } finally {
      await setFaults({});
    }
  });

  it('limits faults to some operations and to a number of requests', async () => {
    await setFaults({ errorRate: 1, operations: ['auth_token_create_api'], remaining: 1 });
    try {
      expect((await emu.api('/auth/token/get/list')).status).toBe(200);
      const create = () =>
        emu.api('/auth/token/create', { json: { grantType: 'PASSWORD', clientId: 917364, subject: 'retry-user' } });
      expect((await create()).status).toBe(500);
      expect((await create()).status).toBe(200); // fault used up: "fail once, then succeed"
      expect(plain((await emu.call('/__emulator/faults')).body)).toMatchObject({ remaining: 0 });
    } finally {
      await setFaults({});
    }
  });

  it('applies added latency and still answers', async () => {
    await setFaults({ latencyMs: 30 });
    try {
      expect((await emu.api('/service/get')).status).toBe(200);
    } finally {
      await setFaults({});
    }
  });

  it('leaves a request hanging until the client gives up', async () => {
    await setFaults({ hangRate: 1, operations: ['auth_token_get_list_api'] });
    await emu.call('/__emulator/stats/reset', { json: {} });
    const controller = new AbortController();
    let settled = false;
    const pending = emu.api('/auth/token/get/list', { signal: controller.signal }).finally(() => {
      settled = true;
    });
    // Wait until the emulator has seen the request; it must still be unanswered.
    for (;;) {
      const stats = plain<{ operations: Record<string, number> }>((await emu.call('/__emulator/stats')).body);
      if (stats.operations.auth_token_get_list_api === 1) break;
    }
    expect(settled).toBe(false);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await setFaults({});
    expect((await emu.api('/auth/token/get/list')).status).toBe(200);
  });
});

describe('who may call: loopback host names and JSON only', () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator();
  });
  afterAll(async () => {
    await emu?.close();
  });
  const stats = async () => plain<{ total: number }>((await emu.call('/__emulator/stats')).body).total;

  it.each([
    'evil.example',
    'evil.example:4010',
    '127.0.0.1.nip.io',
    'localhost.evil.example:80',
    '10.0.0.5:4010',
    '[::2]:4010',
    'localhost:4010:1',
  ])(
    'refuses Host %s on the API and the control endpoints, in Authlete’s error shape, before doing anything',
    async (host) => {
      await emu.call('/__emulator/stats/reset', { json: {} });
      const list = await emu.api('/auth/token/get/list', { headers: { host } });
      expect(list.status).toBe(421);
      expect(plain(list.body)).toEqual({
        resultCode: 'A001223',
        resultMessage: expect.stringMatching(/^\[A001223\] \/auth\/token\/get\/list, .*loopback host names/),
      });
      const create = await emu.api('/auth/token/create', {
        headers: { host },
        json: { grantType: 'PASSWORD', clientId: 917364, subject: 'rebound' },
      });
      expect(create.status).toBe(421);
      const faults = await emu.call('/__emulator/faults', { headers: { host }, json: { errorRate: 1 } });
      expect(faults.status).toBe(421);
      expect(faults.body.resultCode).toBe('A001223');
      expect((await emu.call('/__emulator/stats', { headers: { host } })).status).toBe(421);
      // Nothing was counted, created or set.
      expect(await stats()).toBe(0);
      expect(Number(String((await emu.api('/auth/token/get/list?subject=rebound')).body.totalCount))).toBe(0);
      expect(plain((await emu.call('/__emulator/faults')).body)).toEqual(NO_FAULTS);
    },
  );

  it('answers under every loopback name, with or without port, in any case', async () => {
    for (const host of [
      '127.0.0.1',
      `127.0.0.1:${emu.port}`,
      `localhost:${emu.port}`,
      'LocalHost',
      'localhost.',
      `[::1]:${emu.port}`,
      '[::1]',
    ]) {
      expect((await emu.api('/service/get', { headers: { host } })).status, host).toBe(200);
      expect((await emu.call('/__emulator/health', { headers: { host } })).status, host).toBe(200);
    }
  });

  it('answers under the names in allowedHosts (EMULATOR_ALLOWED_HOSTS) too, and still refuses others', async () => {
    const named = await startTestEmulator({ allowedHosts: ['authlete.internal', 'Emulator'] });
    try {
      expect((await named.api('/service/get', { headers: { host: `authlete.internal:${named.port}` } })).status).toBe(
        200,
      );
      expect((await named.api('/service/get', { headers: { host: 'emulator' } })).status).toBe(200);
      expect((await named.api('/service/get', { headers: { host: 'evil.example' } })).status).toBe(421);
    } finally {
      await named.close();
    }
  });

  it('refuses a control POST that is not JSON with 415, changing nothing', async () => {
    await emu.call('/__emulator/faults', { json: {} });
    for (const contentType of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonp',
    ]) {
      const res = await emu.call('/__emulator/faults', { raw: '{"errorRate":1}', contentType });
      expect(res.status, contentType).toBe(415);
      expect(res.body.resultCode).toBe('A001224');
    }
    expect(plain((await emu.call('/__emulator/faults')).body)).toEqual(NO_FAULTS);
    await emu.api('/service/get');
    // A bodiless POST (no Content-Type) is as easy to send cross-site: refused as well.
    expect((await emu.call('/__emulator/stats/reset', { method: 'POST' })).status).toBe(415);
    expect(await stats()).toBeGreaterThan(0);
    expect(
      (await emu.call('/__emulator/faults', { raw: '{"latencyMs":1}', contentType: 'Application/JSON; charset=utf-8' }))
        .status,
    ).toBe(200);
    await emu.call('/__emulator/faults', { json: {} });
  });
});

describe('faults from the environment', () => {
  it('reads EMULATOR_FAULTS as JSON and names what is wrong', () => {
    expect(faultsFromEnv({})).toEqual({});
    expect(faultsFromEnv({ EMULATOR_FAULTS: '{"latencyMs":200,"rateLimitRate":0.5}' })).toMatchObject({
      latencyMs: 200,
      rateLimitRate: 0.5,
    });
    expect(() => faultsFromEnv({ EMULATOR_FAULTS: 'latency=200' })).toThrow(/must be a JSON object/);
    expect(() => faultsFromEnv({ EMULATOR_FAULTS: '{"hangRate":-1}' })).toThrow(/hangRate/);
  });
});

describe('persistence', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'emulator-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps data across restarts and seeds only on first start', async () => {
    const first = await startTestEmulator({ dataDir: dir, seed: { tokens: 50 } });
    let created: string;
    let updatedExpiry: number;
    try {
      expect(first.seeded).toBe(true);
      const res = await first.api('/auth/token/create', {
        json: { grantType: 'PASSWORD', clientId: 917364, subject: 'persisted-user' },
      });
      created = String(res.body.accessToken);
      updatedExpiry = Date.now() + 999_000;
      await first.api('/auth/token/update', { json: { accessToken: created, accessTokenExpiresAt: updatedExpiry } });
      const batch = await first.api('/auth/token/create/batch', {
        json: [{ grantType: 'PASSWORD', clientId: 917364, subject: 'persisted-user' }],
      });
      for (;;) {
        const s = await first.api(`/auth/token/create/batch/status/${String(batch.body.requestId)}`);
        if ((s.body.status as Record<string, unknown>).result) break;
      }
    } finally {
      await first.close();
    }
    const second = await startTestEmulator({ dataDir: dir, seed: { tokens: 50 } });
    try {
      expect(second.seeded).toBe(false);
      const all = await second.api('/auth/token/get/list');
      expect(Number(String(all.body.totalCount))).toBe(52);
      const mine = plain<{ totalCount: number; accessTokens: { accessTokenExpiresAt: number }[] }>(
        (await second.api('/auth/token/get/list?subject=persisted-user')).body,
      );
      expect(mine.totalCount).toBe(2);
      expect(mine.accessTokens[0]!.accessTokenExpiresAt).toBe(updatedExpiry);
      const update = await second.api('/auth/token/update', { json: { accessToken: created, scopes: ['openid'] } });
      expect(update.body.action).toBe('OK');
    } finally {
      await second.close();
    }
  }, 120_000);
});
