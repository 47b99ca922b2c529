/**
 * Passkeys through the real wrapper and Better Auth, with a software authenticator: adding one
 * (only with a fresh step-up), signing in with it, stepping up with it (refused for someone else's
 * credential, a wrong or reused challenge, no user verification), MFA_REQUIRED_ROLES counting it,
 * removing it, and an admin's second-factor reset taking it away.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAuth } from '@/server/auth';
import { resetSecondFactor } from '@/server/auth/staff';
import { getDb } from '@/server/db';
import { auditLog, authPasskey, authSession } from '@/server/db/schema';
import { PEER_ADDRESS_HEADER } from '@/server/core/peer-address';
import { handleAuthRequest } from '@/server/http/auth-routes';
import { SoftAuthenticator } from '@/server/testing/authenticator';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import { useTestConfig } from '@/server/testing/config';
import type { RouteHandler } from '@/server/testing/routes';
import { signedInAs, TEST_PASSWORD } from '@/server/testing/sign-in';
import * as passkeysRoute from './passkeys/route';
import * as passkeyRoute from './passkeys/[id]/route';
import * as passkeyOptionsRoute from './passkeys/options/route';
import * as securityRoute from './security/route';
import * as stepUpRoute from './step-up/route';
import * as stepUpPasskeyRoute from './step-up/passkey/route';

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

function authCall(method: 'GET' | 'POST', path: string, cookie: string, body?: unknown) {
  return handleAuthRequest(
    new Request(`${APP}/api/auth${path}`, {
      method,
      headers: {
        origin: APP,
        cookie,
        'content-type': 'application/json',
        'user-agent': 'vitest',
        [PEER_ADDRESS_HEADER]: `203.0.113.${Math.floor(Math.random() * 200) + 1}`,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
}

const cookiesOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .filter((pair) => !pair!.endsWith('='))
    .join('; ');

const withCookies = (...cookies: string[]) => cookies.filter(Boolean).join('; ');

async function sessionOf(cookie: string) {
  const signed = decodeURIComponent(
    cookie
      .split('; ')
      .find((pair) => pair.includes('session_token'))!
      .split('=')[1]!,
  );
  const token = signed.slice(0, signed.lastIndexOf('.'));
  const [row] = await (await getDb()).select().from(authSession).where(eq(authSession.token, token));
  return row;
}

async function ageVerification(cookie: string, seconds: number) {
  const session = await sessionOf(cookie);
  await (
    await getDb()
  )
    .update(authSession)
    .set({ verifiedAt: new Date(Date.now() - seconds * 1000) })
    .where(eq(authSession.id, session!.id));
}

/** Adds a passkey for the signed-in person through the offered endpoints; the refusal's code, if any. */
async function addPasskey(cookie: string, authenticator: SoftAuthenticator, name = 'Laptop') {
  const options = await call(passkeyOptionsRoute.GET as never, 'GET', '/api/account/passkeys/options', cookie);
  if (options.status !== 200) return { status: options.status, code: options.json.error.code as string };
  const { challenge } = options.json as { challenge: string };
  const verified = await authCall(
    'POST',
    '/passkey/verify-registration',
    withCookies(cookie, cookiesOf(options.response)),
    {
      response: authenticator.register(challenge),
      name,
    },
  );
  const body = (await verified.json()) as { code?: string };
  return { status: verified.status, code: body.code };
}

async function stepUpChallenge(cookie: string): Promise<string> {
  const options = await call(stepUpPasskeyRoute.GET as never, 'GET', '/api/account/step-up/passkey', cookie);
  expect(options.status).toBe(200);
  expect(options.json.userVerification).toBe('required');
  return options.json.challenge;
}

const stepUpWith = (cookie: string, passkey: unknown) =>
  call(stepUpRoute.POST as never, 'POST', '/api/account/step-up', cookie, { passkey });

