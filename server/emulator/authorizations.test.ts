/**
 * Authorized apps, remembered consent and the client lock: every form of each operation
 * (query, `/{subject}` path, JSON and form bodies), the official SDK driving the forms it has and
 * its zod models parsing the answers of the others.
 */
import { Authlete } from '@authlete/typescript-sdk';
import {
  Client$inboundSchema,
  ClientAuthorizationDeleteResponse$inboundSchema,
  ClientAuthorizationGetListResponse$inboundSchema,
  ClientAuthorizationUpdateResponse$inboundSchema,
  ClientFlagUpdateResponse$inboundSchema,
  ClientGrantedScopesDeleteResponse$inboundSchema,
  ClientGetListResponse$inboundSchema,
} from '@authlete/typescript-sdk/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiResponse, type TestEmulator, plain, startTestEmulator } from '@/server/testing/emulator-http';

const WEB = '26888344961664';
const IOS = '1734526871';
const PARTNER = '5899375627190';
const KIOSK = '917364';
const BILLING = '44217';
/** A client of the sandbox service (seed.ts). */
const FOREIGN = '88000001';

let emu: TestEmulator;
let sdk: Authlete;
beforeAll(async () => {
  emu = await startTestEmulator({ seed: { tokens: 0 } });
  sdk = new Authlete({ serverURL: emu.url, bearer: emu.serviceAccessToken, retryConfig: { strategy: 'none' } });
});
afterAll(async () => {
  await emu?.close();
});

async function createToken(clientId: string, subject: string | undefined, scopes: string[], grantType = 'PASSWORD') {
  const res = await emu.api('/auth/token/create', {
    json: { grantType, clientId: Number(clientId), ...(subject ? { subject } : {}), scopes },
  });
  expect(plain(res.body)).toMatchObject({ action: 'OK' });
  return plain<{ accessToken: string }>(res.body).accessToken;
}

async function expire(accessToken: string) {
  const res = await emu.api('/auth/token/update', {
    json: { accessToken, accessTokenExpiresAt: Date.now() - 60_000 },
  });
  expect(plain(res.body)).toMatchObject({ action: 'OK' });
}

async function tokensOf(subject: string, clientIdentifier?: string) {
  const listed = await sdk.token.management.list({
    serviceId: emu.serviceId,
    subject,
    ...(clientIdentifier ? { clientIdentifier } : {}),
    end: 20,
  });
  return listed.accessTokens ?? [];
}

function expectError(res: ApiResponse, status: number, resultCode: string) {
  expect(res.status).toBe(status);
  expect(plain(res.body)).toMatchObject({ resultCode, resultMessage: expect.stringContaining(`[${resultCode}]`) });
}

const clientIdsOf = (list: { clients?: { clientId?: number }[] }) => (list.clients ?? []).map((c) => c.clientId);

