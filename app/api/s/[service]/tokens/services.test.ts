/**
 * Several services: a request under one service's address reaches that service's Authlete service
 * only (the emulator serves the demo service and the sandbox beside it, each with its own token).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import { sessionCookiesFor, TEST_APP_URL, useTestEmulatorServices, type RouteHandler } from '@/server/testing/routes';
import { SANDBOX_SERVICE_ACCESS_TOKEN, SANDBOX_SERVICE_ID } from '@/server/emulator/seed';
import { authleteFor } from '@/server/services';
import { closeDb } from '@/server/db';
import * as tokensRoute from './route';

let emulator: TestEmulator;
let cookies: Record<'admin', string>;
const route = tokensRoute as unknown as { GET: RouteHandler; POST: RouteHandler };

beforeAll(async () => {
  emulator = await startTestEmulator();
  useTestEmulatorServices(emulator, [
    { slug: 'prod', name: 'Production', environment: 'production' },
    {
      slug: 'sandbox',
      name: 'Sandbox',
      environment: 'staging',
      serviceId: SANDBOX_SERVICE_ID,
      accessToken: SANDBOX_SERVICE_ACCESS_TOKEN,
    },
  ]);
  cookies = await sessionCookiesFor(['admin']);
}, 180_000);
afterAll(async () => {
  await emulator?.close();
  await closeDb();
});

async function send(handler: RouteHandler, method: string, service: string, query = '', body?: unknown) {
  return handler(
    new Request(`${TEST_APP_URL}/api/s/${service}/tokens${query}`, {
      method,
      headers: {
        cookie: cookies.admin,
        origin: TEST_APP_URL,
        'sec-fetch-site': 'same-origin',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve({ service }) },
  );
}

const totalFor = async (service: string, subject: string) =>
  ((await (await send(route.GET, 'GET', service, `?subject=${subject}&status=all`)).json()) as { totalCount: number })
    .totalCount;

describe('one deployment, two services', () => {
  it("creates under service A's address in A only, and lists nothing of A under B's", async () => {
    const [client] = await authleteFor('prod').listClients();
    const subject = `svc-${Date.now().toString(36)}`;
    const created = await send(route.POST, 'POST', 'prod', '', {
      grantType: 'AUTHORIZATION_CODE',
      clientId: client!.clientId,
      subject,
      scopes: [],
    });
    expect(created.status).toBe(201);
    expect(await totalFor('prod', subject)).toBe(1);
    expect(await totalFor('sandbox', subject)).toBe(0);
  });

  it("refuses A's client under B's address: the call went to B's service, which does not own it", async () => {
    const [client] = await authleteFor('prod').listClients();
    const response = await send(route.POST, 'POST', 'sandbox', '', {
      grantType: 'AUTHORIZATION_CODE',
      clientId: client!.clientId,
      subject: 'someone',
      scopes: [],
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(await totalFor('prod', 'someone')).toBe(0);
  });

  it('answers 404 for a service not configured, before any upstream call', async () => {
    await emulator.resetStats();
    const response = await send(route.GET, 'GET', 'default', '?status=all');
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('service_not_found');
    expect((await emulator.stats()).total).toBe(0);
  });
});
