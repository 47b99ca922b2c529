/**
 * The webhook endpoints API through the real wrapper, sessions and database: admins only (every
 * other role is refused, and the refusal audited), the SSRF guard at save time, the secret in the
 * create answer only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '@/server/audit';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import { sessionCookieFor } from '@/server/testing/session';
import { TEST_APP_URL, useTestEmulatorUpstream, type RouteHandler } from '@/server/testing/routes';
import * as webhooksRoute from './route';

let emulator: TestEmulator;
const cookies: Record<string, string> = {};
const service = 'default';

beforeAll(async () => {
  emulator = await startTestEmulator();
  useTestEmulatorUpstream(emulator);
  for (const role of ['viewer', 'support', 'lead', 'admin'] as const) {
    cookies[role] = await sessionCookieFor(role, `${role}-webhooks@desk.test`);
  }
}, 600_000);
afterAll(() => emulator?.close());

async function call(handler: unknown, method: string, cookie: string, body?: unknown) {
  const response = await (handler as RouteHandler)(
    new Request(`${TEST_APP_URL}/api/s/${service}/webhooks`, {
      method,
      headers: {
        'sec-fetch-site': 'same-origin',
        'user-agent': 'vitest',
        cookie,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
    { params: Promise.resolve({ service }) },
  );
  return { status: response.status, json: await response.json() };
}

describe('/api/s/{service}/webhooks', () => {
  it('refuses every role but admin, and audits the refusal', async () => {
    for (const role of ['viewer', 'support', 'lead'] as const) {
      expect((await call(webhooksRoute.GET, 'GET', cookies[role]!)).status).toBe(403);
      const refused = await call(webhooksRoute.POST, 'POST', cookies[role]!, { url: 'https://8.8.8.8/hook' });
      expect(refused.status).toBe(403);
    }
    const denials = await listAudit({
      page: 1,
      pageSize: 10,
      action: 'auth.denied',
      actor: 'lead-webhooks@desk.test',
    } as never);
    expect(denials.entries.length).toBeGreaterThan(0);
  });

  it('refuses a loopback, private or metadata address when saving', async () => {
    for (const url of ['https://127.0.0.1/hook', 'https://10.1.2.3/hook', 'https://169.254.169.254/latest']) {
      const refused = await call(webhooksRoute.POST, 'POST', cookies.admin!, { url });
      expect(refused.status).toBe(400);
      expect(refused.json.error.code).toBe('validation_failed');
    }
    expect((await call(webhooksRoute.GET, 'GET', cookies.admin!)).json.endpoints).toEqual([]);
  });

  it('creates an endpoint for an admin; the secret is in that answer only', async () => {
    const created = await call(webhooksRoute.POST, 'POST', cookies.admin!, {
      url: 'https://8.8.8.8/hook',
      description: 'SIEM',
      eventTypes: ['token.revoked'],
    });
    expect(created.status).toBe(201);
    expect(created.json.secret).toMatch(/^whsec_/);
    const listed = await call(webhooksRoute.GET, 'GET', cookies.admin!);
    expect(listed.json.endpoints).toMatchObject([
      { id: created.json.id, url: 'https://8.8.8.8/hook', description: 'SIEM', eventTypes: ['token.revoked'] },
    ]);
    expect(JSON.stringify(listed.json)).not.toContain(created.json.secret);
    expect(JSON.stringify(listed.json)).not.toContain('secretSealed');
    const audited = await listAudit({ page: 1, pageSize: 10, action: 'webhook.create' } as never);
    expect(audited.entries[0]).toMatchObject({ outcome: 'success', service });
    expect(JSON.stringify(audited.entries)).not.toContain(created.json.secret);
  });
});