describe('client/authorization/get/list', () => {
  const subject = 'apps-list-user';
  beforeAll(async () => {
    await createToken(WEB, subject, ['openid']);
    await createToken(WEB, subject, ['openid', 'profile']);
    await createToken(PARTNER, subject, ['openid']);
    // Expired and not yet swept: the app still counts as authorized.
    await expire(await createToken(IOS, subject, ['openid']));
    // Another person's app and a client-credentials token (no subject) are not theirs.
    await createToken(KIOSK, 'someone-else', ['openid']);
    await createToken(BILLING, undefined, ['invoices.read'], 'CLIENT_CREDENTIALS');
  });

  it('lists each client once with its id, alias, name and type (SDK, subject in the path)', async () => {
    const list = await sdk.client.management.listAuthorizations({
      serviceId: emu.serviceId,
      subjectPathParameter: subject,
      subjectQueryParameter: subject,
      start: 0,
      end: 20,
    });
    expect(list).toMatchObject({ start: 0, end: 20, subject, totalCount: 3 });
    expect(list.clients).toHaveLength(3);
    expect(list.clients).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          clientId: Number(WEB),
          clientIdAlias: 'web-banking',
          clientName: 'Web Banking',
          clientType: 'CONFIDENTIAL',
        }),
        expect.objectContaining({ clientId: Number(IOS), clientIdAlias: 'ios-app', clientType: 'PUBLIC' }),
        expect.objectContaining({ clientId: Number(PARTNER), clientName: 'Partner Portal' }),
      ]),
    );
  });

  it('answers the same in the query form, the JSON body and the form body', async () => {
    const query = await emu.api(`/client/authorization/get/list?subject=${subject}&end=20`);
    const json = await emu.api('/client/authorization/get/list', { json: { subject, end: 20 } });
    const form = await emu.api('/client/authorization/get/list', { form: { subject, end: '20' } });
    const parsed = [query, json, form].map((res) => {
      expect(res.status).toBe(200);
      return ClientAuthorizationGetListResponse$inboundSchema.parse(plain(res.body));
    });
    for (const list of parsed) {
      expect(list.totalCount).toBe(3);
      expect(clientIdsOf(list)).toEqual(clientIdsOf(parsed[0]!));
    }
  });

  it('pages with start/end (default end 5), keeps totalCount, and filters by developer', async () => {
    const all = ClientAuthorizationGetListResponse$inboundSchema.parse(
      plain((await emu.api(`/client/authorization/get/list/${subject}`)).body),
    );
    expect(all).toMatchObject({ start: 0, end: 5, totalCount: 3 });
    const second = ClientAuthorizationGetListResponse$inboundSchema.parse(
      plain((await emu.api('/client/authorization/get/list', { json: { subject, start: 1, end: 2 } })).body),
    );
    expect(second).toMatchObject({ start: 1, end: 2, totalCount: 3 });
    expect(clientIdsOf(second)).toEqual(clientIdsOf(all).slice(1, 2));
    const mobile = await sdk.client.management.listAuthorizations({
      serviceId: emu.serviceId,
      subjectPathParameter: subject,
      subjectQueryParameter: subject,
      developer: 'mobile',
    });
    expect(mobile).toMatchObject({ developer: 'mobile', totalCount: 1 });
    expect(clientIdsOf(mobile)).toEqual([Number(IOS)]);
  });

  it('answers an empty list for a subject with no apps, and 400 without a subject', async () => {
    const none = await sdk.client.management.listAuthorizations({
      serviceId: emu.serviceId,
      subjectPathParameter: 'nobody-at-all',
      subjectQueryParameter: 'nobody-at-all',
    });
    expect(none).toMatchObject({ subject: 'nobody-at-all', totalCount: 0, clients: [] });
    expectError(await emu.api('/client/authorization/get/list'), 400, 'A139202');
    expectError(await emu.api('/client/authorization/get/list', { json: { start: 0 } }), 400, 'A139202');
    expectError(await emu.api(`/client/authorization/get/list?subject=${subject}&start=3&end=1`), 400, 'A139203');
  });
});

describe('client/authorization/update/{clientId}', () => {
  it('replaces the scopes of all the subject’s tokens for the client; the count only in resultMessage (SDK)', async () => {
    const subject = 'apps-narrow-user';
    await createToken(WEB, subject, ['openid', 'payments.read', 'payments.write']);
    await expire(await createToken(WEB, subject, ['openid', 'accounts.read']));
    await createToken(IOS, subject, ['openid', 'payments.read']);
    const answer = await sdk.client.management.updateAuthorizations({
      serviceId: emu.serviceId,
      clientId: WEB,
      clientAuthorizationUpdateRequest: { subject, scopes: ['openid', 'payments.read'] },
    });
    expect(answer).toEqual({
      resultCode: 'A138001',
      resultMessage: `[A138001] Updated 2 access token(s) issued to the client (ID = ${WEB}) of the service (API Key = ${emu.serviceId}).`,
    });
    for (const token of await tokensOf(subject, WEB)) {
      expect(token.scopes).toEqual(['openid', 'payments.read']);
      expect(token.refreshTokenScopes).toEqual(['openid', 'payments.read']);
    }
    // Another client's token of the same person is untouched.
    expect((await tokensOf(subject, IOS))[0]!.scopes).toEqual(['openid', 'payments.read']);
  });

  it('takes a form body (scopes space-separated) and drops scopes the client may not request', async () => {
    const subject = 'apps-narrow-form';
    await createToken(IOS, subject, ['openid', 'profile', 'accounts.read']);
    // ios-app may not request invoices.read; no service supports no.such.scope.
    const res = await emu.api(`/client/authorization/update/${IOS}`, {
      form: { subject, scopes: 'openid invoices.read no.such.scope' },
    });
    expect(res.status).toBe(200);
    expect(ClientAuthorizationUpdateResponse$inboundSchema.parse(plain(res.body)).resultMessage).toMatch(
      /^\[A138001\] Updated 1 access token\(s\)/,
    );
    expect((await tokensOf(subject))[0]!.scopes).toEqual(['openid']);
  });

  it('reports 0 for a subject without tokens; refuses an unknown (404), foreign (403) or locked (403) client', async () => {
    const zero = await emu.api(`/client/authorization/update/${WEB}`, { json: { subject: 'nobody', scopes: [] } });
    expect(plain(zero.body)).toMatchObject({ resultMessage: expect.stringMatching(/Updated 0 access token/) });
    expectError(
      await emu.api('/client/authorization/update/999999', { json: { subject: 'x', scopes: [] } }),
      404,
      'A138203',
    );
    expectError(
      await emu.api(`/client/authorization/update/${FOREIGN}`, { json: { subject: 'x', scopes: [] } }),
      403,
      'A138204',
    );
    expectError(await emu.api(`/client/authorization/update/${WEB}`, { json: { scopes: [] } }), 400, 'A138202');
    await emu.api(`/client/lock_flag/update/${KIOSK}`, { json: { clientLocked: true } });
    try {
      expectError(
        await emu.api(`/client/authorization/update/${KIOSK}`, { json: { subject: 'x', scopes: [] } }),
        403,
        'A001215',
      );
    } finally {
      await emu.api(`/client/lock_flag/update/${KIOSK}`, { json: { clientLocked: false } });
    }
  });
});

