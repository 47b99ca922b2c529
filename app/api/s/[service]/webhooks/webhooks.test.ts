/**
 * The webhook endpoints API through the real wrapper, sessions and database: admins only (every
 * other role is refused, and the refusal audited), the SSRF guard at save time and on a changed
 * address, the secret in the create and rotate answers only, the delivery log and redelivery kept
 * to the endpoint's own service.
 */
import { eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit, recordAudit } from '@/server/audit';
import { getDb } from '@/server/db';
import { webhookDelivery, webhookEndpoint } from '@/server/db/schema';
import { signedDelivery } from '@/server/webhooks/sign';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import { sessionCookieFor } from '@/server/testing/session';
import { TEST_APP_URL, useTestEmulatorServices, type RouteHandler } from '@/server/testing/routes';
import * as webhooksRoute from './route';
import * as endpointRoute from './[endpointId]/route';
import * as rotateRoute from './[endpointId]/rotate/route';
import * as testRoute from './[endpointId]/test/route';
import * as deliveriesRoute from './[endpointId]/deliveries/route';
import * as redeliverRoute from './[endpointId]/deliveries/[deliveryId]/redeliver/route';

let emulator: TestEmulator;
const cookies: Record<string, string> = {};
const service = 'default';

beforeAll(async () => {
  emulator = await startTestEmulator();
  // A second service beside the default one: an endpoint is reached only under its own service.
  useTestEmulatorServices(emulator, [
    { slug: 'default', name: 'Default', environment: 'production' },
    { slug: 'staging', name: 'Staging', environment: 'staging' },
  ]);
  for (const role of ['viewer', 'support', 'lead', 'admin'] as const) {
    cookies[role] = await sessionCookieFor(role, `${role}-webhooks@desk.test`);
  }
}, 600_000);
afterAll(() => emulator?.close());

