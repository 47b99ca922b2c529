import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';

let emulator: TestEmulator;
let GET: () => Promise<Response>;

beforeAll(async () => {
  emulator = await startTestEmulator();
  // Config is read when first imported, so the route is imported after the emulator has a port.
  process.env.AUTHLETE_BASE_URL = emulator.url;
  process.env.AUTHLETE_SERVICE_ID = emulator.serviceId;
  process.env.AUTHLETE_SERVICE_ACCESS_TOKEN = emulator.serviceAccessToken;
  process.env.AUTHLETE_TIMEOUT_MS = '300';
  ({ GET } = await import('./route'));
});
afterAll(() => emulator?.close());

describe('GET /api/health', () => {
  it('reports the database and Authlete as reachable', async () => {
    const response = await GET();
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({
      status: 'ok',
      demo: false,
      checks: { database: { ok: true }, authlete: { ok: true } },
    });
  });

  it('answers 503 when Authlete is unreachable, without revealing configuration', async () => {
    await emulator.close();
    const response = await GET();
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ status: 'degraded', checks: { database: { ok: true }, authlete: { ok: false } } });
    expect(text).not.toContain(emulator.serviceAccessToken);
    expect(text).not.toContain(emulator.url);
  });
});
