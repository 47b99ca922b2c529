/**
 * Several services in one emulator: 3.x services isolated from each other, an Authlete 2.x service
 * on HTTP Basic at paths without a service id (no batch API), and 3.x's organization service list.
 * 2.x answers are parsed with the official SDK's models: 2.x and 3.x share the Java client's DTOs
 * for these APIs, and the 3.x OpenAPI (which the conformance check uses) has no 2.x paths.
 */
import { Authlete } from '@authlete/typescript-sdk';
import {
  ClientGetListResponse$inboundSchema,
  IntrospectionResponse$inboundSchema,
  Service$inboundSchema,
  TokenCreateResponse$inboundSchema,
  TokenGetListResponse$inboundSchema,
  TokenRevokeResponse$inboundSchema,
  TokenUpdateResponse$inboundSchema,
} from '@authlete/typescript-sdk/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SERVICE_ACCESS_TOKEN, DEMO_SERVICE_ID } from '../config/demo';
import {
  DEMO_ORGANIZATION_ACCESS_TOKEN,
  LEGACY_SERVICE_API_KEY,
  LEGACY_SERVICE_API_SECRET,
  SANDBOX_SERVICE_ACCESS_TOKEN,
  SANDBOX_SERVICE_ID,
  STAGING_SERVICE_ACCESS_TOKEN,
  STAGING_SERVICE_ID,
  serviceSeedSchema,
} from './seed';
import {
  type ApiResponse,
  type CallOptions,
  type TestEmulator,
  plain,
  startTestEmulator,
} from '@/server/testing/emulator-http';

