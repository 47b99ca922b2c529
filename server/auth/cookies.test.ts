/** Cookie attributes when the app is served over https (production), in a process of its own. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditListQuerySchema } from '@/lib/schemas/audit';
import { listAudit } from '@/server/audit';
import { PEER_ADDRESS_HEADER } from '@/server/core/peer-address';
import { closeDb, getDb } from '@/server/db';
import { useTestConfig } from '@/server/testing/config';
import { getAuth } from './auth';
import { createUser } from './users';

const APP = 'https://desk.example.com';
let signInResponse: Response;

beforeAll(async () => {
  useTestConfig({ APP_URL: APP });
  const auth = await getAuth();
  await createUser(await getDb(), {
    email: 'https-user@desk.test',
    name: 'H',
    role: 'viewer',
    password: 'a long enough password',
  });
  signInResponse = await auth.handler(
    new Request(`${APP}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: APP, [PEER_ADDRESS_HEADER]: '203.0.113.1' },
      body: JSON.stringify({ email: 'https-user@desk.test', password: 'a long enough password' }),
    }),
  );
});
afterAll(() => closeDb());

describe('session cookie over https', () => {
  it('records refused cross-site sign-ins as denials', async () => {
    await (
      await getAuth()
    ).handler(
      new Request(`${APP}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: 'https://evil.example',
          [PEER_ADDRESS_HEADER]: '203.0.113.3',
        },
        body: JSON.stringify({ email: 'Bearer abcdefghijklmnop', password: 'x' }),
      }),
    );
    const denials = await listAudit(auditListQuerySchema.parse({ action: 'auth.denied' }));
    expect(denials.entries[0]).toMatchObject({
      errorCode: 'cross_site_request',
      ip: '203.0.113.3',
      details: { route: 'POST /api/auth/sign-in/email' },
    });
  });

  it('keeps a failed sign-in with a junk "email" without storing the junk', async () => {
    const response = await (
      await getAuth()
    ).handler(
      new Request(`${APP}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: APP, [PEER_ADDRESS_HEADER]: '203.0.113.4' },
        body: JSON.stringify({ email: 'Bearer abcdefghijklmnop', password: 'x' }),
      }),
    );
    expect(response.status).toBe(400);
    const failures = await listAudit(auditListQuerySchema.parse({ action: 'auth.sign_in_failed' }));
    expect(failures.entries[0]).toMatchObject({ outcome: 'failure', actor: { email: null, method: 'password' } });
  });

  it('is __Host- prefixed, Secure, HttpOnly, SameSite=Lax, Path=/ and has no Domain', () => {
    expect(signInResponse.status).toBe(200);
    const cookie = signInResponse.headers.getSetCookie().find((line) => line.includes('session_token'));
    expect(cookie).toMatch(/^__Host-token-desk\.session_token=/);
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    expect(cookie).toMatch(/;\s*Path=\//i);
    expect(cookie).not.toMatch(/Domain=/i);
  });

  it.each([
    ['an Origin of another site', { origin: 'https://evil.example' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    [
      'Sec-Fetch-Site: same-site (a sibling subdomain)',
      { 'sec-fetch-site': 'same-site', origin: 'https://x.example.com' },
    ],
  ])('refuses a sign-in posted with %s, and sets no cookie', async (_label, extra) => {
    const response = await (
      await getAuth()
    ).handler(
      new Request(`${APP}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [PEER_ADDRESS_HEADER]: '203.0.113.2', ...extra },
        body: JSON.stringify({ email: 'https-user@desk.test', password: 'a long enough password' }),
      }),
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'cross_site_request' });
    expect(
      response.headers.getSetCookie().some((line) => line.includes('session_token=') && !/Max-Age=0/i.test(line)),
    ).toBe(false);
  });
});
