/**
 * Services stored in the app (ENCRYPTION_KEY) through the real wrapper, sessions, database and
 * emulator: admins only (every other role refused and audited), step-up on every change, the base
 * URL checked like the environment's, credentials in no answer, the registry picking a stored
 * service up without a restart (and losing it when disabled or deleted), and discovery with the
 * emulator's organization token.
 */
import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '@/server/audit';
import { getDb } from '@/server/db';
import { authSession, jobs, storedServices } from '@/server/db/schema';
import { DEMO_SERVICE_ID } from '@/server/config/demo';
import {
  DEMO_ORGANIZATION_ACCESS_TOKEN,
  SANDBOX_SERVICE_ACCESS_TOKEN,
  SANDBOX_SERVICE_ID,
} from '@/server/emulator/seed';
import { envelopeKeyId } from '@/server/core/seal';
import { authleteFor, findService, listServices, refreshServices } from '@/server/services';
import { createStoredService, rewrapStoredServices } from '@/server/services/stored';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import { sessionCookieFor } from '@/server/testing/session';
import { TEST_APP_URL, useTestEmulatorUpstream, type RouteHandler } from '@/server/testing/routes';
import * as servicesRoute from '../route';
import * as connectionTestRoute from '../connection-test/route';
import * as discoverRoute from '../discover/route';
import * as storedRoute from './route';
import * as oneRoute from './[slug]/route';
import * as oneTestRoute from './[slug]/connection-test/route';

let emulator: TestEmulator;
const cookies: Record<string, string> = {};
const ENCRYPTION_KEY = crypto.randomBytes(32).toString('base64');
/** Every answer's text, to check no credential ever appears in one. */
const answers: string[] = [];

beforeAll(async () => {
  emulator = await startTestEmulator();
  useTestEmulatorUpstream(emulator, { env: { ENCRYPTION_KEY } });
  for (const role of ['viewer', 'support', 'lead', 'admin'] as const) {
    cookies[role] = await sessionCookieFor(role, `${role}-stored@desk.test`);
  }
}, 600_000);
afterAll(() => emulator?.close());

