/**
 * The overview's per-client counts against the emulator: they match Authlete's totalCount, cost
 * two one-token list calls per client (never a crawl), and an Authlete failure is a clear 502.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import { sessionCookiesFor, TEST_APP_URL, useTestEmulatorUpstream, type RouteHandler } from '@/server/testing/routes';
import * as overviewRoute from './route';
import { authleteFor } from '@/server/services';
import { closeDb } from '@/server/db';

let emulator: TestEmulator;
let cookies: Record<'viewer', string>;
const handler = (overviewRoute as unknown as { GET: RouteHandler }).GET;

beforeAll(async () => {
  emulator = await startTestEmulator();
  useTestEmulatorUpstream(emulator, { timeoutMs: 1_000 });
  cookies = await sessionCookiesFor(['viewer']);
});
afterAll(async () => {
  await emulator?.close();
  await closeDb();
});
afterEach(async () => {
  await emulator.clearFaults();
  await emulator.resetStats();
});

async function overview() {
  const response = await handler(
    new Request(`${TEST_APP_URL}/api/s/default/overview`, {
      headers: { cookie: cookies.viewer, 'sec-fetch-site': 'same-origin' },
    }),
    { params: Promise.resolve({ service: 'default' }) },
  );
  return { status: response.status, json: await response.json() };
}

describe('GET /api/s/[service]/overview', () => {
  it("answers each client's valid and expired counts as Authlete's totalCount, with their totals", async () => {
    const upstream = authleteFor('default');
    const clients = await upstream.listClients();
    const { status, json } = await overview();
    expect(status).toBe(200);
    expect(json.clients).toHaveLength(clients.length);
    for (const row of json.clients) {
      const valid = await upstream.listTokens({ clientId: row.clientId, status: 'valid' }, 0, 1);
      const expired = await upstream.listTokens({ clientId: row.clientId, status: 'expired' }, 0, 1);
      expect(row).toMatchObject({ valid: valid.totalCount, expired: expired.totalCount });
    }
    const sum = (key: 'valid' | 'expired') => json.clients.reduce((total: number, row: never) => total + row[key], 0);
    expect(json.totals).toEqual({ valid: sum('valid'), expired: sum('expired') });
    expect(json.totals.valid).toBeGreaterThan(0);
  });

  it('makes one client list call and two one-token list calls per client', async () => {
    await emulator.resetStats();
    const { json } = await overview();
    const stats = await emulator.stats();
    expect(stats.operations).toMatchObject({ auth_token_get_list_api: 2 * json.clients.length });
  });

  it('answers 502 upstream_error when Authlete fails', async () => {
    await emulator.setFaults({ errorRate: 1, errorStatus: 500, operations: ['auth_token_get_list_api'] });
    const { status, json } = await overview();
    expect(status).toBe(502);
    expect(json.error).toMatchObject({ code: 'upstream_error', details: { upstreamStatus: 500 } });
  });
});
