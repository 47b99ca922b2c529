/**
 * Second factor and step-up through the real wrapper and Better Auth: enrolling a TOTP factor,
 * signing in with a code, MFA_REQUIRED_ROLES holding everything else back, and dangerous actions
 * refused until the person proves it is them again.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAuth } from '@/server/auth';
import { getDb } from '@/server/db';
import { authSession, authUser } from '@/server/db/schema';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import { useTestConfig } from '@/server/testing/config';
import type { RouteHandler } from '@/server/testing/routes';
import { signedInAs, TEST_PASSWORD } from '@/server/testing/sign-in';
import { handleAuthRequest } from '@/server/http/auth-routes';
import { PEER_ADDRESS_HEADER } from '@/server/core/peer-address';
import * as securityRoute from './security/route';
import * as stepUpRoute from './step-up/route';
import * as tokenRoute from '@/app/api/s/[service]/tokens/[hash]/route';

let emulator: TestEmulator;
const APP = 'http://127.0.0.1:3000';

beforeAll(async () => {
  emulator = await startTestEmulator();
  useTestConfig({
    AUTHLETE_BASE_URL: emulator.url,
    AUTHLETE_SERVICE_ID: emulator.serviceId,
    AUTHLETE_SERVICE_ACCESS_TOKEN: emulator.serviceAccessToken,
    APP_URL: APP,
    MFA_REQUIRED_ROLES: 'admin',
    STEP_UP_WINDOW_SECONDS: '300',
  });
  await getAuth();
});
afterAll(() => emulator?.close());

async function call(handler: RouteHandler, method: string, path: string, cookie: string, body?: unknown, params = {}) {
  const response = await handler(
    new Request(`${APP}${path}`, {
      method,
      headers: { origin: APP, 'user-agent': 'vitest', cookie, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve(params) },
  );
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined, response };
}

function authCall(path: string, cookie: string, body: unknown) {
  return handleAuthRequest(
    new Request(`${APP}/api/auth${path}`, {
      method: 'POST',
      headers: {
        origin: APP,
        cookie,
        'content-type': 'application/json',
        'user-agent': 'vitest',
        [PEER_ADDRESS_HEADER]: `203.0.113.${Math.floor(Math.random() * 200) + 1}`,
      },
      body: JSON.stringify(body),
    }),
  );
}

const cookiesOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .filter((pair) => !pair!.endsWith('='))
    .join('; ');

/** RFC 4648 base32 (the otpauth:// URI's secret) to its bytes. */
function fromBase32(text: string): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of text.replace(/=+$/, '').toUpperCase()) {
    buffer = (buffer << 5) | alphabet.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return Uint8Array.from(bytes);
}

/** A current code for the secret in an otpauth:// URI, from the two-factor plugin's own helper. */
async function codeFor(totpURI: string): Promise<string> {
  const secret = new TextDecoder().decode(fromBase32(new URL(totpURI).searchParams.get('secret')!));
  const { code } = await (await getAuth()).api.generateTOTP({ body: { secret } });
  return code;
}

/** Enrols a TOTP factor for the signed-in person through the offered endpoints; returns the new cookie. */
async function enrol(cookie: string) {
  const enabled = await authCall('/two-factor/enable', cookie, { password: TEST_PASSWORD });
  expect(enabled.status).toBe(200);
  const { totpURI, backupCodes } = (await enabled.json()) as { totpURI: string; backupCodes: string[] };
  expect(backupCodes).toHaveLength(10);
  const confirmed = await authCall('/two-factor/verify-totp', cookie, { code: await codeFor(totpURI) });
  expect(confirmed.status).toBe(200);
  return { cookie: cookiesOf(confirmed), totpURI, backupCodes };
}

async function ageVerification(cookie: string, seconds: number) {
  const token = decodeURIComponent(
    cookie
      .split('; ')
      .find((pair) => pair.includes('session_token'))!
      .split('=')[1]!,
  );
  const db = await getDb();
  await db
    .update(authSession)
    .set({ verifiedAt: new Date(Date.now() - seconds * 1000) })
    .where(eq(authSession.token, token.slice(0, token.lastIndexOf('.'))));
}

const missingHash = 'a'.repeat(43);

describe('MFA_REQUIRED_ROLES', () => {
  it('holds an admin without a second factor at enrolment, then lets them in once enrolled', async () => {
    const { cookie } = await signedInAs('admin');
    const refused = await call(tokenRoute.GET as never, 'GET', `/api/tokens/${missingHash}`, cookie, undefined, {
      hash: missingHash,
    });
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('mfa_enrolment_required');
    const status = await call(securityRoute.GET as never, 'GET', '/api/account/security', cookie);
    expect(status.json).toMatchObject({ twoFactorEnabled: false, enrolmentRequired: true, canEnrol: true });

    const enrolled = await enrol(cookie);
    const after = await call(securityRoute.GET as never, 'GET', '/api/account/security', enrolled.cookie);
    expect(after.json).toMatchObject({
      twoFactorEnabled: true,
      enrolmentRequired: false,
      stepUpProof: 'second_factor',
    });
    const read = await call(tokenRoute.GET as never, 'GET', `/api/tokens/${missingHash}`, enrolled.cookie, undefined, {
      hash: missingHash,
    });
    expect(read.json?.error?.code).not.toBe('mfa_enrolment_required');
  });

  it('lets a viewer (not listed) through without a second factor', async () => {
    const { cookie } = await signedInAs('viewer');
    const status = await call(securityRoute.GET as never, 'GET', '/api/account/security', cookie);
    expect(status.json).toMatchObject({ twoFactorEnabled: false, enrolmentRequired: false, stepUpProof: 'password' });
  });
});

