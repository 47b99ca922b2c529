/**
 * Better Auth's own HTTP endpoints through the app's /api/auth route: only sign-in (password and
 * single sign-on), the OIDC callback and sign-out answer; every other endpoint Better Auth has,
 * however it is spelled, is 404 and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestOidcProvider, type TestOidcProvider } from '@/server/auth/test-oidc-provider';
import { PEER_ADDRESS_HEADER } from '@/server/core/peer-address';
import { useTestConfig } from '@/server/testing/config';
import { getAuth } from '@/server/auth/auth';
import { getActor } from '@/server/auth';
import { signedInAs, TEST_PASSWORD } from '@/server/testing/sign-in';
import { closeDb } from '@/server/db';
import { GET, POST } from '@/app/api/auth/[...all]/route';

// The origin signedInAs signs in from.
const APP = 'http://127.0.0.1:3000';
let provider: TestOidcProvider;
const handle = (request: Request) => (request.method === 'GET' ? GET(request) : POST(request));

beforeAll(async () => {
  provider = await startTestOidcProvider({
    clientId: 'token-desk',
    clientSecret: 'a-test-client-secret-that-is-long-enough',
    redirectUris: [`${APP}/api/auth/callback/oidc`],
    people: {},
  });
  useTestConfig({
    APP_URL: APP,
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: 'token-desk',
    OIDC_CLIENT_SECRET: 'a-test-client-secret-that-is-long-enough',
    OIDC_DEFAULT_ROLE: 'viewer',
  });
  // Migrating the fresh database takes a while on a busy machine: in the hook, not the first test.
  await getAuth();
});
afterAll(async () => {
  await closeDb();
  await provider?.close();
});

function request(method: string, path: string, cookie: string, body: unknown = {}): Request {
  return new Request(`${APP}${path}`, {
    method,
    headers: {
      cookie,
      origin: APP,
      'content-type': 'application/json',
      'user-agent': 'vitest',
      [PEER_ADDRESS_HEADER]: '203.0.113.40',
    },
    body: method === 'GET' ? undefined : JSON.stringify(body),
  });
}

/** Every endpoint Better Auth serves over HTTP in this configuration, as `METHOD /path`. */
async function betterAuthRoutes(): Promise<string[]> {
  const auth = await getAuth();
  return Object.values(auth.api as Record<string, { path?: string; options?: { method?: string | string[] } }>).flatMap(
    (endpoint) => {
      if (!endpoint.path) return []; // Server-only (callable in process, never over HTTP).
      const method = endpoint.options?.method ?? 'GET';
      const methods = method === '*' ? ['GET', 'POST'] : Array.isArray(method) ? method : [method];
      return methods.map((m) => `${m} ${endpoint.path!.replace(/:id|:providerId/g, 'oidc').replace(/:\w+/g, 'x')}`);
    },
  );
}

const offered = [
  'POST /sign-in/email',
  'POST /two-factor/verify-totp',
  'POST /two-factor/verify-backup-code',
  'POST /two-factor/enable',
  'POST /two-factor/generate-backup-codes',
  'POST /passkey/verify-registration',
  'GET /passkey/generate-authenticate-options',
  'POST /passkey/verify-authentication',
  'POST /sign-out',
  'POST /sign-in/social',
  'GET /callback/oidc',
];

describe("Better Auth's endpoints", () => {
  it('answer 404 for everything the product does not offer, signed in or not, and change nothing', async () => {
    const { cookie, email } = await signedInAs('admin');
    const routes = await betterAuthRoutes();
    const closed = routes.filter((route) => !offered.includes(route));
    expect(routes).toEqual(expect.arrayContaining(offered));
    expect(closed).toEqual(
      expect.arrayContaining([
        'POST /change-password',
        'POST /revoke-session',
        'POST /revoke-sessions',
        'POST /revoke-other-sessions',
        'GET /list-sessions',
        'POST /update-session',
        'POST /update-user',
        'POST /delete-user',
        'POST /change-email',
        'GET /get-session',
        'POST /sign-up/email',
        // The two-factor plugin's others: switching it off, reading the secret again, codes by email.
        'POST /two-factor/disable',
        'POST /two-factor/get-totp-uri',
        'POST /two-factor/send-otp',
        // The passkey plugin's own management: listing and removing go through /api/account/passkeys.
        // Registration options come through /api/account/passkeys/options (behind a step-up).
        'GET /passkey/generate-register-options',
        'GET /passkey/list-user-passkeys',
        'POST /passkey/delete-passkey',
        'POST /passkey/update-passkey',
      ]),
    );
    const token = (await (await getAuth()).api.getSession({ headers: new Headers({ cookie }) }))!.session.token;
    const bodies: Record<string, unknown> = {
      '/change-password': {
        currentPassword: TEST_PASSWORD,
        newPassword: 'another long password',
        revokeOtherSessions: true,
      },
      '/revoke-session': { token },
      '/update-user': { name: 'Changed' },
      '/delete-user': { password: TEST_PASSWORD },
      '/sign-up/email': { email: 'new@test', password: 'a long enough password', name: 'New' },
      '/two-factor/disable': { password: TEST_PASSWORD },
      '/two-factor/get-totp-uri': { password: TEST_PASSWORD },
    };
    for (const route of closed) {
      const [method, path] = route.split(' ') as [string, string];
      for (const cookieSent of [cookie, '']) {
        const response = await handle(request(method, `/api/auth${path}`, cookieSent, bodies[path]));
        expect(response.status, `${route}${cookieSent ? ' signed in' : ''}`).toBe(404);
        expect((await response.json()).error.code).toBe('not_found');
      }
    }
    // Still signed in, with the same password and name: none of them ran.
    expect(await getActor(new Headers({ cookie }))).toMatchObject({ email, name: 'Test admin', role: 'admin' });
    const again = await handle(request('POST', '/api/auth/sign-in/email', '', { email, password: TEST_PASSWORD }));
    expect(again.status).toBe(200);
  });

  it('answer 404 for a closed path in any other spelling and for an offered path with another method', async () => {
    const { cookie } = await signedInAs('admin');
    for (const [method, path] of [
      ['POST', '/api/auth//change-password'],
      ['POST', '/api/auth/change-password/'],
      ['POST', '/api/auth/change%2Dpassword'],
      ['POST', '/api/auth/./revoke-sessions'],
      ['GET', '/api/auth//list-sessions'],
      ['GET', '/api/auth/sign-out'],
      ['GET', '/api/auth/sign-in/email'],
      ['POST', '/api/auth/callback/oidc'],
      ['GET', '/api/auth/callback/other'],
      ['GET', '/api/auth'],
    ] as const) {
      const response = await handle(request(method, path, cookie));
      expect(response.status, `${method} ${path}`).toBe(404);
    }
    expect(await getActor(new Headers({ cookie }))).not.toBeNull();
  });

  it('serve the offered ones: password sign-in, single sign-on start, sign-out', async () => {
    const { cookie } = await signedInAs('viewer');
    const start = await handle(
      request('POST', '/api/auth/sign-in/social', '', {
        provider: 'oidc',
        callbackURL: '/tokens',
        errorCallbackURL: '/sign-in',
      }),
    );
    expect(start.status).toBe(200);
    expect(((await start.json()) as { url: string }).url.startsWith(`${provider.issuer}/`)).toBe(true);
    const signOut = await handle(request('POST', '/api/auth/sign-out', cookie));
    expect(signOut.status).toBe(200);
    expect(await getActor(new Headers({ cookie }))).toBeNull();
  });
});