async function call(
  handler: unknown,
  method: string,
  path: string,
  cookie: string,
  body?: unknown,
  params: Record<string, string> = {},
) {
  const response = await (handler as RouteHandler)(
    new Request(`${TEST_APP_URL}/api/s/default${path}`, {
      method,
      headers: {
        'sec-fetch-site': 'same-origin',
        'user-agent': 'vitest',
        cookie,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
    { params: Promise.resolve({ service: 'default', ...params }) },
  );
  const text = await response.text();
  answers.push(text);
  return { status: response.status, json: JSON.parse(text) };
}

const sandbox = () => ({
  slug: 'sandbox',
  name: 'Sandbox',
  environment: 'staging',
  baseUrl: `${emulator.url}/`,
  serviceId: SANDBOX_SERVICE_ID,
  credentials: { apiVersion: 3, accessToken: SANDBOX_SERVICE_ACCESS_TOKEN },
});

async function ageVerification(cookie: string, seconds: number) {
  const token = decodeURIComponent(
    cookie
      .split('; ')
      .find((pair) => pair.includes('session_token'))!
      .split('=')[1]!,
  );
  await (
    await getDb()
  )
    .update(authSession)
    .set({ verifiedAt: new Date(Date.now() - seconds * 1000) })
    .where(eq(authSession.token, token.slice(0, token.lastIndexOf('.'))));
}

describe('services stored in the app', () => {
  it('refuses every role but admin, on every route, and audits the refusal', async () => {
    for (const role of ['viewer', 'support', 'lead'] as const) {
      const cookie = cookies[role]!;
      expect((await call(storedRoute.GET, 'GET', '/services/stored', cookie)).status).toBe(403);
      expect((await call(storedRoute.POST, 'POST', '/services/stored', cookie, sandbox())).status).toBe(403);
      const slug = { slug: 'sandbox' };
      expect((await call(oneRoute.PATCH, 'PATCH', '/services/stored/sandbox', cookie, {}, slug)).status).toBe(403);
      expect((await call(oneRoute.DELETE, 'DELETE', '/services/stored/sandbox', cookie, undefined, slug)).status).toBe(
        403,
      );
      expect(
        (await call(oneTestRoute.POST, 'POST', '/services/stored/sandbox/connection-test', cookie, {}, slug)).status,
      ).toBe(403);
      expect(
        (await call(connectionTestRoute.POST, 'POST', '/services/connection-test', cookie, sandbox())).status,
      ).toBe(403);
      const discovery = { baseUrl: emulator.url, organizationToken: DEMO_ORGANIZATION_ACCESS_TOKEN };
      expect((await call(discoverRoute.POST, 'POST', '/services/discover', cookie, discovery)).status).toBe(403);
    }
    const denials = await listAudit({
      page: 1,
      pageSize: 20,
      action: 'auth.denied',
      actor: 'lead-stored@desk.test',
    } as never);
    expect(denials.entries.length).toBe(7);
  });

  it('lists the configuration’s services read-only, and says services can be stored', async () => {
    const listed = await call(storedRoute.GET, 'GET', '/services/stored', cookies.admin!);
    expect(listed.status).toBe(200);
    expect(listed.json).toEqual({
      storable: true,
      services: [expect.objectContaining({ slug: 'default', source: 'configuration', disabled: false })],
    });
  });

  it('refuses an invalid or unallowed base URL, and a slug the configuration has', async () => {
    for (const baseUrl of ['ftp://us.authlete.com', 'https://user:pw@us.authlete.com', 'https://x.test/?a=1', 'nope']) {
      const refused = await call(storedRoute.POST, 'POST', '/services/stored', cookies.admin!, {
        ...sandbox(),
        baseUrl,
      });
      expect(refused.status).toBe(400);
      expect(refused.json.error.code).toBe('validation_failed');
      expect(refused.json.error.details.fieldErrors.baseUrl).toBeDefined();
    }
    const taken = await call(storedRoute.POST, 'POST', '/services/stored', cookies.admin!, {
      ...sandbox(),
      slug: 'default',
    });
    expect(taken.status).toBe(409);
  });

  it('tests a connection before saving: the right credential passes, a wrong one says why', async () => {
    const ok = await call(connectionTestRoute.POST, 'POST', '/services/connection-test', cookies.admin!, sandbox());
    expect(ok.json).toMatchObject({ ok: true });
    const wrong = await call(connectionTestRoute.POST, 'POST', '/services/connection-test', cookies.admin!, {
      ...sandbox(),
      credentials: { apiVersion: 3, accessToken: 'not-the-sandbox-token-at-all' },
    });
    expect(wrong.json).toMatchObject({ ok: false, error: expect.stringContaining('refused') });
  });

  it('needs a fresh step-up for every change', async () => {
    const cookie = await sessionCookieFor('admin', 'admin-stepup-stored@desk.test');
    await ageVerification(cookie, 3600);
    const routes: [unknown, string, string, unknown, Record<string, string>?][] = [
      [storedRoute.POST, 'POST', '/services/stored', sandbox()],
      [oneRoute.PATCH, 'PATCH', '/services/stored/sandbox', { name: 'x' }, { slug: 'sandbox' }],
      [oneRoute.DELETE, 'DELETE', '/services/stored/sandbox', undefined, { slug: 'sandbox' }],
      [connectionTestRoute.POST, 'POST', '/services/connection-test', sandbox()],
      [
        discoverRoute.POST,
        'POST',
        '/services/discover',
        { baseUrl: emulator.url, organizationToken: DEMO_ORGANIZATION_ACCESS_TOKEN },
      ],
    ];
    for (const [handler, method, path, body, params] of routes) {
      const refused = await call(handler, method, path, cookie, body, params);
      expect(refused.status).toBe(403);
      expect(refused.json.error.code).toBe('step_up_required');
    }
    // Reading needs none.
    expect((await call(storedRoute.GET, 'GET', '/services/stored', cookie)).status).toBe(200);
  });

  it('adds a service the registry then resolves without a restart, its credential sealed at rest', async () => {
    await refreshServices();
    expect(findService('sandbox')).toBeUndefined();
    const created = await call(storedRoute.POST, 'POST', '/services/stored', cookies.admin!, sandbox());
    expect(created.status).toBe(201);
    expect(created.json.service).toMatchObject({ slug: 'sandbox', source: 'stored', baseUrl: emulator.url });

    const [row] = await (await getDb()).select().from(storedServices).where(eq(storedServices.slug, 'sandbox'));
    expect(row!.credentialsSealed).not.toContain(SANDBOX_SERVICE_ACCESS_TOKEN);
    expect(row!.credentialsSealed.startsWith('e1.')).toBe(true);

    expect(listServices().map((service) => service.slug)).toEqual(['default', 'sandbox']);
    const clients = await authleteFor('sandbox').listClients();
    expect(clients.length).toBeGreaterThan(0);
    // The services page (health and totals) lists it too.
    const statuses = await call(servicesRoute.GET, 'GET', '/services', cookies.admin!);
    expect(statuses.json.services.map((service: { slug: string }) => service.slug)).toEqual(['default', 'sandbox']);

    const audit = await listAudit({ page: 1, pageSize: 5, action: 'service.create' } as never);
    expect(audit.entries[0]).toMatchObject({
      outcome: 'success',
      details: expect.objectContaining({ slug: 'sandbox' }),
    });
    expect(JSON.stringify(audit.entries)).not.toContain(SANDBOX_SERVICE_ACCESS_TOKEN);
  });

  it('is seen by another instance within seconds: a row written elsewhere appears on the next read', async () => {
    // Another instance's insert: straight into the table, sealed as that instance would.
    const { sealEnvelope } = await import('@/server/core/seal');
    await (await getDb()).insert(storedServices).values({
      slug: 'elsewhere',
      name: 'Added elsewhere',
      environment: 'development',
      apiVersion: 3,
      baseUrl: emulator.url,
      serviceId: DEMO_SERVICE_ID,
      credentialsSealed: sealEnvelope({ current: ENCRYPTION_KEY }, 'stored-service:elsewhere', 'x'.repeat(20)),
      keyId: envelopeKeyId(ENCRYPTION_KEY),
    });
    await new Promise((resolve) => setTimeout(resolve, 5_100));
    await refreshServices();
    expect(findService('elsewhere')).toBeDefined();
    await (await getDb()).delete(storedServices).where(eq(storedServices.slug, 'elsewhere'));
  }, 20_000);

  it('edits with credentials left blank (kept) or replaced, never returning them', async () => {
    const renamed = await call(
      oneRoute.PATCH,
      'PATCH',
      '/services/stored/sandbox',
      cookies.admin!,
      { name: 'Sandbox EU' },
      { slug: 'sandbox' },
    );
    expect(renamed.status).toBe(200);
    expect(renamed.json.service.name).toBe('Sandbox EU');
    const kept = await call(
      oneTestRoute.POST,
      'POST',
      '/services/stored/sandbox/connection-test',
      cookies.admin!,
      {},
      { slug: 'sandbox' },
    );
    expect(kept.json).toMatchObject({ ok: true });
    const replacedWrong = await call(
      oneTestRoute.POST,
      'POST',
      '/services/stored/sandbox/connection-test',
      cookies.admin!,
      { credentials: { apiVersion: 3, accessToken: 'wrong-token-for-the-sandbox' } },
      { slug: 'sandbox' },
    );
    expect(replacedWrong.json.ok).toBe(false);
    await refreshServices();
    expect(findService('sandbox')?.name).toBe('Sandbox EU');
  });

  it("shows the health of a changed credential at once, not the old credential's cached check", async () => {
    const healthOf = async () =>
      (await call(servicesRoute.GET, 'GET', '/services', cookies.admin!)).json.services.find(
        (service: { slug: string }) => service.slug === 'sandbox',
      ).health;
    expect(await healthOf()).toMatchObject({ ok: true });
    const replaceToken = async (accessToken: string) =>
      (
        await call(
          oneRoute.PATCH,
          'PATCH',
          '/services/stored/sandbox',
          cookies.admin!,
          { credentials: { apiVersion: 3, accessToken } },
          { slug: 'sandbox' },
        )
      ).status;
    expect(await replaceToken('wrong-token-for-the-sandbox')).toBe(200);
    // Well inside the check's 10 s reuse: the new credential is asked, not the old answer shown.
    expect(await healthOf()).toMatchObject({ ok: false });
    expect(await replaceToken(SANDBOX_SERVICE_ACCESS_TOKEN)).toBe(200);
    expect(await healthOf()).toMatchObject({ ok: true });
  });

  it('refuses to disable or delete while a job has not finished, then disables and deletes', async () => {
    const db = await getDb();
    await db.insert(jobs).values({
      id: 'job-on-sandbox',
      type: 'export',
      state: 'running',
      createdById: 'x',
      createdByEmail: 'x@desk.test',
      service: 'sandbox',
    });
    const slug = { slug: 'sandbox' };
    const disable = () =>
      call(oneRoute.PATCH, 'PATCH', '/services/stored/sandbox', cookies.admin!, { disabled: true }, slug);
    expect((await disable()).status).toBe(409);
    expect(
      (await call(oneRoute.DELETE, 'DELETE', '/services/stored/sandbox', cookies.admin!, undefined, slug)).status,
    ).toBe(409);
    await db.update(jobs).set({ finishedAt: new Date(), state: 'succeeded' }).where(eq(jobs.id, 'job-on-sandbox'));

    expect((await disable()).json.service.disabled).toBe(true);
    await refreshServices();
    expect(findService('sandbox')).toBeUndefined();
    const listed = await call(storedRoute.GET, 'GET', '/services/stored', cookies.admin!);
    expect(listed.json.services).toContainEqual(expect.objectContaining({ slug: 'sandbox', disabled: true }));

    expect(
      (await call(oneRoute.DELETE, 'DELETE', '/services/stored/sandbox', cookies.admin!, undefined, slug)).status,
    ).toBe(200);
    expect(
      (await call(oneRoute.DELETE, 'DELETE', '/services/stored/sandbox', cookies.admin!, undefined, slug)).status,
    ).toBe(404);
  });

  it("discovers an organization's 3.x services with its token, marking those already here", async () => {
    const found = await call(discoverRoute.POST, 'POST', '/services/discover', cookies.admin!, {
      baseUrl: emulator.url,
      organizationToken: DEMO_ORGANIZATION_ACCESS_TOKEN,
    });
    expect(found.status).toBe(200);
    expect(found.json.services).toEqual(
      expect.arrayContaining([
        { serviceId: DEMO_SERVICE_ID, name: 'Token Desk Demo Service', alreadyAdded: 'default' },
        { serviceId: SANDBOX_SERVICE_ID, name: 'Token Desk Sandbox', alreadyAdded: null },
      ]),
    );
    const refused = await call(discoverRoute.POST, 'POST', '/services/discover', cookies.admin!, {
      baseUrl: emulator.url,
      organizationToken: 'not-an-organization-token',
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
  });

  it('never put a credential in any answer', () => {
    const everything = answers.join('\n');
    for (const secret of [
      SANDBOX_SERVICE_ACCESS_TOKEN,
      DEMO_ORGANIZATION_ACCESS_TOKEN,
      'not-the-sandbox-token-at-all',
      'wrong-token-for-the-sandbox',
      emulator.serviceAccessToken,
    ])
      expect(everything).not.toContain(secret);
  });
});

describe('rotating ENCRYPTION_KEY', () => {
  it('the previous key still opens, re-wrapping moves every row to the new key, then the old one can go', async () => {
    const db = await getDb();
    const oldKey = ENCRYPTION_KEY;
    const newKey = crypto.randomBytes(32).toString('base64');
    await createStoredService(db, { current: oldKey }, { ...sandbox(), slug: 'rotated' } as never, [], 'x@desk.test');

    useTestEmulatorUpstream(emulator, { env: { ENCRYPTION_KEY: newKey, ENCRYPTION_KEY_PREVIOUS: oldKey } });
    await refreshServices();
    expect(findService('rotated')).toBeDefined();
    expect(await rewrapStoredServices(db, { current: newKey, previous: oldKey })).toBe(1);
    expect(await rewrapStoredServices(db, { current: newKey, previous: oldKey })).toBe(0);
    const [row] = await db.select().from(storedServices).where(eq(storedServices.slug, 'rotated'));
    expect(row!.keyId).toBe(envelopeKeyId(newKey));

    useTestEmulatorUpstream(emulator, { env: { ENCRYPTION_KEY: newKey } });
    await refreshServices();
    expect((await authleteFor('rotated').listClients()).length).toBeGreaterThan(0);

    // Under a key it was never wrapped with, the service is left out (logged), and re-wrapping names it.
    const otherKey = crypto.randomBytes(32).toString('base64');
    useTestEmulatorUpstream(emulator, { env: { ENCRYPTION_KEY: otherKey } });
    await refreshServices();
    expect(findService('rotated')).toBeUndefined();
    expect(findService('default')).toBeDefined();
    await expect(rewrapStoredServices(db, { current: otherKey })).rejects.toThrow(
      `Service rotated: This secret was encrypted under key ${envelopeKeyId(newKey)}`,
    );
    await db.delete(storedServices).where(eq(storedServices.slug, 'rotated'));
  });
});

describe('without ENCRYPTION_KEY', () => {
  it('says services come from the environment only, and refuses to store one', async () => {
    useTestEmulatorUpstream(emulator);
    const listed = await call(storedRoute.GET, 'GET', '/services/stored', cookies.admin!);
    expect(listed.json.storable).toBe(false);
    const refused = await call(storedRoute.POST, 'POST', '/services/stored', cookies.admin!, sandbox());
    expect(refused.status).toBe(409);
    expect(refused.json.error.message).toContain('ENCRYPTION_KEY');
  });
});