describe('client/authorization/delete/{clientId}', () => {
  async function setUp(subject: string) {
    await createToken(WEB, subject, ['openid']);
    await expire(await createToken(WEB, subject, ['openid', 'profile']));
    await createToken(IOS, subject, ['openid']);
  }
  const deleted = (n: number) =>
    `[A137001] Deleted ${n} access token(s) issued to the client (ID = ${WEB}) of the service (API Key = ${emu.serviceId}).`;

  it('deletes every token of the subject for the client, expired ones too (SDK: subject in the path)', async () => {
    const subject = 'apps-revoke-sdk';
    await setUp(subject);
    const answer = await sdk.client.management.deleteAuthorizations({
      serviceId: emu.serviceId,
      clientId: WEB,
      subjectPathParameter: subject,
      subjectQueryParameter: subject,
    });
    expect(answer).toMatchObject({ resultCode: 'A137001', resultMessage: deleted(2) });
    expect((await tokensOf(subject)).map((t) => String(t.clientId))).toEqual([IOS]);
  });

  it('answers the same in the query form, the JSON body and the form body', async () => {
    const forms: [string, () => Promise<ApiResponse>][] = [
      [
        'apps-revoke-query',
        () => emu.api(`/client/authorization/delete/${WEB}?subject=apps-revoke-query`, { method: 'DELETE' }),
      ],
      [
        'apps-revoke-json',
        () => emu.api(`/client/authorization/delete/${WEB}`, { json: { subject: 'apps-revoke-json' } }),
      ],
      [
        'apps-revoke-form',
        () => emu.api(`/client/authorization/delete/${WEB}`, { form: { subject: 'apps-revoke-form' } }),
      ],
    ];
    for (const [subject, send] of forms) {
      await setUp(subject);
      const res = await send();
      expect(res.status).toBe(200);
      expect(ClientAuthorizationDeleteResponse$inboundSchema.parse(plain(res.body))).toMatchObject({
        resultCode: 'A137001',
        resultMessage: deleted(2),
      });
      expect(await tokensOf(subject, WEB)).toEqual([]);
      expect(await tokensOf(subject, IOS)).toHaveLength(1);
    }
    // Nothing left to delete: still a success, with 0.
    const again = await emu.api(`/client/authorization/delete/${WEB}/apps-revoke-json`, { method: 'DELETE' });
    expect(plain(again.body)).toMatchObject({ resultMessage: deleted(0) });
  });

  it('keeps remembered consent, and refuses an unknown (400) or foreign (403) client and a missing subject', async () => {
    const subject = 'apps-revoke-consent';
    await setUp(subject);
    await emu.api(`/client/authorization/delete/${WEB}/${subject}`, { method: 'DELETE' });
    const consent = await sdk.client.management.getGrantedScopes({
      serviceId: emu.serviceId,
      clientId: WEB,
      subjectPathParameter: subject,
      subjectQueryParameter: subject,
    });
    expect(consent.latestGrantedScopes).toEqual(['openid', 'profile']);
    expectError(await emu.api('/client/authorization/delete/999999?subject=x', { method: 'DELETE' }), 400, 'A137203');
    expectError(
      await emu.api(`/client/authorization/delete/${FOREIGN}?subject=x`, { method: 'DELETE' }),
      403,
      'A137204',
    );
    expectError(await emu.api(`/client/authorization/delete/${WEB}`, { method: 'DELETE' }), 400, 'A137202');
  });
});

