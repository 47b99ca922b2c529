/**
 * The Authlete client against an Authlete 2.x service (the emulator's legacy service): HTTP Basic
 * with the API key and secret, paths without a service id, no batch API. Every exchange the client
 * makes is captured at the emulator and its answer parsed with the official SDK's models (2.x and
 * 3.x share the Java client's DTOs for these APIs; see server/emulator/README.md, "The 2.x dialect").
 */
import {
  ClientGetListResponse$inboundSchema,
  IntrospectionResponse$inboundSchema,
  Service$inboundSchema,
  TokenCreateResponse$inboundSchema,
  TokenGetListResponse$inboundSchema,
  TokenRevokeResponse$inboundSchema,
  TokenUpdateResponse$inboundSchema,
} from '@authlete/typescript-sdk/models';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sha256Base64Url } from '@/lib/hash';
import type { Exchange } from '@/server/emulator/server';
import { LEGACY_SERVICE_API_KEY, LEGACY_SERVICE_API_SECRET } from '@/server/emulator/seed';
import { recordExchange } from '@/server/testing/conformance';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import { createAuthleteClient, type AuthleteClientOptions } from './client';
import { AuthleteError } from './errors';

const WEB_SHOP = '5593494701';
const POS = '5593494702';
const LEGACY_TOKENS = 250;

let emulator: TestEmulator;
let exchanges: Exchange[] = [];

beforeAll(async () => {
  emulator = await startTestEmulator({
    seed: { demo: true, tokens: 20, environments: true },
    onExchange: (exchange) => {
      exchanges.push(exchange);
      recordExchange(exchange);
    },
  });
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await emulator.clearFaults();
  exchanges = [];
});

function legacy(overrides: Partial<AuthleteClientOptions> = {}) {
  return createAuthleteClient({
    baseUrl: emulator.url,
    apiVersion: 2,
    apiKey: LEGACY_SERVICE_API_KEY,
    apiSecret: LEGACY_SERVICE_API_SECRET,
    timeoutMs: 2_000,
    retry: { minDelayMs: 10, maxDelayMs: 50 },
    ...overrides,
  } as AuthleteClientOptions);
}

async function failure(promise: Promise<unknown>): Promise<AuthleteError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthleteError);
  return error as AuthleteError;
}

/** The SDK model of each 2.x path's answer (204 answers have none). */
const MODELS: Array<[RegExp, { parse(value: unknown): unknown }]> = [
  [/^\/api\/auth\/token\/get\/list\?/, TokenGetListResponse$inboundSchema],
  [/^\/api\/auth\/token\/create$/, TokenCreateResponse$inboundSchema],
  [/^\/api\/auth\/token\/update$/, TokenUpdateResponse$inboundSchema],
  [/^\/api\/auth\/token\/revoke$/, TokenRevokeResponse$inboundSchema],
  [/^\/api\/auth\/introspection$/, IntrospectionResponse$inboundSchema],
  [/^\/api\/client\/get\/list\?/, ClientGetListResponse$inboundSchema],
  [/^\/api\/service\/get$/, Service$inboundSchema],
];

/** Every exchange so far went to a 2.x path, was answered as 2.x, and its answer parses with the SDK's model. */
function expectAll2x(): string[] {
  expect(exchanges.length).toBeGreaterThan(0);
  for (const exchange of exchanges) {
    expect(exchange.authlete2x, exchange.url).toBe(true);
    expect(exchange.url, 'no service id in a 2.x path').not.toContain(`/api/${LEGACY_SERVICE_API_KEY}/`);
    if (exchange.status === 204) continue;
    expect(exchange.status, exchange.url).toBe(200);
    const model = MODELS.find(([path]) => path.test(exchange.url))?.[1];
    expect(model, `an SDK model for ${exchange.url}`).toBeDefined();
    expect(() => model!.parse(JSON.parse(exchange.responseBody ?? 'null')), exchange.url).not.toThrow();
  }
  return exchanges.map((exchange) => `${exchange.method} ${exchange.url.replace(/\?.*$/, '')}`);
}

