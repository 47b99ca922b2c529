import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_SERVICE_ACCESS_TOKEN, SANDBOX_SERVICE_ID } from './seed';
import { type TestEmulator, plain, startTestEmulator } from '@/server/testing/emulator-http';

const sha = (v: string) => createHash('sha256').update(v).digest('base64url');

// Demo clients (seed.ts): ids, aliases, grant types.
const WEB = { id: '26888344961664', alias: 'web-banking' };
const KIOSK = { id: '917364', alias: 'legacy-kiosk' };
const BILLING = { id: '44217', alias: 'billing-batch' };
const BIG = { id: '12345678901234567', alias: 'audit-exporter' }; // above 2^53

interface Created {
  accessToken: string;
  refreshToken?: string;
  expiresAt: unknown;
}

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu?.close();
});

async function create(body: Record<string, unknown>): Promise<Created> {
  const res = await emu.api('/auth/token/create', {
    json: { grantType: 'AUTHORIZATION_CODE', clientId: Number(WEB.id), ...body },
  });
  expect(res.status, res.text).toBe(200);
  return res.body as unknown as Created;
}

async function list(query: Record<string, string | number>) {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  return emu.api(`/auth/token/get/list?${qs}`);
}

function expectError(res: { status: number; body: Record<string, unknown> }, status: number, code?: string) {
  expect(res.status).toBe(status);
  expect(res.body.resultCode).toMatch(/^A\d{6}$/);
  if (code) expect(res.body.resultCode).toBe(code);
  expect(String(res.body.resultMessage)).toMatch(new RegExp(`^\\[${String(res.body.resultCode)}\\] /`));
}

describe('authentication', () => {
  it('rejects a request without an Authorization header with 401', async () => {
    expectError(await emu.api('/auth/token/get/list', { token: null }), 401, 'A001202');
  });
  it('rejects a non-Bearer header and an unknown token with 401', async () => {
    expectError(
      await emu.api('/auth/token/get/list', { token: null, headers: { authorization: 'Basic Zm9vOmJhcg==' } }),
      401,
      'A001203',
    );
    expectError(await emu.api('/auth/token/get/list', { token: 'not-a-service-token' }), 401, 'A001204');
  });
  it("binds a token to its service: another service's token gets 403", async () => {
    expectError(await emu.api('/auth/token/get/list', { token: SANDBOX_SERVICE_ACCESS_TOKEN }), 403, 'A001219');
    const own = await emu.call(`/api/${SANDBOX_SERVICE_ID}/auth/token/get/list`, {
      token: SANDBOX_SERVICE_ACCESS_TOKEN,
    });
    expect(own.status).toBe(200);
  });
  it('answers an unknown or malformed service id with 4xx', async () => {
    expectError(await emu.call('/api/999999/auth/token/get/list'), 403, 'A001206');
    expectError(await emu.call('/api/not-a-number/auth/token/get/list'), 400, 'A001205');
    expectError(await emu.call('/api/%37%31/auth/token/get/list'), 400, 'A001205');
    expectError(await emu.call(`/api/${'9'.repeat(30)}/auth/token/get/list`), 400, 'A001205');
    expectError(await emu.call('/api/../api/715948317/auth/token/get/list'), 404, 'A001210');
  });
  it('answers unknown routes with 404 and wrong methods with 405, in the same shape', async () => {
    for (const path of ['/auth/token/get', '/auth/token/get/list/extra', '/nope']) {
      expectError(await emu.api(path), 404, 'A001210');
    }
    expectError(await emu.call('/'), 404, 'A001210');
    const wrongMethod = await emu.api('/auth/token/create');
    expectError(wrongMethod, 405, 'A001211');
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect((await emu.api('/client/authorization/delete/1?subject=s', { method: 'PUT' })).headers.get('allow')).toBe(
      'DELETE, POST',
    );
  });
});

