import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import { useTestEmulatorUpstream } from '@/server/testing/routes';

let emulator: TestEmulator;
let GET: (request: Request) => Promise<Response>;
const healthRequest = () => new Request('http://desk.test/api/health');

beforeAll(async () => {
  emulator = await startTestEmulator();
  useTestEmulatorUpstream(emulator, { timeoutMs: 300 });
  ({ GET } = await import('./route'));
});
afterAll(() => emulator?.close());

describe('GET /api/health', () => {
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

  it('answers 503 when Authlete is unreachable, without revealing configuration', async () => {
    await emulator.close();
    const response = await GET(healthRequest());
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ status: 'degraded', checks: { database: { ok: true }, authlete: { ok: false } } });
    expect(text).not.toContain(emulator.serviceAccessToken);
    expect(text).not.toContain(emulator.url);
  });
});
