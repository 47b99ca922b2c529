/**
 * Request ids: the wrapper reuses the id proxy.ts put on the request (never a second one), returns
 * it in the header and the error envelope, and writes it in one structured JSON access line.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { useTestConfig } from '@/server/testing/config';
import * as route from './route';

beforeAll(() => {
  useTestConfig({ APP_URL: 'http://desk.test' });
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

function accessLines(spy: { mock: { calls: unknown[][] } }): Record<string, unknown>[] {
  return spy.mock.calls
    .map((call) => JSON.parse(String(call[0])) as Record<string, unknown>)
    .filter((line) => line.msg === 'api request');
}

describe('request id and access log', () => {
  it('issues its own id for the header, the error body and the JSON access line, ignoring a client-sent one', async () => {
    vi.stubEnv('LOG_LEVEL', 'info');
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    const handler = route.route({ path: '/api/test', permission: 'tokens:read', handler: async () => route.json({}) });
    const sent = crypto.randomUUID();
    const response = await handler(new Request('http://desk.test/api/test', { headers: { 'x-request-id': sent } }));
    expect(response.status).toBe(401);
    const id = response.headers.get('x-request-id');
    // A client must not choose the id its audit records and log lines are filed under.
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(id).not.toBe(sent);
    expect(((await response.json()) as { error: { requestId: string } }).error.requestId).toBe(id);
    const [line] = accessLines(info);
    expect(line).toMatchObject({
      level: 'info',
      requestId: id,
      route: 'GET /api/test',
      status: 401,
      code: 'unauthenticated',
      actorId: null,
    });
    expect(typeof line!.durationMs).toBe('number');
    expect(Number.isNaN(Date.parse(String(line!.time)))).toBe(false);
  });

  it('drops access lines below LOG_LEVEL', async () => {
    vi.stubEnv('LOG_LEVEL', 'warn');
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    const handler = route.route({ path: '/api/test', permission: 'tokens:read', handler: async () => route.json({}) });
    await handler(new Request('http://desk.test/api/test'));
    expect(accessLines(info)).toEqual([]);
  });
});