describe('sign-in with a second factor', () => {
  it('asks for a code after the password, opens no session before it, and signs in with a code or a recovery code', async () => {
    const { cookie, email } = await signedInAs('admin');
    const { totpURI, backupCodes } = await enrol(cookie);

    const password = await authCall('/sign-in/email', '', { email, password: TEST_PASSWORD });
    expect(password.status).toBe(200);
    expect(await password.json()).toMatchObject({ twoFactorRedirect: true, twoFactorMethods: ['totp'] });
    const pending = cookiesOf(password);
    expect(pending).not.toMatch(/session_token/);

    const remembered = await authCall('/two-factor/verify-totp', pending, { code: '000000', trustDevice: true });
    expect(remembered.status).toBe(400);
    const wrong = await authCall('/two-factor/verify-totp', pending, { code: '000000' });
    expect(wrong.status).toBe(401);
    const right = await authCall('/two-factor/verify-totp', pending, { code: await codeFor(totpURI) });
    expect(right.status).toBe(200);
    expect(cookiesOf(right)).toMatch(/session_token/);

    const again = await authCall('/sign-in/email', '', { email, password: TEST_PASSWORD });
    const recovery = await authCall('/two-factor/verify-backup-code', cookiesOf(again), { code: backupCodes[0] });
    expect(recovery.status).toBe(200);
    const reused = await authCall('/sign-in/email', '', { email, password: TEST_PASSWORD });
    const refused = await authCall('/two-factor/verify-backup-code', cookiesOf(reused), { code: backupCodes[0] });
    expect(refused.status).toBe(401);
  });
});

describe('step-up', () => {
  it('refuses a delete once the window has passed, takes the password back, and lets the retry through', async () => {
    useTestConfig({
      AUTHLETE_BASE_URL: emulator.url,
      AUTHLETE_SERVICE_ID: emulator.serviceId,
      AUTHLETE_SERVICE_ACCESS_TOKEN: emulator.serviceAccessToken,
      APP_URL: APP,
      MFA_REQUIRED_ROLES: 'none',
    });
    const { cookie } = await signedInAs('admin');
    const del = () =>
      call(
        tokenRoute.DELETE as never,
        'DELETE',
        `/api/tokens/${missingHash}`,
        cookie,
        { reason: 'test' },
        {
          hash: missingHash,
        },
      );
    // Fresh from sign-in: not asked.
    expect((await del()).json?.error?.code).not.toBe('step_up_required');
    await ageVerification(cookie, 301);
    const refused = await del();
    expect(refused.status).toBe(403);
    expect(refused.json.error).toMatchObject({
      code: 'step_up_required',
      details: { proof: 'password', windowSeconds: 300 },
    });

    const wrong = await call(stepUpRoute.POST as never, 'POST', '/api/account/step-up', cookie, {
      password: 'not it at all',
    });
    expect(wrong.status).toBe(403);
    expect(wrong.json.error.code).toBe('step_up_failed');
    const code = await call(stepUpRoute.POST as never, 'POST', '/api/account/step-up', cookie, { code: '123456' });
    expect(code.status).toBe(400);
    const right = await call(stepUpRoute.POST as never, 'POST', '/api/account/step-up', cookie, {
      password: TEST_PASSWORD,
    });
    expect(right.status).toBe(200);
    expect(right.json.stepUpValidUntil).not.toBeNull();
    expect((await del()).json?.error?.code).not.toBe('step_up_required');
  });

  it('takes a TOTP code from a person with a second factor, and ends the session after five wrong proofs', async () => {
    const { cookie: first } = await signedInAs('admin');
    const { cookie, totpURI } = await enrol(first);
    await ageVerification(cookie, 400);
    const stepUp = (body: unknown) => call(stepUpRoute.POST as never, 'POST', '/api/account/step-up', cookie, body);
    expect((await stepUp({ password: TEST_PASSWORD })).status).toBe(400);
    expect((await stepUp({ code: await codeFor(totpURI) })).status).toBe(200);

    await ageVerification(cookie, 400);
    for (let attempt = 1; attempt < 5; attempt++) expect((await stepUp({ code: '000000' })).status).toBe(403);
    const last = await stepUp({ code: '000000' });
    expect(last.status).toBe(401);
    const db = await getDb();
    const [user] = await db.select().from(authUser).where(eq(authUser.twoFactorEnabled, true)).limit(1);
    expect(user).toBeDefined();
    expect((await call(securityRoute.GET as never, 'GET', '/api/account/security', cookie)).status).toBe(401);
  });
});