describe('the Authlete client on an Authlete 2.x service', () => {
  it('lists the service’s own tokens and clients, and its scopes', async () => {
    const authlete = legacy();
    const page = await authlete.listTokens({ status: 'all' }, 0, 45);
    expect(page.totalCount).toBe(LEGACY_TOKENS);
    expect(page.tokens).toHaveLength(45);
    expect(new Set(page.tokens.map((t) => t.clientId))).toEqual(new Set([WEB_SHOP, POS, '5593494703']));
    const byClient = await authlete.listTokens({ clientId: POS, status: 'valid' }, 0, 20);
    expect(byClient.tokens.every((t) => t.clientId === POS)).toBe(true);
    const clients = await authlete.listClients();
    expect(clients.map((c) => c.clientIdAlias)).toEqual(['legacy-web-shop', 'legacy-pos', 'legacy-mobile']);
    const scopes = await authlete.listSupportedScopes();
    expect(scopes.map((s) => s.name)).toContain('payments.read');
    expect(expectAll2x()).toEqual([
      'GET /api/auth/token/get/list',
      'GET /api/auth/token/get/list',
      'GET /api/auth/token/get/list',
      'GET /api/auth/token/get/list',
      'GET /api/client/get/list',
      'GET /api/service/get',
    ]);
  });

  it('creates, finds, updates, rotates, introspects, revokes and deletes tokens', async () => {
    const authlete = legacy();
    const created = await authlete.createToken({
      grantType: 'AUTHORIZATION_CODE',
      clientId: WEB_SHOP,
      subject: 'v2-contract',
      scopes: ['profile', 'payments.read'],
    });
    expect(created.token).toMatchObject({ clientId: WEB_SHOP, subject: 'v2-contract' });
    const hash = created.token.accessTokenHash;
    expect(hash).toBe(await sha256Base64Url(created.accessToken));

    const { token } = await authlete.findToken(hash, { subject: 'v2-contract' });
    expect(token.scopes).toEqual(['profile', 'payments.read']);

    const updated = await authlete.updateToken(hash, { scopes: ['profile'] });
    expect(updated.scopes).toEqual(['profile']);

    const looked = await authlete.lookupTokenByValue(created.accessToken);
    expect(looked).toMatchObject({ state: 'active', complete: true, token: { accessTokenHash: hash } });

    const rotated = await authlete.rotateTokenValue(hash);
    expect(rotated.accessTokenHash).not.toBe(hash);
    expect(await authlete.introspectToken(created.accessToken)).toEqual({ state: 'unknown' });

    expect(await authlete.revokeToken(rotated.accessTokenHash)).toBe(1);

    const second = await authlete.createToken({ grantType: 'CLIENT_CREDENTIALS', clientId: POS, scopes: [] });
    await authlete.deleteToken(second.token.accessTokenHash);
    expect((await failure(authlete.deleteToken(second.token.accessTokenHash))).code).toBe('not_found');

    for (const scope of [['profile'], ['email']])
      await authlete.createToken({ grantType: 'PASSWORD', clientId: WEB_SHOP, subject: 'v2-leaver', scopes: scope });
    expect(await authlete.revokeSubjectTokens('v2-leaver')).toBe(2);

    // Every call (the failed delete's 400 aside) on a 2.x path, its answer in the SDK's shape.
    exchanges = exchanges.filter((exchange) => exchange.status !== 400);
    expect(new Set(expectAll2x())).toEqual(
      new Set([
        'POST /api/auth/token/create',
        'GET /api/auth/token/get/list',
        'POST /api/auth/token/update',
        'POST /api/auth/introspection',
        'POST /api/auth/token/revoke',
        `DELETE /api/auth/token/delete/${second.token.accessTokenHash}`,
      ]),
    );
  });

  it('keeps the services apart: the 2.x service’s tokens are not the 3.x service’s', async () => {
    const created = await legacy().createToken({
      grantType: 'PASSWORD',
      clientId: WEB_SHOP,
      subject: 'v2-only',
      scopes: [],
    });
    const production = createAuthleteClient({
      baseUrl: emulator.url,
      apiVersion: 3,
      serviceId: emulator.serviceId,
      accessToken: emulator.serviceAccessToken,
      timeoutMs: 2_000,
    });
    expect((await production.listTokens({ subject: 'v2-only', status: 'all' }, 0, 5)).totalCount).toBe(0);
    expect(await production.introspectToken(created.accessToken)).toEqual({ state: 'unknown' });
    expect((await legacy().listTokens({ subject: 'v2-only', status: 'all' }, 0, 5)).totalCount).toBe(1);
  });

  it('refuses the batch API before calling: 2.x has none', async () => {
    const authlete = legacy();
    expect(authlete.capabilities.batch).toBe(false);
    const row = { grantType: 'PASSWORD' as const, clientId: WEB_SHOP, subject: 'batch', scopes: [] };
    const refused = await failure(authlete.createBatch([row], true));
    expect(refused).toMatchObject({ code: 'not_supported', operation: 'batch.create' });
    expect((await failure(authlete.getBatchStatus('abc'))).code).toBe('not_supported');
    expect(exchanges).toEqual([]);
  });
});

describe('Authlete 2.x credentials', () => {
  it('a wrong API secret or key is refused as upstream_unauthorized, never retried', async () => {
    for (const wrong of [{ apiSecret: 'not-the-secret-of-this-service' }, { apiKey: '5593494000' }]) {
      exchanges = [];
      const refused = await failure(legacy(wrong).listTokens({ status: 'all' }, 0, 5));
      expect(refused).toMatchObject({ code: 'upstream_unauthorized', status: 401, resultCode: 'A001204' });
      expect(refused.message).not.toContain(LEGACY_SERVICE_API_SECRET);
      expect(exchanges).toHaveLength(1);
    }
  });

  it('2.x credentials are not a 3.x service: the key as a service id is refused', async () => {
    const asV3 = createAuthleteClient({
      baseUrl: emulator.url,
      apiVersion: 3,
      serviceId: LEGACY_SERVICE_API_KEY,
      accessToken: LEGACY_SERVICE_API_SECRET,
      timeoutMs: 2_000,
      retry: { retries: 0 },
    });
    expect((await failure(asV3.listSupportedScopes())).code).toBe('upstream_unauthorized');
    expect(asV3.capabilities.batch).toBe(true);
  });

  it('a target without the credentials of its version is a configuration error at construction', () => {
    expect(() => createAuthleteClient({ baseUrl: emulator.url, apiVersion: 2, apiKey: '1' })).toThrow(
      /API key and API secret/,
    );
    expect(() => createAuthleteClient({ baseUrl: emulator.url, apiVersion: 3, apiKey: '1', apiSecret: 's' })).toThrow(
      /service id and service access token/,
    );
  });
});
