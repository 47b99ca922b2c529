/**
 * The token routes against two services of one emulator: the demo service (Authlete 3.x) and the
 * legacy service (Authlete 2.x, HTTP Basic, paths without a service id). The same requests, through
 * route(), give the same answers on both; each service's tokens stay in that service. Nothing above
 * the Authlete client knows which version a service runs.
 * Both services are configured the way an operator would, through `AUTHLETE_SERVICES`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb } from '@/server/db';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import {
  PRODUCTION_AND_LEGACY,
  sessionCookiesFor,
  TEST_APP_URL,
  useTestEmulatorServices,
  type RouteHandler,
} from '@/server/testing/routes';
import * as tokensRoute from './route';
import * as hashRoute from './[hash]/route';
import * as revokeRoute from './[hash]/revoke/route';
import * as lookupRoute from './lookup/route';
import * as revocationsRoute from '../revocations/route';
import * as clientsRoute from '../clients/route';
import * as scopesRoute from '../scopes/route';

/** A client of each service, and a scope it may request. */
const SERVICES = {
  production: { clientId: '917364', scope: 'openid', grantType: 'PASSWORD' },
  legacy: { clientId: '5593494701', scope: 'profile', grantType: 'AUTHORIZATION_CODE' },
} as const;
type Slug = keyof typeof SERVICES;

let emulator: TestEmulator;
let cookie: string;

beforeAll(async () => {
  emulator = await startTestEmulator({ seed: { demo: true, tokens: 0, environments: true } });
  useTestEmulatorServices(emulator, PRODUCTION_AND_LEGACY);
  cookie = (await sessionCookiesFor(['admin'])).admin;
}, 300_000);
afterAll(async () => {
  await emulator?.close();
  await closeDb();
});

/** An answer's JSON, read loosely: each test checks the fields it needs. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a route's answer, read field by field
type Answer = any;

async function send(
  handler: unknown,
  method: string,
  path: string,
  params: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; json: Answer }> {
  const response = await (handler as RouteHandler)(
    new Request(`${TEST_APP_URL}${path}`, {
      method,
      headers: {
        cookie,
        'sec-fetch-site': 'same-origin',
        origin: TEST_APP_URL,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve(params) },
  );
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

describe.each(['production', 'legacy'] as const)('token routes on the %s service', (slug: Slug) => {
  const { clientId, scope, grantType } = SERVICES[slug];
  const base = `/api/s/${slug}/tokens`;
  const at = { service: slug };

  it('creates, lists, reads, updates, looks up, revokes and deletes, each in this service only', async () => {
    const subject = `routes-${slug}-${crypto.randomUUID().slice(0, 8)}`;
    const created = await send(tokensRoute.POST, 'POST', base, at, { grantType, clientId, subject, scopes: [scope] });
    expect(created.status).toBe(201);
    const hash: string = created.json.token.accessTokenHash;

    const listed = await send(tokensRoute.GET, 'GET', `${base}?subject=${subject}&status=all`, at);
    expect(listed.status).toBe(200);
    expect(listed.json.tokens.map((t: { accessTokenHash: string }) => t.accessTokenHash)).toEqual([hash]);
    // The other service has no such token.
    const other: Slug = slug === 'production' ? 'legacy' : 'production';
    const elsewhere = await send(tokensRoute.GET, 'GET', `/api/s/${other}/tokens?subject=${subject}`, {
      service: other,
    });
    expect(elsewhere.json.totalCount).toBe(0);

    const read = await send(hashRoute.GET, 'GET', `${base}/${hash}?subject=${subject}`, { ...at, hash });
    expect(read.status).toBe(200);
    expect(read.json.token).toMatchObject({ clientId, subject, scopes: [scope] });

    const updated = await send(
      hashRoute.PATCH,
      'PATCH',
      `${base}/${hash}?subject=${subject}&clientId=${clientId}`,
      {
        ...at,
        hash,
      },
      { scopes: [] },
    );
    expect(updated.status).toBe(200);
    expect(updated.json.token.scopes).toEqual([]);

    const looked = await send(lookupRoute.POST, 'POST', `${base}/lookup`, at, { token: created.json.accessToken });
    expect(looked.status).toBe(200);
    expect(looked.json).toMatchObject({ state: 'active', token: { accessTokenHash: hash } });

    const revoked = await send(
      revokeRoute.POST,
      'POST',
      `${base}/${hash}/revoke?subject=${subject}&clientId=${clientId}`,
      { ...at, hash },
      { reason: 'route test' },
    );
    expect(revoked).toMatchObject({ status: 200, json: { count: 1 } });

    const second = await send(tokensRoute.POST, 'POST', base, at, { grantType, clientId, subject, scopes: [] });
    const secondHash: string = second.json.token.accessTokenHash;
    const deleted = await send(
      hashRoute.DELETE,
      'DELETE',
      `${base}/${secondHash}?subject=${subject}&clientId=${clientId}`,
      { ...at, hash: secondHash },
      { reason: 'route test' },
    );
    expect(deleted.status).toBe(204);

    for (let i = 0; i < 2; i++)
      await send(tokensRoute.POST, 'POST', base, at, { grantType, clientId, subject, scopes: [] });
    const all = await send(revocationsRoute.POST, 'POST', `/api/s/${slug}/revocations`, at, {
      subject,
      reason: 'route test',
    });
    expect(all).toMatchObject({ status: 200, json: { count: 2 } });
    expect((await send(tokensRoute.GET, 'GET', `${base}?subject=${subject}&status=all`, at)).json.totalCount).toBe(0);
  });

  it('reads the service’s clients and scopes', async () => {
    const clients = await send(clientsRoute.GET, 'GET', `/api/s/${slug}/clients`, at);
    expect(clients.status).toBe(200);
    expect(JSON.stringify(clients.json)).toContain(clientId);
    const scopes = await send(scopesRoute.GET, 'GET', `/api/s/${slug}/scopes`, at);
    expect(scopes.status).toBe(200);
    expect(JSON.stringify(scopes.json)).toContain(`"${scope}"`);
  });

  it('a token of the other service cannot be revoked here (its client is unknown to this service), and stays there', async () => {
    const other: Slug = slug === 'production' ? 'legacy' : 'production';
    const theirs = SERVICES[other];
    const subject = `foreign-${slug}-${crypto.randomUUID().slice(0, 8)}`;
    const created = await send(
      tokensRoute.POST,
      'POST',
      `/api/s/${other}/tokens`,
      { service: other },
      {
        grantType: theirs.grantType,
        clientId: theirs.clientId,
        subject,
        scopes: [],
      },
    );
    const hash: string = created.json.token.accessTokenHash;
    const revoked = await send(
      revokeRoute.POST,
      'POST',
      `${base}/${hash}/revoke?subject=${subject}&clientId=${theirs.clientId}`,
      { ...at, hash },
      { reason: 'wrong service' },
    );
    // Authlete refuses the other service's client id before anything is looked up or changed.
    expect(revoked).toMatchObject({ status: 422, json: { error: { code: 'unprocessable' } } });
    const still = await send(tokensRoute.GET, 'GET', `/api/s/${other}/tokens?subject=${subject}`, { service: other });
    expect(still.json.totalCount).toBe(1);
  });
});
