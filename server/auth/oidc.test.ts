/**
 * OIDC single sign-on against a real, certified OpenID provider (panva's oidc-provider) started on
 * 127.0.0.1, driven over HTTP the way a browser would: authorization request, the provider's own
 * login and consent forms, the callback into Better Auth, then the session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '@/lib/schemas/audit';
import { startTestOidcProvider, type TestOidcProvider } from './test-oidc-provider';
import { PEER_ADDRESS_HEADER } from '@/server/core/peer-address';
import { useTestConfig } from '@/server/testing/config';
import { handleAuthRequest } from '@/server/http/auth-routes';
import { getActor } from './index';
import { closeDb, getDb } from '@/server/db';
import { listAudit } from '@/server/audit';
import { auditListQuerySchema as auditQuery } from '@/lib/schemas/audit';
import { setDisabled } from './users';
import { getAuth } from './auth';

const APP = 'http://127.0.0.1:3999';
const CLIENT_ID = 'token-desk';
const CLIENT_SECRET = 'a-test-client-secret-that-is-long-enough';

/** People known to the provider: subject → claims. */
const people: Record<string, Record<string, unknown>> = {
  alice: { email: 'alice@corp.test', email_verified: true, name: 'Alice', groups: ['desk-admins'] },
  bob: { email: 'bob@corp.test', email_verified: true, name: 'Bob', groups: ['helpdesk'] },
  carol: { email: 'carol@corp.test', email_verified: true, name: 'Carol', groups: ['sales'] },
  dan: { email: 'Dan@Corp.test', email_verified: true, name: 'Dan', groups: [] },
};

let provider: TestOidcProvider;
let issuer: string;

beforeAll(async () => {
  provider = await startTestOidcProvider({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: [`${APP}/api/auth/callback/oidc`],
    people,
  });
  issuer = provider.issuer;

  useTestConfig({
    APP_URL: APP,
    OIDC_ISSUER: issuer,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    OIDC_DISPLAY_NAME: 'Corp SSO',
    OIDC_SCOPES: 'openid email profile groups',
    OIDC_ROLE_CLAIM: 'groups',
    OIDC_ROLE_MAP: 'desk-admins=admin,helpdesk=support',
    OIDC_VIEWER_EMAILS: 'dan@corp.test',
  });
  // Migrating the fresh database takes a while on a busy machine: in the hook, not the first test.
  await getAuth();
});

afterAll(async () => {
  await closeDb();
  await provider?.close();
});

/** The browser's cookies for one site. */
class CookieJar {
  private cookies = new Map<string, string>();
  store(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** Through the allowlist of Better Auth routes, as the app's /api/auth route serves them. */
async function desk_(path: string, jar: CookieJar, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  const headers = new Headers({
    origin: APP,
    'user-agent': 'vitest-browser',
    [PEER_ADDRESS_HEADER]: '127.0.0.1',
    cookie: jar.header(),
  });
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  const response = await handleAuthRequest(
    new Request(new URL(path, APP), {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    }),
  );
  jar.store(response);
  return response;
}

async function idp_(url: string, jar: CookieJar, form?: Record<string, string>): Promise<Response> {
  const response = await fetch(url, {
    method: form ? 'POST' : 'GET',
    redirect: 'manual',
    headers: { cookie: jar.header(), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    body: form ? new URLSearchParams(form) : undefined,
  });
  jar.store(response);
  return response;
}

/**
 * Signs `login` in through the whole flow; returns the desk's final response (a redirect) and the
 * desk cookies. The provider's own forms are filled in as a person would.
 */
async function signInWithSso(login: string): Promise<{ final: Response; deskJar: CookieJar }> {
  const deskJar = new CookieJar();
  const idpJar = new CookieJar();
  const start = await desk_('/api/auth/sign-in/social', deskJar, {
    method: 'POST',
    body: { provider: 'oidc', callbackURL: '/tokens', errorCallbackURL: '/sign-in' },
  });
  expect(start.status).toBe(200);
  let url = ((await start.json()) as { url: string }).url;
  expect(url.startsWith(`${issuer}/`)).toBe(true);
  expect(new URL(url).searchParams.get('code_challenge_method')).toBe('S256');

  for (let step = 0; step < 10; step += 1) {
    if (url.startsWith(APP)) return { final: await desk_(url, deskJar), deskJar };
    const response = await idp_(url, idpJar);
    if (response.status >= 300 && response.status < 400) {
      url = new URL(response.headers.get('location')!, url).toString();
      continue;
    }
    // An interaction page: the login form, then the consent form.
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    expect(action, html.slice(0, 500)).toBeTruthy();
    const submitted = await idp_(
      new URL(action!, url).toString(),
      idpJar,
      prompt === 'login' ? { prompt, login, password: 'any' } : { prompt: prompt ?? 'consent' },
    );
    url = new URL(submitted.headers.get('location')!, url).toString();
  }
  throw new Error('The sign-in flow did not come back to Token Desk.');
}

describe('OIDC sign-in', () => {
  it('signs a person in with the role their group maps to, and records it', async () => {
    const { final, deskJar } = await signInWithSso('alice');
    expect(final.status).toBe(302);
    expect(final.headers.get('location')).toBe('/tokens');
    const actor = await getActor(new Headers({ cookie: deskJar.header() }));
    expect(actor).toMatchObject({ email: 'alice@corp.test', name: 'Alice', role: 'admin', method: 'oidc' });

    const audit = await listAudit(auditQuery.parse({ action: 'auth.sign_in', actor: 'alice@corp.test' }));
    expect(audit.entries[0]).toMatchObject({ outcome: 'success', actor: { role: 'admin', method: 'oidc' } });
  });

  it('maps a second group and an email list', async () => {
    const bob = await signInWithSso('bob');
    expect((await getActor(new Headers({ cookie: bob.deskJar.header() })))?.role).toBe('support');
    const dan = await signInWithSso('dan');
    expect((await getActor(new Headers({ cookie: dan.deskJar.header() })))?.role).toBe('viewer');
  });

  it('refuses a person no rule gives a role: back to the sign-in page with an error, no session', async () => {
    const { final, deskJar } = await signInWithSso('carol');
    expect(final.status).toBe(302);
    const location = new URL(final.headers.get('location')!, APP);
    expect(location.pathname).toBe('/sign-in');
    expect(location.searchParams.get('error')).toBeTruthy();
    expect(await getActor(new Headers({ cookie: deskJar.header() }))).toBeNull();
    const failures = await listAudit(auditQuery.parse({ action: 'auth.sign_in_failed' }));
    expect(failures.entries.some((entry: AuditRecord) => entry.actor?.method === 'oidc')).toBe(true);
  });

  it('applies a role change at the provider on the next sign-in', async () => {
    people.bob!.groups = ['desk-admins'];
    const { deskJar } = await signInWithSso('bob');
    expect((await getActor(new Headers({ cookie: deskJar.header() })))?.role).toBe('admin');
    people.bob!.groups = ['helpdesk'];
  });

  it('keeps a disabled account out even when the provider vouches for it', async () => {
    await setDisabled(await getDb(), 'alice@corp.test', true);
    const { final, deskJar } = await signInWithSso('alice');
    expect(new URL(final.headers.get('location')!, APP).pathname).toBe('/sign-in');
    expect(await getActor(new Headers({ cookie: deskJar.header() }))).toBeNull();
    await setDisabled(await getDb(), 'alice@corp.test', false);
  });
});
