import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import { useTestEmulatorUpstream } from '@/server/testing/routes';
import { GET as live } from './live/route';
import { GET as ready } from './ready/route';
import { GET } from './route';

let emulator: TestEmulator;
const healthRequest = (path = '/api/health') => new Request(`http://desk.test${path}`);
/** Past the interval for which one Authlete check answers every probe. */
const nextInterval = () => vi.setSystemTime(Date.now() + 10_001);

beforeAll(async () => {
  emulator = await startTestEmulator();
  useTestEmulatorUpstream(emulator, { timeoutMs: 300 });
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterEach(() => nextInterval());
afterAll(async () => {
  vi.useRealTimers();
  await emulator?.close();
});

describe('GET /api/health (readiness)', () => {
  it('reports the database and Authlete as reachable', async () => {
    const response = await GET(healthRequest());
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const body = await response.json();
    expect(body).toMatchObject({
      status: 'ok',
      demo: false,
      checks: { database: { ok: true }, authlete: { ok: true } },
    });
  });

  it('asks Authlete at most once per interval however many probes arrive (also at /api/health/ready)', async () => {
    await emulator.resetStats();
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? GET(healthRequest()) : ready(healthRequest('/api/health/ready')))),
    );
    expect(answers.every((response) => response.status === 200)).toBe(true);
    expect((await emulator.stats()).total).toBe(1);
    vi.setSystemTime(Date.now() + 9_000);
    await GET(healthRequest());
    expect((await emulator.stats()).total).toBe(1);
    nextInterval();
    await GET(healthRequest());
    expect((await emulator.stats()).total).toBe(2);
  });
});

describe('GET /api/health/live (liveness)', () => {
  it('answers without calling Authlete', async () => {
    await emulator.resetStats();
    for (let i = 0; i < 10; i++) {
      const response = await live(healthRequest('/api/health/live'));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok' });
    }
    expect((await emulator.stats()).total).toBe(0);
  });
});

describe('when Authlete is away', () => {
  it('readiness answers 503 without revealing configuration; liveness still 200', async () => {
    await emulator.close();
    const response = await GET(healthRequest());
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({
      status: 'degraded',
      checks: { database: { ok: true }, authlete: { ok: false } },
    });
    expect(text).not.toContain(emulator.serviceAccessToken);
    expect(text).not.toContain(emulator.url);
    expect((await live(healthRequest('/api/health/live'))).status).toBe(200);
  });
});