async function call(
  handler: unknown,
  method: string,
  cookie: string,
  body?: unknown,
  extra: { params?: Record<string, string>; search?: string; service?: string } = {},
) {
  const at = extra.service ?? service;
  const response = await (handler as RouteHandler)(
    new Request(`${TEST_APP_URL}/api/s/${at}/webhooks${extra.search ?? ''}`, {
      method,
      headers: {
        'sec-fetch-site': 'same-origin',
        'user-agent': 'vitest',
        cookie,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
    { params: Promise.resolve({ service: at, ...extra.params }) },
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

  it('changes an endpoint: a new address passes the SSRF guard again, and turning it on clears a 410', async () => {
    const created = await call(webhooksRoute.POST, 'POST', cookies.admin!, { url: 'https://8.8.8.8/one' });
    const params = { endpointId: created.json.id };
    const refused = await call(endpointRoute.PATCH, 'PATCH', cookies.admin!, { url: 'https://10.0.0.9/x' }, { params });
    expect(refused.status).toBe(400);
    expect(refused.json.error.details.fieldErrors.url[0]).toContain('10.0.0.9');
    expect((await call(endpointRoute.PATCH, 'PATCH', cookies.admin!, {}, { params })).status).toBe(400);
    expect((await call(endpointRoute.PATCH, 'PATCH', cookies.admin!, { secretSealed: 'x' }, { params })).status).toBe(
      400,
    );
    const db = await getDb();
    await db
      .update(webhookEndpoint)
      .set({ enabled: false, disabledReason: 'gone' })
      .where(eq(webhookEndpoint.id, params.endpointId));
    const changed = await call(
      endpointRoute.PATCH,
      'PATCH',
      cookies.admin!,
      { url: 'https://1.1.1.1/two', eventTypes: ['job.finished'], enabled: true },
      { params },
    );
    expect(changed.status).toBe(200);
    expect(changed.json.endpoint).toMatchObject({
      url: 'https://1.1.1.1/two',
      eventTypes: ['job.finished'],
      enabled: true,
      disabledReason: null,
    });
    const audited = await listAudit({ page: 1, pageSize: 5, action: 'webhook.update' } as never);
    expect(audited.entries[0]).toMatchObject({ outcome: 'success', service });
  });

  it("answers not found for an unknown endpoint or another service's, and 400 for a malformed id", async () => {
    const created = await call(webhooksRoute.POST, 'POST', cookies.admin!, { url: 'https://8.8.8.8/mine' });
    const missing = { endpointId: `ep_${'f'.repeat(32)}` };
    expect((await call(endpointRoute.DELETE, 'DELETE', cookies.admin!, undefined, { params: missing })).status).toBe(
      404,
    );
    // The same id under the staging service: not there.
    const elsewhere = { params: { endpointId: created.json.id }, service: 'staging' };
    expect((await call(rotateRoute.POST, 'POST', cookies.admin!, undefined, elsewhere)).status).toBe(404);
    expect((await call(deliveriesRoute.GET, 'GET', cookies.admin!, undefined, elsewhere)).status).toBe(404);
    expect((await call(testRoute.POST, 'POST', cookies.admin!, undefined, elsewhere)).status).toBe(404);
    const malformed = await call(endpointRoute.DELETE, 'DELETE', cookies.admin!, undefined, {
      params: { endpointId: '../../staff' },
    });
    expect(malformed.status).toBe(400);
  });

  it('rotates the secret (shown once, never listed) and signs the next delivery with it', async () => {
    const created = await call(webhooksRoute.POST, 'POST', cookies.admin!, { url: 'https://8.8.8.8/rot' });
    const params = { endpointId: created.json.id };
    const rotated = await call(rotateRoute.POST, 'POST', cookies.admin!, undefined, { params });
    expect(rotated.status).toBe(200);
    expect(rotated.json.secret).toMatch(/^whsec_/);
    expect(rotated.json.secret).not.toBe(created.json.secret);
    const listed = await call(webhooksRoute.GET, 'GET', cookies.admin!);
    expect(JSON.stringify(listed.json)).not.toContain(rotated.json.secret);
    const audited = await listAudit({ page: 1, pageSize: 5, action: 'webhook.rotate_secret' } as never);
    expect(JSON.stringify(audited.entries)).not.toContain(rotated.json.secret);
    const [row] = await (await getDb()).select().from(webhookEndpoint).where(eq(webhookEndpoint.id, params.endpointId));
    const { endpointSecret } = await import('@/server/webhooks/endpoints');
    const { body, headers } = signedDelivery(endpointSecret(row!), {
      id: 'msg_test',
      type: 'token.revoked',
      occurredAt: new Date(),
      data: {},
    });
    expect(new Webhook(rotated.json.secret).verify(body, headers)).toMatchObject({ type: 'token.revoked' });
  });

  it('queues a test event, shows it in the delivery log, redelivers it, and refuses a foreign delivery', async () => {
    const first = await call(webhooksRoute.POST, 'POST', cookies.admin!, {
      url: 'https://8.8.8.8/log',
      eventTypes: ['client.locked'],
    });
    const second = await call(webhooksRoute.POST, 'POST', cookies.admin!, { url: 'https://8.8.8.8/other' });
    const params = { endpointId: first.json.id };
    const tested = await call(testRoute.POST, 'POST', cookies.admin!, undefined, { params });
    expect(tested.status).toBe(202);
    await recordAudit({
      action: 'client.lock',
      outcome: 'success',
      actor: null,
      service,
      target: { clientId: '917364' },
    });
    const log = await call(deliveriesRoute.GET, 'GET', cookies.admin!, undefined, { params, search: '?pageSize=1' });
    expect(log.status).toBe(200);
    expect(log.json.totalCount).toBe(2);
    expect(log.json.deliveries).toHaveLength(1);
    expect(log.json.deliveries[0]).toMatchObject({ eventType: 'client.locked', state: 'pending', attempts: 0 });
    const page2 = await call(deliveriesRoute.GET, 'GET', cookies.admin!, undefined, {
      params,
      search: '?pageSize=1&page=2',
    });
    expect(page2.json.deliveries[0]).toMatchObject({ id: tested.json.deliveryId, eventType: 'webhook.test' });

    const db = await getDb();
    await db
      .update(webhookDelivery)
      .set({ state: 'failed', attempts: 10 })
      .where(eq(webhookDelivery.id, tested.json.deliveryId));
    const again = await call(redeliverRoute.POST, 'POST', cookies.admin!, undefined, {
      params: { ...params, deliveryId: tested.json.deliveryId },
    });
    expect(again.status).toBe(202);
    const [row] = await db.select().from(webhookDelivery).where(eq(webhookDelivery.id, tested.json.deliveryId));
    expect(row).toMatchObject({ state: 'pending', attempts: 0 });
    // Through another endpoint's address: not found, nothing changed.
    const foreign = await call(redeliverRoute.POST, 'POST', cookies.admin!, undefined, {
      params: { endpointId: second.json.id, deliveryId: tested.json.deliveryId },
    });
    expect(foreign.status).toBe(404);
    const bad = await call(deliveriesRoute.GET, 'GET', cookies.admin!, undefined, { params, search: '?state=lost' });
    expect(bad.status).toBe(400);
  });

  it('deletes an endpoint with its deliveries, audited with its address', async () => {
    const created = await call(webhooksRoute.POST, 'POST', cookies.admin!, { url: 'https://8.8.8.8/gone' });
    const params = { endpointId: created.json.id };
    await call(testRoute.POST, 'POST', cookies.admin!, undefined, { params });
    const deleted = await call(endpointRoute.DELETE, 'DELETE', cookies.admin!, undefined, { params });
    expect(deleted.status).toBe(200);
    const db = await getDb();
    expect(await db.select().from(webhookDelivery).where(eq(webhookDelivery.endpointId, params.endpointId))).toEqual(
      [],
    );
    const audited = await listAudit({ page: 1, pageSize: 5, action: 'webhook.delete' } as never);
    expect(audited.entries[0]).toMatchObject({ outcome: 'success', details: { url: 'https://8.8.8.8/gone' } });
    const listed = await call(webhooksRoute.GET, 'GET', cookies.admin!);
    expect(listed.json.endpoints.map((endpoint: { id: string }) => endpoint.id)).not.toContain(params.endpointId);
  });

  it('refuses every new route to everyone but admins', async () => {
    const created = await call(webhooksRoute.POST, 'POST', cookies.admin!, { url: 'https://8.8.8.8/roles' });
    const params = { endpointId: created.json.id, deliveryId: `msg_${'a'.repeat(32)}` };
    for (const role of ['viewer', 'support', 'lead'] as const) {
      for (const [handler, method, body] of [
        [endpointRoute.PATCH, 'PATCH', { description: 'x' }],
        [endpointRoute.DELETE, 'DELETE', undefined],
        [rotateRoute.POST, 'POST', undefined],
        [testRoute.POST, 'POST', undefined],
        [deliveriesRoute.GET, 'GET', undefined],
        [redeliverRoute.POST, 'POST', undefined],
      ] as const) {
        expect((await call(handler, method, cookies[role]!, body, { params })).status).toBe(403);
      }
    }
  });
});