describe('adding a passkey', () => {
  it('needs a fresh step-up and a name, records who added it, and counts as the second factor', async () => {
    const { cookie } = await signedInAs('admin');
    const authenticator = new SoftAuthenticator(APP);
    // Held back by MFA_REQUIRED_ROLES until a second factor exists.
    expect((await call(securityRoute.GET as never, 'GET', '/api/account/security', cookie)).json).toMatchObject({
      enrolmentRequired: true,
      hasPasskey: false,
    });

    await ageVerification(cookie, 301);
    const stale = await addPasskey(cookie, authenticator);
    expect(stale.status).toBe(403);
    expect(stale.code).toBe('step_up_required');
    await ageVerification(cookie, 0);
    const unnamed = await addPasskey(cookie, authenticator, ' ');
    expect(unnamed.status).toBe(400);

    const added = await addPasskey(cookie, authenticator, 'Laptop');
    expect(added.status).toBe(200);
    const list = await call(passkeysRoute.GET as never, 'GET', '/api/account/passkeys', cookie);
    expect(list.json.passkeys).toEqual([expect.objectContaining({ name: 'Laptop' })]);
    expect((await call(securityRoute.GET as never, 'GET', '/api/account/security', cookie)).json).toMatchObject({
      enrolmentRequired: false,
      hasPasskey: true,
      stepUpProof: 'passkey',
    });
    const db = await getDb();
    const [record] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'auth.passkey_add'), eq(auditLog.actorId, (await sessionOf(cookie))!.userId)));
    expect(record).toMatchObject({ outcome: 'success' });
  });
});

describe('signing in with a passkey', () => {
  it('is a complete sign-in; the password alone is then refused for someone whose only factor it is', async () => {
    const { cookie, email } = await signedInAs('support');
    const authenticator = new SoftAuthenticator(APP);
    expect((await addPasskey(cookie, authenticator)).status).toBe(200);

    const password = await authCall('POST', '/sign-in/email', '', { email, password: TEST_PASSWORD });
    expect(password.status).toBe(403);
    expect(((await password.json()) as { code: string }).code).toBe('passkey_required');

    const options = await authCall('GET', '/passkey/generate-authenticate-options', '');
    const { challenge } = (await options.json()) as { challenge: string };
    const unverified = await authCall('POST', '/passkey/verify-authentication', cookiesOf(options), {
      response: authenticator.assert(challenge, { userVerified: false }),
    });
    expect(unverified.status).toBe(401);

    const again = await authCall('GET', '/passkey/generate-authenticate-options', '');
    const signedIn = await authCall('POST', '/passkey/verify-authentication', cookiesOf(again), {
      response: authenticator.assert(((await again.json()) as { challenge: string }).challenge),
    });
    expect(signedIn.status).toBe(200);
    const security = await call(securityRoute.GET as never, 'GET', '/api/account/security', cookiesOf(signedIn));
    expect(security.status).toBe(200);
    expect(security.json.stepUpValidUntil).not.toBeNull();
  });
});