describe('token create', () => {
  it('creates a token, returns the values once and stores only their hashes', async () => {
    const res = await emu.api('/auth/token/create', {
      json: {
        grantType: 'AUTHORIZATION_CODE',
        clientId: Number(WEB.id),
        subject: 'create-1',
        scopes: ['openid', 'payments.read'],
      },
    });
    expect(res.status).toBe(200);
    const b = plain<Record<string, unknown>>(res.body);
    expect(b).toMatchObject({
      resultCode: 'A109001',
      action: 'OK',
      clientId: Number(WEB.id),
      grantType: 'AUTHORIZATION_CODE',
      subject: 'create-1',
      scopes: ['openid', 'payments.read'],
      tokenType: 'Bearer',
      expiresIn: 3600,
    });
    expect(b.resultMessage).toBe(
      `[A109001] An access token was created successfully: authorization_code, client = ${WEB.id}`,
    );
    expect(b.accessToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(b.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const listed = plain<{ accessTokens: Record<string, unknown>[] }>((await list({ subject: 'create-1' })).body);
    expect(listed.accessTokens).toHaveLength(1);
    const t = listed.accessTokens[0]!;
    expect(t.accessTokenHash).toBe(sha(String(b.accessToken)));
    expect(t.refreshTokenHash).toBe(sha(String(b.refreshToken)));
    expect(t.accessTokenExpiresAt).toBe(b.expiresAt);
    expect(Number(t.accessTokenExpiresAt) - Number(t.createdAt)).toBe(3_600_000);
    expect(JSON.stringify(listed)).not.toContain(String(b.accessToken));
  });

  it('issues no refresh token for CLIENT_CREDENTIALS and IMPLICIT', async () => {
    const cc = await emu.api('/auth/token/create', {
      json: { grantType: 'CLIENT_CREDENTIALS', clientId: Number(BILLING.id), scopes: ['invoices.read'] },
    });
    expect(cc.status).toBe(200);
    expect(cc.body.refreshToken).toBeUndefined();
    expect(cc.body.subject).toBeUndefined();
    const implicit = await create({ grantType: 'IMPLICIT', subject: 'implicit-user' });
    expect(implicit.refreshToken).toBeUndefined();
    const password = await create({ grantType: 'PASSWORD', clientId: Number(KIOSK.id), subject: 'pw-user' });
    expect(password.refreshToken).toBeDefined();
  });

  it('accepts application/x-www-form-urlencoded (scopes space-separated or repeated)', async () => {
    const res = await emu.api('/auth/token/create', {
      form: {
        grantType: 'PASSWORD',
        clientId: KIOSK.id,
        subject: 'form-user',
        scopes: ['openid profile', 'accounts.read'],
        accessTokenDuration: '120',
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(plain(res.body)).toMatchObject({
      scopes: ['openid', 'profile', 'accounts.read'],
      expiresIn: 120,
      subject: 'form-user',
    });
  });

  it('accepts properties in JSON only', async () => {
    const props = [
      { key: 'device', value: 'Pixel 8', hidden: false },
      { key: 'risk', value: '12', hidden: true },
    ];
    const json = await create({ subject: 'props-user', properties: props });
    expect((json as unknown as { properties: unknown }).properties).toEqual(props);
    const listed = plain<{ accessTokens: { properties: unknown }[] }>((await list({ subject: 'props-user' })).body);
    expect(listed.accessTokens[0]!.properties).toEqual(props);
    const form = await emu.api('/auth/token/create', {
      form: { grantType: 'PASSWORD', clientId: KIOSK.id, subject: 'x', properties: '[{"key":"a","value":"b"}]' },
    });
    expectError(form, 400, 'A109210');
    expect(form.body.action).toBe('BAD_REQUEST');
  });

  it.each([
    ['missing grantType', { clientId: 1, subject: 's' }, 'A109202'],
    ['unknown grantType', { grantType: 'MAGIC', clientId: Number(WEB.id), subject: 's' }, 'A109202'],
    ['missing clientId', { grantType: 'PASSWORD', subject: 's' }, 'A109203'],
    ['clientId as a string', { grantType: 'PASSWORD', clientId: WEB.id, subject: 's' }, 'A109201'],
    ['negative clientId', { grantType: 'PASSWORD', clientId: -5, subject: 's' }, 'A109203'],
    ['fractional clientId', { grantType: 'PASSWORD', clientId: 1.5, subject: 's' }, 'A109201'],
    ['unknown client', { grantType: 'PASSWORD', clientId: 4242, subject: 's' }, 'A109204'],
    ['missing subject', { grantType: 'AUTHORIZATION_CODE', clientId: Number(WEB.id) }, 'A109205'],
    ['empty subject', { grantType: 'AUTHORIZATION_CODE', clientId: Number(WEB.id), subject: '' }, 'A109205'],
    ['non-ASCII subject', { grantType: 'AUTHORIZATION_CODE', clientId: Number(WEB.id), subject: 'jöhn' }, 'A109206'],
    [
      'subject over 100 chars',
      { grantType: 'AUTHORIZATION_CODE', clientId: Number(WEB.id), subject: 'x'.repeat(101) },
      'A109206',
    ],
    [
      'unsupported scope',
      { grantType: 'AUTHORIZATION_CODE', clientId: Number(WEB.id), subject: 's', scopes: ['openid', 'root'] },
      'A109207',
    ],
    [
      'scopes not an array',
      { grantType: 'AUTHORIZATION_CODE', clientId: Number(WEB.id), subject: 's', scopes: 'openid' },
      'A109201',
    ],
    [
      'negative duration',
      { grantType: 'AUTHORIZATION_CODE', clientId: Number(WEB.id), subject: 's', accessTokenDuration: -1 },
      'A109208',
    ],
    [
      'huge duration',
      { grantType: 'AUTHORIZATION_CODE', clientId: Number(WEB.id), subject: 's', refreshTokenDuration: 1e12 },
      'A109208',
    ],
    [
      'properties not an array',
      { grantType: 'AUTHORIZATION_CODE', clientId: Number(WEB.id), subject: 's', properties: { a: 1 } },
      'A109209',
    ],
    [
      'property without key',
      { grantType: 'AUTHORIZATION_CODE', clientId: Number(WEB.id), subject: 's', properties: [{ value: 'v' }] },
      'A109209',
    ],
    [
      'property value not a string',
      { grantType: 'AUTHORIZATION_CODE', clientId: Number(WEB.id), subject: 's', properties: [{ key: 'k', value: 1 }] },
      'A109209',
    ],
    [
      'persistent not a boolean',
      { grantType: 'AUTHORIZATION_CODE', clientId: Number(WEB.id), subject: 's', accessTokenPersistent: 'yes' },
      'A109201',
    ],
    [
      'token value with spaces',
      { grantType: 'AUTHORIZATION_CODE', clientId: Number(WEB.id), subject: 's', accessToken: 'a b' },
      'A109213',
    ],
  ])('rejects %s with 400', async (_name, body, code) => {
    const res = await emu.api('/auth/token/create', { json: body });
    expectError(res, 400, code);
    expect(res.body.action).toBe('BAD_REQUEST');
  });

  it('rejects bodies that are not a JSON object', async () => {
    expectError(await emu.api('/auth/token/create', { raw: '{"grantType":' }), 400, 'A001207');
    expectError(await emu.api('/auth/token/create', { raw: '[]' }), 400, 'A109201');
    expectError(await emu.api('/auth/token/create', { raw: '' }), 400, 'A109201');
    expectError(await emu.api('/auth/token/create', { raw: 'x', contentType: 'text/plain' }), 400, 'A001221');
  });

  it('uses supplied values and rejects a value whose hash already exists', async () => {
    const at = 'migrated-access-token-0001';
    const rt = 'migrated-refresh-token-0001';
    const first = await create({ subject: 'migrated', accessToken: at, refreshToken: rt });
    expect(first.accessToken).toBe(at);
    expect(first.refreshToken).toBe(rt);
    const listed = plain<{ accessTokens: { accessTokenHash: string; refreshTokenHash: string }[] }>(
      (await list({ subject: 'migrated' })).body,
    );
    expect(listed.accessTokens[0]).toMatchObject({ accessTokenHash: sha(at), refreshTokenHash: sha(rt) });
    const dupAccess = await emu.api('/auth/token/create', {
      json: { grantType: 'AUTHORIZATION_CODE', clientId: Number(WEB.id), subject: 'm', accessToken: at },
    });
    expectError(dupAccess, 400, 'A109211');
    const dupRefresh = await emu.api('/auth/token/create', {
      json: {
        grantType: 'AUTHORIZATION_CODE',
        clientId: Number(WEB.id),
        subject: 'm',
        accessToken: 'fresh-one',
        refreshToken: rt,
      },
    });
    expectError(dupRefresh, 400, 'A109212');
    expect((await list({ subject: 'migrated' })).body.totalCount?.toString()).toBe('1');
  });

  it('makes a persistent token expire at Long.MAX_VALUE, emitted exactly', async () => {
    const res = await emu.api('/auth/token/create', {
      json: {
        grantType: 'AUTHORIZATION_CODE',
        clientId: Number(WEB.id),
        subject: 'persistent-user',
        accessTokenPersistent: true,
        accessTokenDuration: 60,
      },
    });
    expect(res.text).toContain('"expiresAt":9223372036854775807');
    const listed = await list({ subject: 'persistent-user', tokenStatus: 'VALID' });
    expect(listed.text).toContain('"accessTokenExpiresAt":9223372036854775807');
  });

  it('keeps client ids above 2^53 exact in requests and responses', async () => {
    const res = await emu.api('/auth/token/create', {
      raw: `{"grantType":"CLIENT_CREDENTIALS","clientId":${BIG.id},"scopes":["admin.audit"],"subject":"big-id"}`,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.text).toContain(`"clientId":${BIG.id}`);
    // 12345678901234567 rounds to 12345678901234568 as a double: the neighbour must not match.
    const neighbour = await emu.api('/auth/token/create', {
      raw: `{"grantType":"CLIENT_CREDENTIALS","clientId":12345678901234568}`,
    });
    expectError(neighbour, 400, 'A109204');
    const listed = await list({ clientIdentifier: BIG.id });
    expect(listed.text).toContain(`"clientId":${BIG.id}`);
    expect(String((listed.body.client as Record<string, unknown>).clientId)).toBe(BIG.id);
  });
});

describe('token list', () => {
  const subject = 'list-user';
  const hashes: string[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 25; i++) {
      const client = i % 2 === 0 ? WEB : KIOSK;
      const t = await create({ grantType: 'PASSWORD', clientId: Number(client.id), subject, scopes: ['openid'] });
      hashes.push(sha(t.accessToken));
    }
    // Expire three of them.
    for (const h of hashes.slice(0, 3)) {
      const res = await emu.api('/auth/token/update', {
        json: { accessTokenHash: h, accessTokenExpiresAt: Date.now() - 60_000 },
      });
      expect(res.body.action).toBe('OK');
    }
  });

  it('pages in a stable order with a total count and the subject echoed', async () => {
    const pages = [];
    for (const [start, end] of [
      [0, 10],
      [10, 20],
      [20, 30],
    ]) {
      const res = await list({ subject, start: start!, end: end! });
      expect(res.status).toBe(200);
      const b = plain<{
        start: number;
        end: number;
        totalCount: number;
        subject: string;
        accessTokens: { accessTokenHash: string }[];
      }>(res.body);
      expect(b).toMatchObject({ start, end, totalCount: 25, subject });
      pages.push(...b.accessTokens.map((t) => t.accessTokenHash));
    }
    expect(pages).toEqual(hashes);
  });

  it('defaults to start 0 and end 5', async () => {
    const b = plain<{ start: number; end: number; accessTokens: unknown[] }>((await list({ subject })).body);
    expect(b).toMatchObject({ start: 0, end: 5 });
    expect(b.accessTokens).toHaveLength(5);
  });

  it('allows 20 tokens per call and rejects a wider range', async () => {
    expect(
      plain<{ accessTokens: unknown[] }>((await list({ subject, start: 0, end: 20 })).body).accessTokens,
    ).toHaveLength(20);
    expectError(await list({ subject, start: 0, end: 21 }), 400, 'A163202');
    expectError(await list({ subject, start: 5, end: 26 }), 400, 'A163202');
    expectError(await list({ subject, start: 10, end: 5 }), 400, 'A163202');
  });

  it.each([
    ['start', '-1'],
    ['end', '-3'],
    ['start', 'abc'],
    ['end', '1.5'],
    ['end', '1e3'],
    ['start', '99999999999'],
  ])('rejects %s=%s', async (name, value) => {
    expectError(await list({ subject, [name]: value }), 400, 'A163201');
  });

  it('filters by tokenStatus VALID / INVALID / ALL', async () => {
    const count = async (tokenStatus: string, extra: Record<string, string> = {}) =>
      Number(String((await list({ subject, tokenStatus, end: 20, ...extra })).body.totalCount));
    expect(await count('ALL')).toBe(25);
    expect(await count('VALID')).toBe(22);
    expect(await count('INVALID')).toBe(3);
    const invalid = plain<{ accessTokens: { accessTokenHash: string }[] }>(
      (await list({ subject, tokenStatus: 'INVALID' })).body,
    );
    expect(invalid.accessTokens.map((t) => t.accessTokenHash)).toEqual(hashes.slice(0, 3));
    expect(await count('valid')).toBe(22);
    expectError(await list({ subject, tokenStatus: 'EXPIRED' }), 400, 'A163204');
  });

  it('filters by client id or alias, returning the limited client view', async () => {
    const byId = await list({ subject, clientIdentifier: KIOSK.id, end: 20 });
    const byAlias = await list({ subject, clientIdentifier: KIOSK.alias, end: 20 });
    expect(byAlias.text).toBe(byId.text);
    const b = plain<{ totalCount: number; client: Record<string, unknown>; accessTokens: { clientId: number }[] }>(
      byId.body,
    );
    expect(b.totalCount).toBe(12);
    expect(b.client).toEqual({
      number: expect.any(Number),
      clientName: 'Branch Kiosk (legacy)',
      clientId: Number(KIOSK.id),
      clientIdAlias: KIOSK.alias,
      clientIdAliasEnabled: true,
      clientType: 'CONFIDENTIAL',
    });
    expect(b.accessTokens.every((t) => t.clientId === Number(KIOSK.id))).toBe(true);
    expectError(await list({ clientIdentifier: 'no-such-client' }), 400, 'A163203');
  });

  it('counts per client and per status without a subject (trigger-maintained totals)', async () => {
    const total = async (q: Record<string, string>) => Number(String((await list(q)).body.totalCount));
    const all = await total({ clientIdentifier: KIOSK.alias });
    const valid = await total({ clientIdentifier: KIOSK.alias, tokenStatus: 'VALID' });
    const invalid = await total({ clientIdentifier: KIOSK.alias, tokenStatus: 'INVALID' });
    expect(valid + invalid).toBe(all);
    expect(invalid).toBe(1); // hashes[1] belongs to the kiosk
    const service = await total({});
    expect(service).toBe((await total({ tokenStatus: 'VALID' })) + (await total({ tokenStatus: 'INVALID' })));
    // Creating and deleting keeps the totals right.
    const t = await create({ grantType: 'PASSWORD', clientId: Number(KIOSK.id), subject: 'count-check' });
    expect(await total({ clientIdentifier: KIOSK.alias })).toBe(all + 1);
    expect((await emu.api(`/auth/token/delete/${sha(t.accessToken)}`, { method: 'DELETE' })).status).toBe(204);
    expect(await total({ clientIdentifier: KIOSK.alias })).toBe(all);
  });
});

describe('token update', () => {
  it('updates by value or by hash, persistently', async () => {
    const t = await create({ subject: 'update-user', scopes: ['openid'] });
    const byValue = await emu.api('/auth/token/update', {
      json: {
        accessToken: t.accessToken,
        scopes: ['openid', 'email', 'not-a-scope'],
        properties: [{ key: 'note', value: 'vip' }],
      },
    });
    expect(plain(byValue.body)).toMatchObject({
      resultCode: 'A135001',
      resultMessage: '[A135001] Updated the access token successfully.',
      action: 'OK',
      accessToken: t.accessToken,
      scopes: ['openid', 'email'], // unsupported scopes are ignored
      tokenType: 'Bearer',
      properties: [{ key: 'note', value: 'vip', hidden: false }],
    });
    const newExpiry = Date.now() + 7 * 86_400_000;
    const byHash = await emu.api('/auth/token/update', {
      json: {
        accessTokenHash: sha(t.accessToken),
        accessTokenExpiresAt: newExpiry,
        refreshTokenExpiresAt: newExpiry + 1,
      },
    });
    expect(plain(byHash.body)).toMatchObject({
      action: 'OK',
      accessTokenExpiresAt: newExpiry,
      refreshTokenExpiresAt: newExpiry + 1,
    });
    const listed = plain<{ accessTokens: Record<string, unknown>[] }>((await list({ subject: 'update-user' })).body);
    expect(listed.accessTokens[0]).toMatchObject({
      scopes: ['openid', 'email'],
      accessTokenExpiresAt: newExpiry,
      refreshTokenExpiresAt: newExpiry + 1,
      properties: [{ key: 'note', value: 'vip', hidden: false }],
    });
  });

  it('leaves the expiry unchanged for 0 or a negative value; persistent overrides it', async () => {
    const t = await create({ subject: 'expiry-user' });
    for (const v of [0, -1000]) {
      const res = await emu.api('/auth/token/update', {
        json: { accessToken: t.accessToken, accessTokenExpiresAt: v },
      });
      expect(String(res.body.accessTokenExpiresAt)).toBe(String(t.expiresAt));
    }
    const persistent = await emu.api('/auth/token/update', {
      json: { accessToken: t.accessToken, accessTokenPersistent: true, accessTokenExpiresAt: 5 },
    });
    expect(persistent.text).toContain('"accessTokenExpiresAt":9223372036854775807');
    const finite = await emu.api('/auth/token/update', {
      json: { accessToken: t.accessToken, accessTokenPersistent: false },
    });
    expect(Number(String(finite.body.accessTokenExpiresAt))).toBeLessThan(Date.now() + 3_600_001);
  });

  it('accepts a form body', async () => {
    const t = await create({ subject: 'form-update' });
    const res = await emu.api('/auth/token/update', { form: { accessToken: t.accessToken, scopes: 'openid profile' } });
    expect(plain(res.body)).toMatchObject({ action: 'OK', scopes: ['openid', 'profile'] });
  });

  it('answers NOT_FOUND for an unknown token and 400 without an identifier', async () => {
    const res = await emu.api('/auth/token/update', {
      json: { accessTokenHash: sha('never-issued'), scopes: ['openid'] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ resultCode: 'A135301', action: 'NOT_FOUND' });
    const none = await emu.api('/auth/token/update', { json: { scopes: ['openid'] } });
    expectError(none, 400, 'A135202');
    expect(none.body.action).toBe('BAD_REQUEST');
    expectError(
      await emu.api('/auth/token/update', { json: { accessToken: 'x', accessTokenExpiresAt: 'soon' } }),
      400,
      'A135201',
    );
  });
});

describe('token revoke', () => {
  async function seedRevokeSet(prefix: string) {
    return {
      a1: await create({ subject: `${prefix}-a`, clientId: Number(WEB.id) }),
      a2: await create({ subject: `${prefix}-a`, clientId: Number(WEB.id) }),
      a3: await create({ grantType: 'PASSWORD', subject: `${prefix}-a`, clientId: Number(KIOSK.id) }),
      b1: await create({ grantType: 'PASSWORD', subject: `${prefix}-b`, clientId: Number(KIOSK.id) }),
    };
  }
  const revoke = (body: Record<string, string> | URLSearchParams) =>
    body instanceof URLSearchParams
      ? emu.api('/auth/token/revoke', { form: Object.fromEntries(body) })
      : emu.api('/auth/token/revoke', { json: body });
  const countOf = async (subject: string) => Number(String((await list({ subject })).body.totalCount));

  it('revokes by access token (value or hash) first, ignoring the other fields', async () => {
    const s = await seedRevokeSet('rv1');
    const res = await revoke({
      accessTokenIdentifier: s.a1.accessToken,
      subject: 'rv1-a',
      clientIdentifier: WEB.alias,
    });
    expect(plain(res.body)).toEqual({
      resultCode: 'A382001',
      resultMessage: '[A382001] Revoked 1 access token(s).',
      count: 1,
    });
    expect(await countOf('rv1-a')).toBe(2);
    expect(plain((await revoke({ accessTokenIdentifier: sha(s.a2.accessToken) })).body)).toMatchObject({ count: 1 });
    expect(await countOf('rv1-a')).toBe(1);
  });

  it('then by refresh token, then client + subject, then client, then subject', async () => {
    const s = await seedRevokeSet('rv2');
    expect(plain((await revoke({ refreshTokenIdentifier: s.a1.refreshToken!, subject: 'rv2-a' })).body)).toMatchObject({
      count: 1,
    });
    expect(await countOf('rv2-a')).toBe(2);
    // client + subject: only the kiosk token of rv2-a, not rv2-b's.
    expect(plain((await revoke({ clientIdentifier: KIOSK.alias, subject: 'rv2-a' })).body)).toMatchObject({ count: 1 });
    expect(await countOf('rv2-a')).toBe(1);
    expect(await countOf('rv2-b')).toBe(1);
    // subject alone.
    expect(plain((await revoke(new URLSearchParams({ subject: 'rv2-b' }))).body)).toMatchObject({ count: 1 });
    expect(await countOf('rv2-b')).toBe(0);
    expect(plain((await revoke({ subject: 'rv2-b' })).body)).toMatchObject({ count: 0 });
  });

  it('revokes every token of a client with clientIdentifier alone', async () => {
    const before = Number(String((await list({ clientIdentifier: BILLING.alias })).body.totalCount));
    await emu.api('/auth/token/create', { json: { grantType: 'CLIENT_CREDENTIALS', clientId: Number(BILLING.id) } });
    const res = await revoke({ clientIdentifier: BILLING.id });
    expect(plain(res.body)).toMatchObject({ count: before + 1 });
    expect(
      Number(String((await list({ clientIdentifier: BILLING.alias, tokenStatus: 'VALID' })).body.totalCount)),
    ).toBe(0);
  });

  it('rejects a request with no identifier, an unknown client and an unknown token', async () => {
    expectError(await revoke({}), 400, 'A382202');
    expectError(await revoke({ clientIdentifier: 'nobody' }), 400, 'A382203');
    expectError(await revoke({ accessTokenIdentifier: 'never-issued' }), 404, 'A382204');
  });
});

describe('token delete and literal path parameters', () => {
  it('deletes by value or by hash with 204, then 400 (the status the OpenAPI lists for it)', async () => {
    const a = await create({ subject: 'delete-user' });
    const b = await create({ subject: 'delete-user' });
    const byValue = await emu.api(`/auth/token/delete/${encodeURIComponent(a.accessToken)}`, { method: 'DELETE' });
    expect(byValue.status).toBe(204);
    expect(byValue.text).toBe('');
    expect((await emu.api(`/auth/token/delete/${sha(b.accessToken)}`, { method: 'DELETE' })).status).toBe(204);
    expect(Number(String((await list({ subject: 'delete-user' })).body.totalCount))).toBe(0);
    expectError(await emu.api(`/auth/token/delete/${sha(b.accessToken)}`, { method: 'DELETE' }), 400, 'A136201');
  });

  it.each([
    ['..', 400],
    ['.', 400],
    ['..%2F..%2Fservice%2Fget', 400],
    ['%2F', 400],
    ['abc%5Cdef', 400],
    ['%E0%A4%A', 400],
    ['x'.repeat(2049), 400],
  ])('rejects the identifier %s', async (identifier, status) => {
    const res = await emu.api(`/auth/token/delete/${identifier}`, { method: 'DELETE' });
    expect(res.status).toBe(status);
    expect(res.body.resultCode).toMatch(/^A0012\d\d$/);
  });

  it('never routes a traversal to another API', async () => {
    // Raw '..' segments are not resolved: this is an unknown route, not /service/get.
    expectError(await emu.api('/auth/token/delete/../../../service/get', { method: 'DELETE' }), 404, 'A001210');
    expectError(await emu.api('/auth/token/create/batch/status/..%2F..%2Fget%2Flist'), 400, 'A001209');
    expectError(await emu.api('/auth/token/create/batch/status/' + 'a'.repeat(65)), 400, 'A001208');
  });
});

describe('clients and service', () => {
  it('lists the clients in the client_get_list_response shape', async () => {
    const res = await emu.api('/client/get/list?start=0&end=20');
    const b = plain<{ start: number; end: number; totalCount: number; clients: Record<string, unknown>[] }>(res.body);
    expect(b).toMatchObject({ start: 0, end: 20, totalCount: 12 });
    expect(b.clients).toHaveLength(12);
    expect(b.clients.map((c) => c.clientIdAlias)).toContain('web-banking');
    expect(res.text).toContain(`"clientId":${BIG.id}`);
    expect(plain<{ clients: unknown[] }>((await emu.api('/client/get/list')).body).clients).toHaveLength(5);
    expectError(await emu.api('/client/get/list?end=-1'), 400, 'A171201');
  });

  it('returns the service with its supported scopes and grant types', async () => {
    const b = plain<{
      apiKey: number;
      supportedScopes: { name: string; description?: string }[];
      supportedGrantTypes: string[];
      accessTokenDuration: number;
    }>((await emu.api('/service/get')).body);
    expect(String(b.apiKey)).toBe(emu.serviceId);
    expect(b.supportedScopes.map((s) => s.name)).toEqual(
      expect.arrayContaining(['openid', 'profile', 'email', 'offline_access', 'payments.read']),
    );
    expect(b.supportedScopes.every((s) => typeof s.description === 'string')).toBe(true);
    expect(b.supportedGrantTypes).toContain('REFRESH_TOKEN');
    expect(b.accessTokenDuration).toBe(3600);
  });
});