const basic = (key: string, secret: string) => `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
const LEGACY_AUTH = basic(LEGACY_SERVICE_API_KEY, LEGACY_SERVICE_API_SECRET);
/** Web Banking in production, and its staging twin (same alias, its own id). */
const PROD_WEB = '26888344961664';
const STAGING_WEB = '826888344961664';
const LEGACY_WEB = '5593494701';

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator({ seed: { tokens: 30, environments: true } });
});
afterAll(async () => {
  await emu?.close();
});

/** A call on a 2.x path (`/api{path}`) with the 2.x service's key and secret unless told otherwise. */
const v2 = (path: string, options: CallOptions = {}) =>
  emu.call(`/api${path}`, { token: null, ...options, headers: { authorization: LEGACY_AUTH, ...options.headers } });
const staging = (path: string, options: CallOptions = {}) =>
  emu.call(`/api/${STAGING_SERVICE_ID}${path}`, { token: STAGING_SERVICE_ACCESS_TOKEN, ...options });

function expectError(res: ApiResponse, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.body.resultCode).toBe(code);
  expect(String(res.body.resultMessage)).toMatch(new RegExp(`^\\[${code}\\] `));
}

describe('Authlete 2.x service (HTTP Basic, paths without a service id)', () => {
  it('lists only its own seeded tokens and clients, in the shapes the SDK models accept', async () => {
    const list = await v2('/auth/token/get/list?start=0&end=20&tokenStatus=ALL');
    expect(list.status).toBe(200);
    const parsed = TokenGetListResponse$inboundSchema.parse(plain(list.body));
    expect(parsed.totalCount).toBe(250);
    expect(parsed.accessTokens).toHaveLength(20);
    const legacyClients = ['5593494701', '5593494702', '5593494703'].map(Number);
    expect(parsed.accessTokens!.every((t) => legacyClients.includes(t.clientId!))).toBe(true);
    const clients = ClientGetListResponse$inboundSchema.parse(plain((await v2('/client/get/list?end=10')).body));
    expect(clients.clients?.map((c) => c.clientIdAlias)).toEqual(['legacy-web-shop', 'legacy-pos', 'legacy-mobile']);
    const service = Service$inboundSchema.parse(plain((await v2('/service/get')).body));
    expect(service).toMatchObject({
      apiKey: Number(LEGACY_SERVICE_API_KEY),
      serviceName: 'Token Desk Legacy (Authlete 2.x)',
    });
    expect(JSON.stringify(service)).not.toContain(LEGACY_SERVICE_API_SECRET);
  });

  it('creates, updates, introspects, revokes and deletes on the 2.x paths', async () => {
    const created = await v2('/auth/token/create', {
      json: { grantType: 'AUTHORIZATION_CODE', clientId: Number(LEGACY_WEB), subject: 'v2-user', scopes: ['openid'] },
    });
    const token = TokenCreateResponse$inboundSchema.parse(plain(created.body));
    expect(token.action).toBe('OK');
    const updated = await v2('/auth/token/update', {
      json: { accessToken: token.accessToken, scopes: ['openid', 'profile'] },
    });
    expect(TokenUpdateResponse$inboundSchema.parse(plain(updated.body)).scopes).toEqual(['openid', 'profile']);
    const introspected = await v2('/auth/introspection', { json: { token: token.accessToken } });
    expect(IntrospectionResponse$inboundSchema.parse(plain(introspected.body))).toMatchObject({
      action: 'OK',
      subject: 'v2-user',
    });
    const bySubject = TokenGetListResponse$inboundSchema.parse(
      plain((await v2('/auth/token/get/list?subject=v2-user')).body),
    );
    expect(bySubject.totalCount).toBe(1);
    expect((await v2(`/auth/token/delete/${token.accessToken}`, { method: 'DELETE' })).status).toBe(204);
    const again = await v2('/auth/token/create', {
      json: { grantType: 'AUTHORIZATION_CODE', clientId: Number(LEGACY_WEB), subject: 'v2-user', scopes: ['openid'] },
    });
    expect(again.body.action).toBe('OK');
    const revoked = await v2('/auth/token/revoke', { json: { subject: 'v2-user' } });
    expect(TokenRevokeResponse$inboundSchema.parse(plain(revoked.body)).count).toBe(1);
  });

  it('answers the authorized-apps, consent and lock APIs on their 2.x paths', async () => {
    await v2('/auth/token/create', {
      json: { grantType: 'PASSWORD', clientId: Number(LEGACY_WEB), subject: 'v2-apps', scopes: ['openid'] },
    });
    const apps = plain<{ totalCount: number; clients: { clientId: number }[] }>(
      (await v2('/client/authorization/get/list/v2-apps')).body,
    );
    expect(apps.clients.map((c) => String(c.clientId))).toEqual([LEGACY_WEB]);
    const consent = await v2(`/client/granted_scopes/get/${LEGACY_WEB}/v2-apps`);
    expect(plain(consent.body)).toMatchObject({ latestGrantedScopes: ['openid'] });
    const lock = await v2('/client/lock_flag/update/legacy-mobile', { json: { clientLocked: true } });
    expect(lock.body.resultCode).toBe('A142001');
    expect(plain((await v2('/client/get/5593494703')).body)).toMatchObject({ locked: true });
    const revoked = await v2(`/client/authorization/delete/${LEGACY_WEB}/v2-apps`, { method: 'DELETE' });
    expect(String(revoked.body.resultMessage)).toContain('Deleted 1');
  });

  it('has no batch API: the paths are unknown, as on a 2.x server', async () => {
    expectError(await v2('/auth/token/create/batch?dryRun=true', { json: [] }), 404, 'A001210');
    expectError(await v2('/auth/token/create/batch/status/abc'), 404, 'A001210');
  });

  it('refuses missing, wrong and 3.x credentials with 401', async () => {
    expectError(await emu.call('/api/auth/token/get/list', { token: null }), 401, 'A001202');
    expectError(
      await v2('/auth/token/get/list', { headers: { authorization: basic(LEGACY_SERVICE_API_KEY, 'wrong-secret') } }),
      401,
      'A001204',
    );
    expectError(
      await v2('/auth/token/get/list', { headers: { authorization: basic('1234567', LEGACY_SERVICE_API_SECRET) } }),
      401,
      'A001204',
    );
    // A 3.x service's id with its access token as the secret is no 2.x credential either.
    expectError(
      await v2('/auth/token/get/list', {
        headers: { authorization: basic(DEMO_SERVICE_ID, DEMO_SERVICE_ACCESS_TOKEN) },
      }),
      401,
      'A001204',
    );
    expectError(await v2('/auth/token/get/list', { headers: { authorization: 'Basic not base64!' } }), 401, 'A001203');
    // A 3.x service access token on a 2.x path.
    expectError(await emu.call('/api/auth/token/get/list'), 401, 'A001203');
    expectError(await emu.call('/api/auth/token/create', { json: { grantType: 'PASSWORD' } }), 401, 'A001203');
  });

  it('is not a 3.x service: its credentials and its id are refused on 3.x paths', async () => {
    const onV3 = await emu.call(`/api/${DEMO_SERVICE_ID}/auth/token/get/list`, {
      token: null,
      headers: { authorization: LEGACY_AUTH },
    });
    expectError(onV3, 401, 'A001203');
    expectError(await emu.call(`/api/${LEGACY_SERVICE_API_KEY}/auth/token/get/list`), 403, 'A001206');
  });

  it('does not see 3.x tokens, and 3.x services do not see its tokens', async () => {
    const prod = await emu.api('/auth/token/create', {
      json: { grantType: 'PASSWORD', clientId: Number(PROD_WEB), subject: 'shared-user', scopes: ['openid'] },
    });
    const legacy = await v2('/auth/token/create', {
      json: { grantType: 'PASSWORD', clientId: Number(LEGACY_WEB), subject: 'shared-user', scopes: ['openid'] },
    });
    expect((await v2('/auth/introspection', { json: { token: prod.body.accessToken } })).body.action).toBe(
      'UNAUTHORIZED',
    );
    expect((await emu.api('/auth/introspection', { json: { token: legacy.body.accessToken } })).body.action).toBe(
      'UNAUTHORIZED',
    );
    // A 3.x client is another service's client for the 2.x service: FORBIDDEN, as between 3.x services.
    const foreign = await v2('/auth/token/create', {
      json: { grantType: 'PASSWORD', clientId: Number(PROD_WEB), subject: 'shared-user' },
    });
    expect(foreign.body.action).toBe('FORBIDDEN');
    expect(plain((await v2('/auth/token/get/list?subject=shared-user')).body)).toMatchObject({ totalCount: 1 });
  });
});

describe('several 3.x services', () => {
  it('keep their own clients and tokens: created in staging, production lists nothing', async () => {
    const created = await staging('/auth/token/create', {
      json: {
        grantType: 'AUTHORIZATION_CODE',
        clientIdentifier: 'web-banking',
        subject: 'stage-only',
        scopes: ['openid'],
      },
    });
    expect(created.body).toMatchObject({ action: 'OK' });
    expect(String(created.body.clientId)).toBe(STAGING_WEB);
    expect(plain((await staging('/auth/token/get/list?subject=stage-only')).body)).toMatchObject({ totalCount: 1 });
    expect(plain((await emu.api('/auth/token/get/list?subject=stage-only')).body)).toMatchObject({ totalCount: 0 });
    expect(
      plain(
        (
          await emu.call(`/api/${SANDBOX_SERVICE_ID}/auth/token/get/list?subject=stage-only`, {
            token: SANDBOX_SERVICE_ACCESS_TOKEN,
          })
        ).body,
      ),
    ).toMatchObject({ totalCount: 0 });
    // The same alias names each service's own client.
    const prodByAlias = plain<{ client: { clientId: number } }>(
      (await emu.api('/auth/token/get/list?clientIdentifier=web-banking&end=1')).body,
    );
    expect(String(prodByAlias.client.clientId)).toBe(PROD_WEB);
  });

  it('revoking in staging leaves production untouched', async () => {
    const subject = 'both-envs';
    for (let i = 0; i < 2; i++) {
      await emu.api('/auth/token/create', {
        json: { grantType: 'PASSWORD', clientId: Number(PROD_WEB), subject, scopes: ['openid'] },
      });
      await staging('/auth/token/create', {
        json: { grantType: 'PASSWORD', clientId: Number(STAGING_WEB), subject, scopes: ['openid'] },
      });
    }
    const revoked = await staging('/auth/token/revoke', { json: { subject } });
    expect(plain(revoked.body)).toMatchObject({ count: 2 });
    expect(plain((await staging(`/auth/token/get/list?subject=${subject}`)).body)).toMatchObject({ totalCount: 0 });
    expect(plain((await emu.api(`/auth/token/get/list?subject=${subject}`)).body)).toMatchObject({ totalCount: 2 });
  });

  it("refuse each other's tokens (A001219) and the organization token on service paths", async () => {
    expectError(await emu.api('/auth/token/get/list', { token: STAGING_SERVICE_ACCESS_TOKEN }), 403, 'A001219');
    expectError(await staging('/auth/token/get/list', { token: DEMO_SERVICE_ACCESS_TOKEN }), 403, 'A001219');
    expectError(await staging('/auth/token/get/list', { token: DEMO_ORGANIZATION_ACCESS_TOKEN }), 401, 'A001204');
  });
});

describe('3.x organization service list (GET /api/service/get/list)', () => {
  it("lists the organization's 3.x services, not the 2.x one, through the official SDK", async () => {
    const sdk = new Authlete({
      serverURL: emu.url,
      bearer: DEMO_ORGANIZATION_ACCESS_TOKEN,
      retryConfig: { strategy: 'none' },
    });
    const all = await sdk.service.list({ start: 0, end: 10 });
    expect(all.totalCount).toBe(3);
    expect(all.services?.map((s) => String(s.apiKey))).toEqual([
      DEMO_SERVICE_ID,
      SANDBOX_SERVICE_ID,
      STAGING_SERVICE_ID,
    ]);
    expect(all.services?.map((s) => s.serviceName)).toContain('Token Desk Staging');
    const page = await sdk.service.list({ start: 1, end: 2 });
    expect(page).toMatchObject({ start: 1, end: 2, totalCount: 3 });
    expect(page.services?.map((s) => String(s.apiKey))).toEqual([SANDBOX_SERVICE_ID]);
  });

  it('lists just its own service for a service token, and refuses other credentials', async () => {
    const own = plain<{ totalCount: number; services: { apiKey: number }[] }>(
      (await emu.call('/api/service/get/list', { token: STAGING_SERVICE_ACCESS_TOKEN })).body,
    );
    expect(own.totalCount).toBe(1);
    expect(own.services.map((s) => String(s.apiKey))).toEqual([STAGING_SERVICE_ID]);
    expectError(await emu.call('/api/service/get/list', { token: 'not-a-token' }), 401, 'A001204');
    expectError(await emu.call('/api/service/get/list', { token: null }), 401, 'A001202');
    expectError(
      await emu.call('/api/service/get/list?start=3&end=1', { token: DEMO_ORGANIZATION_ACCESS_TOKEN }),
      400,
      'A182202',
    );
    // 2.x's list takes a service owner's key and secret; a service's own are refused.
    expectError(await v2('/service/get/list'), 401, 'A001204');
  });
});

describe('declared services', () => {
  it('serves services given to startEmulator, with or without the demo data', async () => {
    const custom = await startTestEmulator({
      seed: { demo: false },
      services: [
        {
          apiVersion: 3,
          serviceId: '1001',
          name: 'Brand EU',
          accessToken: 'brand-eu-token-not-a-secret',
          clients: [
            {
              clientId: '90001',
              alias: 'eu-app',
              name: 'EU App',
              type: 'PUBLIC',
              developer: 'eu',
              grantTypes: ['AUTHORIZATION_CODE'],
              scopes: ['openid'],
            },
          ],
          tokens: 7,
        },
        { apiVersion: 2, serviceId: '1002', name: 'Brand JP (2.x)', apiSecret: 'brand-jp-secret-not-a-secret' },
      ],
    });
    try {
      const eu = await custom.call('/api/1001/auth/token/get/list', { token: 'brand-eu-token-not-a-secret' });
      expect(plain(eu.body)).toMatchObject({ totalCount: 7 });
      const jp = await custom.call('/api/client/get/list', {
        token: null,
        headers: { authorization: basic('1002', 'brand-jp-secret-not-a-secret') },
      });
      expect(plain(jp.body)).toMatchObject({ totalCount: 0 });
      expectError(await custom.call(`/api/${DEMO_SERVICE_ID}/auth/token/get/list`), 401, 'A001204');
    } finally {
      await custom.close();
    }
  });

  it('rejects a declaration with the wrong credential for its version', () => {
    const base = { serviceId: '1003', name: 'X', clients: [] };
    expect(
      serviceSeedSchema.safeParse({ ...base, apiVersion: 2, accessToken: 'a-token-of-enough-length' }).success,
    ).toBe(false);
    expect(
      serviceSeedSchema.safeParse({ ...base, apiVersion: 3, apiSecret: 'a-secret-of-enough-length' }).success,
    ).toBe(false);
    expect(
      serviceSeedSchema.safeParse({ ...base, apiVersion: 3, accessToken: 'a-token-of-enough-length' }).success,
    ).toBe(true);
  });
});