describe('stepping up with a passkey', () => {
  it("opens the window with the person's own passkey and refuses anything else", async () => {
    const mine = await signedInAs('admin');
    const theirs = await signedInAs('admin');
    const myKey = new SoftAuthenticator(APP);
    const theirKey = new SoftAuthenticator(APP);
    expect((await addPasskey(mine.cookie, myKey)).status).toBe(200);
    expect((await addPasskey(theirs.cookie, theirKey)).status).toBe(200);
    await ageVerification(mine.cookie, 301);

    // Someone else's registered credential, correctly signed over my challenge.
    expect((await stepUpWith(mine.cookie, theirKey.assert(await stepUpChallenge(mine.cookie)))).json.error.code).toBe(
      'step_up_failed',
    );
    // My credential over a challenge the server never issued.
    await stepUpChallenge(mine.cookie);
    expect((await stepUpWith(mine.cookie, myKey.assert('bm90LXRoZS1jaGFsbGVuZ2U'))).status).toBe(403);
    // No challenge outstanding (the last one was used up by the refusal).
    expect((await stepUpWith(mine.cookie, myKey.assert('bm90LXRoZS1jaGFsbGVuZ2U'))).status).toBe(403);
    // A password is not a step-up for someone whose second factor is a passkey.
    expect(
      (await call(stepUpRoute.POST as never, 'POST', '/api/account/step-up', mine.cookie, { password: TEST_PASSWORD }))
        .status,
    ).toBe(400);
    expect((await sessionOf(mine.cookie))!.verifiedAt.getTime()).toBeLessThan(Date.now() - 300_000);

    const assertion = myKey.assert(await stepUpChallenge(mine.cookie));
    const verified = await stepUpWith(mine.cookie, assertion);
    expect(verified.status).toBe(200);
    expect(verified.json.stepUpValidUntil).not.toBeNull();
    // The same assertion again: its challenge is spent.
    expect((await stepUpWith(mine.cookie, assertion)).status).toBe(403);
  });

  it('refuses an assertion without user verification or made for another origin', async () => {
    const { cookie } = await signedInAs('support');
    const myKey = new SoftAuthenticator(APP);
    expect((await addPasskey(cookie, myKey)).status).toBe(200);
    await ageVerification(cookie, 301);
    expect(
      (await stepUpWith(cookie, myKey.assert(await stepUpChallenge(cookie), { userVerified: false }))).status,
    ).toBe(403);
    expect(
      (await stepUpWith(cookie, myKey.assert(await stepUpChallenge(cookie), { origin: 'https://desk.example.net' })))
        .status,
    ).toBe(403);
    expect((await sessionOf(cookie))!.stepUpFailures).toBe(2);
  });

  it('is not possible for someone without a passkey', async () => {
    const { cookie } = await signedInAs('viewer');
    const options = await call(stepUpPasskeyRoute.GET as never, 'GET', '/api/account/step-up/passkey', cookie);
    expect(options.status).toBe(404);
    const proof = new SoftAuthenticator(APP).assert('bm90LXRoZS1jaGFsbGVuZ2U');
    expect((await stepUpWith(cookie, proof)).status).toBe(400);
  });
});

describe('removing passkeys', () => {
  it('takes a step-up, only touches one’s own, and an admin reset removes them all', async () => {
    const mine = await signedInAs('support');
    const other = await signedInAs('support');
    expect((await addPasskey(mine.cookie, new SoftAuthenticator(APP))).status).toBe(200);
    expect((await addPasskey(other.cookie, new SoftAuthenticator(APP))).status).toBe(200);
    const db = await getDb();
    const [own] = await db
      .select()
      .from(authPasskey)
      .where(eq(authPasskey.userId, (await sessionOf(mine.cookie))!.userId));
    const [foreign] = await db
      .select()
      .from(authPasskey)
      .where(eq(authPasskey.userId, (await sessionOf(other.cookie))!.userId));

    await ageVerification(mine.cookie, 301);
    const stale = await call(
      passkeyRoute.DELETE as never,
      'DELETE',
      `/api/account/passkeys/${own!.id}`,
      mine.cookie,
      undefined,
      {
        id: own!.id,
      },
    );
    expect(stale.json.error.code).toBe('step_up_required');
    expect(stale.json.error.details.proof).toBe('passkey');
    await ageVerification(mine.cookie, 0);
    const theirs = await call(
      passkeyRoute.DELETE as never,
      'DELETE',
      `/api/account/passkeys/${foreign!.id}`,
      mine.cookie,
      undefined,
      { id: foreign!.id },
    );
    expect(theirs.status).toBe(404);
    const removed = await call(
      passkeyRoute.DELETE as never,
      'DELETE',
      `/api/account/passkeys/${own!.id}`,
      mine.cookie,
      undefined,
      {
        id: own!.id,
      },
    );
    expect(removed.status).toBe(204);
    expect(await db.select().from(authPasskey).where(eq(authPasskey.id, foreign!.id))).toHaveLength(1);
    const [record] = await db
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.action, 'auth.passkey_remove'),
          eq(auditLog.actorId, own!.userId),
          eq(auditLog.outcome, 'success'),
        ),
      );
    expect(record).toBeDefined();

    // A lost key: an admin's reset of the second factor removes the other person's passkeys too.
    const member = await resetSecondFactor(db, own!.userId, 'default', foreign!.userId);
    expect(member.passkeys).toBe(0);
    expect(await db.select().from(authPasskey).where(eq(authPasskey.userId, foreign!.userId))).toHaveLength(0);
  });
});
