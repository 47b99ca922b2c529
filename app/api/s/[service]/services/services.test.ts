/**
 * The services page's API and the overview on a 3.x and a 2.x service, configured through
 * `AUTHLETE_SERVICES` as an operator would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb } from '@/server/db';
import { LEGACY_SERVICE_API_SECRET } from '@/server/emulator/seed';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import {
  PRODUCTION_AND_LEGACY,
  sessionCookiesFor,
  TEST_APP_URL,
  useTestEmulatorServices,
  type RouteHandler,
} from '@/server/testing/routes';
import * as servicesRoute from './route';
import * as overviewRoute from '../overview/route';

let emulator: TestEmulator;
let cookie: string;

beforeAll(async () => {
  emulator = await startTestEmulator({ seed: { demo: true, tokens: 0, environments: true } });
  useTestEmulatorServices(emulator, PRODUCTION_AND_LEGACY);
  cookie = (await sessionCookiesFor(['viewer'])).viewer;
}, 300_000);
afterAll(async () => {
  await emulator?.close();
  await closeDb();
});

async function get(handler: unknown, service: string, path: string) {
  const response = await (handler as RouteHandler)(
    new Request(`${TEST_APP_URL}/api/s/${service}${path}`, { headers: { cookie, 'sec-fetch-site': 'same-origin' } }),
    { params: Promise.resolve({ service }) },
  );
  return { status: response.status, json: await response.json() };
}

describe('GET /api/s/[service]/services', () => {
  it('lists every service with its version, host, health and token total, and never its credentials', async () => {
    const { status, json } = await get(servicesRoute.GET, 'production', '/services');
    expect(status).toBe(200);
    const host = new URL(emulator.url).host;
    expect(json.services).toEqual([
      expect.objectContaining({
        slug: 'production',
        apiVersion: 3,
        host,
        health: expect.objectContaining({ ok: true }),
      }),
      expect.objectContaining({ slug: 'legacy', apiVersion: 2, host, health: expect.objectContaining({ ok: true }) }),
    ]);
    for (const row of json.services) expect(row.totalTokens).toEqual(expect.any(Number));
    const text = JSON.stringify(json);
    for (const secret of [emulator.serviceAccessToken, LEGACY_SERVICE_API_SECRET]) expect(text).not.toContain(secret);
  });
});

describe('GET /api/s/[service]/overview on Authlete 2.x', () => {
  it('counts the legacy service the same way as a 3.x one', async () => {
    for (const service of ['legacy', 'production']) {
      const { status, json } = await get(overviewRoute.GET, service, '/overview');
      expect(status).toBe(200);
      expect(json.clients.length).toBeGreaterThan(0);
      expect(json.totals).toEqual({ valid: expect.any(Number), expired: expect.any(Number) });
    }
  });
});
