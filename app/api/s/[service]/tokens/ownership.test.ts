/**
 * Clients and tokens Authlete refuses with `action: FORBIDDEN` (another service's, or a locked
 * client) reach the person as a message they can act on, not as "does not exist" or a bare 422.
 * Token Desk is pointed at the emulator's sandbox service here: its own clients include a locked
 * one, and the demo service's clients and tokens are "another service".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '@/lib/schemas/audit';
import { createAuthleteClient } from '@/server/authlete/client';
import { SANDBOX_SERVICE_ACCESS_TOKEN, SANDBOX_SERVICE_ID } from '@/server/emulator/seed';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import { sessionCookiesFor, TEST_APP_URL, useTestEmulatorUpstream, type RouteHandler } from '@/server/testing/routes';
import * as thisRoute from './route';
import { listAudit } from '@/server/audit';

let emulator: TestEmulator;
let createRoute: RouteHandler;
let adminCookie: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  useTestEmulatorUpstream(emulator, {
    serviceId: SANDBOX_SERVICE_ID,
    serviceAccessToken: SANDBOX_SERVICE_ACCESS_TOKEN,
  });
  createRoute = (thisRoute as unknown as { POST: RouteHandler }).POST;
  adminCookie = (await sessionCookiesFor(['admin'])).admin;
});
afterAll(() => emulator?.close());

async function create(body: unknown) {
  const response = await createRoute(
    new Request(`${TEST_APP_URL}/api/tokens`, {
      method: 'POST',
      headers: {
        'sec-fetch-site': 'same-origin',
        'user-agent': 'vitest',
        cookie: adminCookie,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({}) },
  );
  return { status: response.status, json: await response.json() };
}

async function lastAudit(): Promise<AuditRecord> {
  const { entries } = await listAudit({ page: 1, pageSize: 10 } as never);
  return entries[0]!;
}

describe('POST /api/tokens refused by Authlete with FORBIDDEN', () => {
  it('answers 403 foreign_resource for a client of another service, and audits the failure', async () => {
    // 917364 is a client of the demo service, not of the sandbox service Token Desk manages here.
    const { status, json } = await create({
      grantType: 'PASSWORD',
      clientId: '917364',
      subject: 'ana',
      scopes: ['openid'],
    });
    expect(status).toBe(403);
    expect(json.error).toMatchObject({ code: 'foreign_resource', details: { resultCode: 'A109214' } });
    expect(json.error.message).toMatch(
      /^This client belongs to another Authlete service, not the one Token Desk manages here/,
    );
    expect(await lastAudit()).toMatchObject({
      action: 'token.create',
      outcome: 'failure',
      errorCode: 'foreign_resource',
    });
  });

  it('answers 422 client_locked for a locked client, saying it must be unlocked', async () => {
    const { status, json } = await create({
      grantType: 'AUTHORIZATION_CODE',
      clientId: '88000002',
      subject: 'ana',
      scopes: ['openid'],
    });
    expect(status).toBe(422);
    expect(json.error).toMatchObject({ code: 'client_locked', details: { resultCode: 'A001215' } });
    expect(json.error.message).toContain('locked in Authlete');
    expect(await lastAudit()).toMatchObject({ action: 'token.create', outcome: 'failure', errorCode: 'client_locked' });
  });
});

describe('the Authlete client on a token of another service', () => {
  it('throws foreign_resource naming the token, not not_found', async () => {
    const demo = createAuthleteClient({
      baseUrl: emulator.url,
      apiVersion: 3,
      serviceId: emulator.serviceId,
      accessToken: emulator.serviceAccessToken,
      timeoutMs: 2_000,
    });
    const sandbox = createAuthleteClient({
      baseUrl: emulator.url,
      apiVersion: 3,
      serviceId: SANDBOX_SERVICE_ID,
      accessToken: SANDBOX_SERVICE_ACCESS_TOKEN,
      timeoutMs: 2_000,
    });
    const { token } = await demo.createToken({
      grantType: 'PASSWORD',
      clientId: '917364',
      subject: 'ana',
      scopes: ['openid'],
    });
    const error = await sandbox.updateToken(token.accessTokenHash, { scopes: ['openid'] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: 'AuthleteError', code: 'foreign_resource', resultCode: 'A135204' });
    expect((error as Error).message).toMatch(/^This token belongs to another Authlete service/);
  });
});