describe('client/granted_scopes', () => {
  const getScopes = (subject: string, clientId = WEB) =>
    sdk.client.management.getGrantedScopes({
      serviceId: emu.serviceId,
      clientId,
      subjectPathParameter: subject,
      subjectQueryParameter: subject,
    });

  it('records consent when a token is created: latest = the newest grant, merged = every grant (SDK)', async () => {
    const subject = 'consent-user';
    await createToken(WEB, subject, ['openid', 'accounts.read']);
    await createToken(WEB, subject, ['openid', 'payments.read']);
    const consent = await getScopes(subject);
    expect(consent).toMatchObject({
      resultCode: 'A140001',
      serviceApiKey: Number(emu.serviceId),
      clientId: Number(WEB),
      subject,
      latestGrantedScopes: ['openid', 'payments.read'],
      mergedGrantedScopes: ['openid', 'accounts.read', 'payments.read'],
    });
    expect(consent.modifiedAt).toBeGreaterThan(0);
  });

  it('has no record (null) when never granted, and an empty one for a grant without scopes', async () => {
    const never = await getScopes('consent-never');
    expect(never.resultCode).toBe('A140001');
    expect(never.latestGrantedScopes).toBeUndefined();
    expect(never.mergedGrantedScopes).toBeUndefined();
    expect(
      plain(await emu.api(`/client/granted_scopes/get/${WEB}/consent-never`).then((r) => r.body)),
    ).not.toHaveProperty('latestGrantedScopes');
    await createToken(WEB, 'consent-empty', []);
    expect(await getScopes('consent-empty')).toMatchObject({ latestGrantedScopes: [], mergedGrantedScopes: [] });
    // Client credentials ignore a subject: nothing to remember for it.
    const cc = await emu.api('/auth/token/create', {
      json: {
        grantType: 'CLIENT_CREDENTIALS',
        clientId: Number(BILLING),
        subject: 'consent-cc',
        scopes: ['invoices.read'],
      },
    });
    expect(plain(cc.body)).toMatchObject({ action: 'OK' });
    expect((await getScopes('consent-cc', BILLING)).latestGrantedScopes).toBeUndefined();
  });

  it('answers the same in the query form, the JSON body and the form body', async () => {
    const subject = 'consent-forms';
    await createToken(IOS, subject, ['openid']);
    const answers = [
      await emu.api(`/client/granted_scopes/get/${IOS}?subject=${subject}`),
      await emu.api(`/client/granted_scopes/get/${IOS}`, { json: { subject } }),
      await emu.api(`/client/granted_scopes/get/${IOS}`, { form: { subject } }),
    ];
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(ClientAuthorizationDeleteResponse$inboundSchema.parse(plain(res.body))).toMatchObject({
        subject,
        clientId: Number(IOS),
        latestGrantedScopes: ['openid'],
      });
    }
  });

  it('outlives the tokens; deleting it leaves the tokens alone (SDK and query form)', async () => {
    const subject = 'consent-forget';
    await createToken(WEB, subject, ['openid']);
    await createToken(IOS, subject, ['openid']);
    await emu.api('/auth/token/revoke', { json: { subject, clientIdentifier: WEB } });
    expect(await tokensOf(subject, WEB)).toEqual([]);
    expect((await getScopes(subject)).latestGrantedScopes).toEqual(['openid']);

    const forgotten = await sdk.client.management.deleteGrantedScopes({
      serviceId: emu.serviceId,
      clientId: WEB,
      subjectPathParameter: subject,
      subjectQueryParameter: subject,
    });
    expect(forgotten.resultCode).toBe('A141001');
    expect((await getScopes(subject)).latestGrantedScopes).toBeUndefined();

    const byQuery = await emu.api(`/client/granted_scopes/delete/${IOS}?subject=${subject}`, { method: 'DELETE' });
    expect(byQuery.status).toBe(200);
    expect(ClientGrantedScopesDeleteResponse$inboundSchema.parse(plain(byQuery.body)).resultCode).toBe('A141001');
    expect((await getScopes(subject, IOS)).latestGrantedScopes).toBeUndefined();
    expect(await tokensOf(subject, IOS)).toHaveLength(1);
    // Deleting what is not there succeeds as well.
    const again = await emu.api(`/client/granted_scopes/delete/${IOS}/${subject}`, { method: 'DELETE' });
    expect(plain(again.body)).toMatchObject({ resultCode: 'A141001' });
  });

  it('is recorded by the batch API, not by a dry run', async () => {
    const run = async (dryRun: boolean, subject: string) => {
      const accepted = await emu.api(`/auth/token/create/batch?dryRun=${dryRun}`, {
        json: [
          { grantType: 'PASSWORD', clientId: Number(PARTNER), subject, scopes: ['openid'] },
          { grantType: 'PASSWORD', clientId: Number(PARTNER), subject, scopes: ['invoices.read'] },
        ],
      });
      const { requestId } = plain<{ requestId: string }>(accepted.body);
      for (;;) {
        const status = plain<{ status: { result?: string } }>(
          (await emu.api(`/auth/token/create/batch/status/${requestId}`)).body,
        );
        if (status.status.result) return expect(status.status.result).toBe('SUCCEEDED');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    await run(true, 'consent-dry');
    expect((await getScopes('consent-dry', PARTNER)).latestGrantedScopes).toBeUndefined();
    await run(false, 'consent-batch');
    expect(await getScopes('consent-batch', PARTNER)).toMatchObject({
      latestGrantedScopes: ['invoices.read'],
      mergedGrantedScopes: ['openid', 'invoices.read'],
    });
  });

  it('refuses an unknown (400) or foreign (403) client and a missing subject', async () => {
    expectError(await emu.api('/client/granted_scopes/get/999999?subject=x'), 400, 'A140203');
    expectError(await emu.api(`/client/granted_scopes/get/${FOREIGN}?subject=x`), 403, 'A140204');
    expectError(await emu.api(`/client/granted_scopes/get/${WEB}`), 400, 'A140202');
    expectError(await emu.api(`/client/granted_scopes/delete/999999/x`, { method: 'DELETE' }), 400, 'A141203');
    expectError(await emu.api(`/client/granted_scopes/delete/${WEB}`, { method: 'DELETE' }), 400, 'A141202');
  });
});

describe('client/lock_flag/update/{clientIdentifier} and locked on client reads', () => {
  it('locks by id (SDK), shows it on client get and list, and refuses new tokens until unlocked (form, by alias)', async () => {
    const locked = await sdk.client.management.updateLockFlag({
      serviceId: emu.serviceId,
      clientIdentifier: PARTNER,
      clientFlagUpdateRequest: { clientLocked: true },
    });
    expect(locked).toEqual({
      resultCode: 'A142001',
      resultMessage: `[A142001] The client (ID = ${PARTNER}) is locked.`,
    });
    expect((await sdk.client.get({ serviceId: emu.serviceId, clientId: PARTNER })).locked).toBe(true);
    const list = ClientGetListResponse$inboundSchema.parse(plain((await emu.api('/client/get/list?end=20')).body));
    expect(list.clients?.find((c) => String(c.clientId) === PARTNER)?.locked).toBe(true);
    expect(list.clients?.find((c) => String(c.clientId) === WEB)?.locked).toBe(false);

    const refused = await emu.api('/auth/token/create', {
      json: { grantType: 'PASSWORD', clientId: Number(PARTNER), subject: 'lock-user', scopes: ['openid'] },
    });
    expect(refused.status).toBe(200);
    expect(plain(refused.body)).toMatchObject({ action: 'FORBIDDEN', resultCode: 'A001215' });

    const unlocked = await emu.api('/client/lock_flag/update/partner-portal', { form: { clientLocked: 'false' } });
    expect(unlocked.status).toBe(200);
    expect(ClientFlagUpdateResponse$inboundSchema.parse(plain(unlocked.body)).resultMessage).toContain('unlocked');
    const client = Client$inboundSchema.parse(plain((await emu.api(`/client/get/${PARTNER}`)).body));
    expect(client).toMatchObject({ clientIdAlias: 'partner-portal', locked: false });
    await createToken(PARTNER, 'lock-user', ['openid']);
  });

  it('leaves existing tokens alone and lets their authorization be deleted', async () => {
    await createToken(KIOSK, 'lock-existing', ['openid']);
    await emu.api(`/client/lock_flag/update/${KIOSK}`, { json: { clientLocked: true } });
    try {
      expect(await tokensOf('lock-existing', KIOSK)).toHaveLength(1);
      const res = await emu.api(`/client/authorization/delete/${KIOSK}/lock-existing`, { method: 'DELETE' });
      expect(plain(res.body)).toMatchObject({ resultMessage: expect.stringMatching(/Deleted 1 access token/) });
    } finally {
      await emu.api(`/client/lock_flag/update/${KIOSK}`, { json: { clientLocked: false } });
    }
  });

  it('refuses a missing flag, an unknown (400) or foreign (403) client', async () => {
    expectError(await emu.api(`/client/lock_flag/update/${WEB}`, { json: {} }), 400, 'A142202');
    expectError(
      await emu.api('/client/lock_flag/update/no-such-alias', { json: { clientLocked: true } }),
      400,
      'A142203',
    );
    expectError(await emu.api(`/client/lock_flag/update/${FOREIGN}`, { json: { clientLocked: true } }), 403, 'A142204');
    expectError(await emu.api('/client/get/999999'), 400, 'A172201');
    expectError(await emu.api(`/client/get/${FOREIGN}`), 403, 'A172202');
  });

  it('routes client/get/list to the list, not to a client named "list"; other methods get 405', async () => {
    expect((await emu.api('/client/get/list')).body).toHaveProperty('clients');
    expectError(await emu.api('/client/get/list', { json: {} }), 405, 'A001211');
    expectError(await emu.api(`/client/granted_scopes/delete/${WEB}?subject=x`), 405, 'A001211');
  });
});

describe('operation ids', () => {
  it('counts each form under its Authlete operationId, so faults can target one (429 once, then served)', async () => {
    await emu.call('/__emulator/stats/reset', { json: {} });
    await emu.call('/__emulator/faults', {
      json: {
        rateLimitRate: 1,
        retryAfterSeconds: 3,
        operations: ['client_authorization_delete_by_subject_api'],
        remaining: 1,
      },
    });
    try {
      const limited = await emu.api(`/client/authorization/delete/${WEB}/ops-user`, { method: 'DELETE' });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('3');
      expect((await emu.api(`/client/authorization/delete/${WEB}/ops-user`, { method: 'DELETE' })).status).toBe(200);
    } finally {
      await emu.call('/__emulator/faults', { json: {} });
    }
    await emu.api(`/client/authorization/delete/${WEB}?subject=ops-user`, { method: 'DELETE' });
    await emu.api(`/client/authorization/delete/${WEB}`, { json: { subject: 'ops-user' } });
    await emu.api(`/client/granted_scopes/get/${WEB}/ops-user`);
    const stats = plain<{ operations: Record<string, number> }>((await emu.call('/__emulator/stats')).body);
    expect(stats.operations).toMatchObject({
      client_authorization_delete_by_subject_api: 2,
      client_authorization_delete_api: 1,
      client_authorization_delete_api_post: 1,
      client_granted_scopes_get_by_subject_api: 1,
    });
  });
});

describe('demo data', () => {
  it('has consent records for the seeded tokens, so seeded people have remembered consent', async () => {
    const seeded = await startTestEmulator({ seed: { tokens: 40 } });
    try {
      const client = new Authlete({
        serverURL: seeded.url,
        bearer: seeded.serviceAccessToken,
        retryConfig: { strategy: 'none' },
      });
      const listed = await client.token.management.list({ serviceId: seeded.serviceId, start: 0, end: 20 });
      const token = listed.accessTokens!.find((t) => t.subject)!;
      const consent = await client.client.management.getGrantedScopes({
        serviceId: seeded.serviceId,
        clientId: String(token.clientId),
        subjectPathParameter: token.subject!,
        subjectQueryParameter: token.subject!,
      });
      expect(consent.mergedGrantedScopes).toEqual(expect.arrayContaining(token.scopes ?? []));
    } finally {
      await seeded.close();
    }
  });
});
