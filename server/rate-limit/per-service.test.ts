/**
 * Rate limits carry the service: a person's changes in one service do not use up their budget in
 * another (a clean-up in staging must not lock them out of production during an incident).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeDb } from '@/server/db';
import { json, route } from '@/server/http/route';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import { sessionCookieFor } from '@/server/testing/session';
import { TEST_APP_URL, useTestEmulatorServices } from '@/server/testing/routes';

const LIMIT = 2;
let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
  useTestEmulatorServices(
    emulator,
    [
      { slug: 'prod', name: 'Production', environment: 'production' },
      { slug: 'staging', name: 'Staging', environment: 'staging' },
    ],
    { MUTATION_RATE_LIMIT_PER_MINUTE: String(LIMIT) },
  );
}, 180_000);
afterAll(async () => {
  await emulator?.close();
  await closeDb();
});

const change = route({
  path: '/api/s/[service]/test-change',
  permission: 'tokens:revoke',
  audit: 'token.revoke',
  handler: async () => json({ done: true }),
});

function send(cookie: string, service: string) {
  return change(
    new Request(`${TEST_APP_URL}/api/s/${service}/test-change`, {
      method: 'POST',
      headers: { cookie, origin: TEST_APP_URL, 'sec-fetch-site': 'same-origin' },
    }),
    { params: Promise.resolve({ service }) },
  );
}

it('counts changes per person and service: a spent budget in staging leaves production open', async () => {
  const cookie = await sessionCookieFor('support');
  for (let i = 0; i < LIMIT; i++) expect((await send(cookie, 'staging')).status).toBe(200);
  const refused = await send(cookie, 'staging');
  expect(refused.status).toBe(429);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited');

  for (let i = 0; i < LIMIT; i++) expect((await send(cookie, 'prod')).status).toBe(200);
  expect((await send(cookie, 'prod')).status).toBe(429);
});

it("answers 404 for an address naming no service, without spending any service's budget", async () => {
  const cookie = await sessionCookieFor('admin');
  for (let i = 0; i <= LIMIT; i++) expect((await send(cookie, 'no-such-service')).status).toBe(404);
  for (let i = 0; i < LIMIT; i++) expect((await send(cookie, 'prod')).status).toBe(200);
});
