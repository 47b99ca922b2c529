/**
 * A token's history: its audit entries in this service, newest first, readable by every role; a
 * client-scoped person reads only entries about their clients.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@/lib/roles';
import type { AuditListResponse } from '@/lib/schemas/audit';
import { recordAudit } from '@/server/audit';
import { findUser } from '@/server/auth/users';
import { getDb } from '@/server/db';
import { staffGrant } from '@/server/db/schema';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import { sessionCookieFor } from '@/server/testing/session';
import { TEST_APP_URL, useTestEmulatorUpstream, type RouteHandler } from '@/server/testing/routes';
import * as historyRoute from './route';

const WEB = '26888344961664';
const OTHER = '917364';

let emulator: TestEmulator;
const cookies: Partial<Record<Role | 'scoped', string>> = {};

beforeAll(async () => {
  emulator = await startTestEmulator({ seed: { demo: true, tokens: 0 } });
  useTestEmulatorUpstream(emulator);
  for (const role of ['viewer', 'admin'] as const) cookies[role] = await sessionCookieFor(role);
  cookies.scoped = await sessionCookieFor('viewer', 'history-scoped@desk.test');
  const user = await findUser(await getDb(), 'history-scoped@desk.test');
  await (
    await getDb()
  )
    .insert(staffGrant)
    .values({ userId: user!.id, service: 'default', role: 'viewer', clientIds: [WEB] });
}, 120_000);
afterAll(() => emulator?.close());

async function history(hash: string, as: keyof typeof cookies, query = '') {
  const response = await (historyRoute.GET as unknown as RouteHandler)(
    new Request(`${TEST_APP_URL}/api/s/default/tokens/${hash}/history${query}`, {
      headers: { cookie: cookies[as]!, 'sec-fetch-site': 'same-origin', 'user-agent': 'vitest' },
    }),
    { params: Promise.resolve({ service: 'default', hash }) },
  );
  return { status: response.status, json: (await response.json()) as AuditListResponse & { error?: { code: string } } };
}

const hashOf = (label: string) => `${label}${'A'.repeat(43)}`.slice(0, 43);

describe('GET /api/s/{service}/tokens/{hash}/history', () => {
  it("lists the token's entries in this service, newest first, for every role", async () => {
    const hash = hashOf('hist1');
    const actor = { id: 'ada', email: 'ada@desk.test', role: 'admin' as const, method: 'password' as const };
    await recordAudit({
      action: 'token.create',
      outcome: 'success',
      actor,
      service: 'default',
      target: { tokenHash: hash, clientId: WEB, subject: 'h' },
    });
    await recordAudit({
      action: 'token.update',
      outcome: 'success',
      actor,
      service: 'default',
      reason: 'narrowed',
      target: { tokenHash: hash, clientId: WEB, subject: 'h' },
    });
    // The same hash in another service, and another token: not this token's history.
    await recordAudit({
      action: 'token.revoke',
      outcome: 'success',
      actor,
      service: 'staging',
      target: { tokenHash: hash, clientId: WEB },
    });
    await recordAudit({
      action: 'token.revoke',
      outcome: 'success',
      actor,
      service: 'default',
      target: { tokenHash: hashOf('other'), clientId: WEB },
    });

    const { status, json } = await history(hash, 'viewer');
    expect(status).toBe(200);
    expect(json.entries.map((entry) => entry.action)).toEqual(['token.update', 'token.create']);
    expect(json.entries[0]).toMatchObject({ reason: 'narrowed', actor: { email: 'ada@desk.test' } });
    expect(json.totalCount).toBe(2);
  });

  it('shows a client-scoped person only entries about their clients', async () => {
    const mine = hashOf('hist2');
    const theirs = hashOf('hist3');
    await recordAudit({
      action: 'token.create',
      outcome: 'success',
      service: 'default',
      target: { tokenHash: mine, clientId: WEB },
    });
    await recordAudit({
      action: 'token.create',
      outcome: 'success',
      service: 'default',
      target: { tokenHash: theirs, clientId: OTHER },
    });
    expect((await history(mine, 'scoped')).json.totalCount).toBe(1);
    expect((await history(theirs, 'scoped')).json.totalCount).toBe(0);
    expect((await history(theirs, 'admin')).json.totalCount).toBe(1);
  });

  it('refuses a malformed hash and page with 400, signed out with 401', async () => {
    expect((await history('not-a-hash', 'viewer')).status).toBe(400);
    expect((await history(hashOf('hist4'), 'viewer', '?page=0')).status).toBe(400);
    const response = await (historyRoute.GET as unknown as RouteHandler)(
      new Request(`${TEST_APP_URL}/api/s/default/tokens/${hashOf('x')}/history`, {
        headers: { 'sec-fetch-site': 'same-origin' },
      }),
      { params: Promise.resolve({ service: 'default', hash: hashOf('x') }) },
    );
    expect(response.status).toBe(401);
  });
});
