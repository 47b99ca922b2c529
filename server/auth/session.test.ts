import { createHmac } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb } from '@/server/db';
import { auditLog, authSession } from '@/server/db/schema';
import { getActor } from './index';
import { createUser, setDisabled, setRole } from '@/server/auth/users';
import { PEER_ADDRESS_HEADER } from '@/server/core/peer-address';
import { handleAuthRequest } from '@/server/http/auth-routes';
import { countSignInFailure } from './sign-in-lockout';

const PASSWORD = 'a long enough password';
const ORIGIN = 'http://127.0.0.1:3000';
let ipCounter = 0;

/** Posts to the app's /api/auth handler, as the sign-in page does. */
async function authRequest(
  path: string,
  init: { body?: unknown; cookie?: string; ip?: string } = {},
): Promise<Response> {
  const headers = new Headers({
    'content-type': 'application/json',
    origin: ORIGIN,
    'user-agent': 'vitest',
    [PEER_ADDRESS_HEADER]: init.ip ?? `10.0.0.${++ipCounter}`,
  });
  if (init.cookie) headers.set('cookie', init.cookie);
  return handleAuthRequest(
    new Request(`${ORIGIN}/api/auth${path}`, { method: 'POST', headers, body: JSON.stringify(init.body ?? {}) }),
  );
}

function cookieHeader(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

async function signIn(email: string, password = PASSWORD, ip?: string): Promise<Response> {
  return authRequest('/sign-in/email', { body: { email, password }, ip });
}

async function signedInCookie(email: string): Promise<string> {
  const response = await signIn(email);
  expect(response.status).toBe(200);
  return cookieHeader(response);
}

beforeAll(async () => {
  const db = await getDb();
  await createUser(db, { email: 'ada@desk.test', name: 'Ada', role: 'admin', password: PASSWORD });
  await createUser(db, { email: 'sam@desk.test', name: 'Sam', role: 'support', password: PASSWORD });
  await createUser(db, { email: 'vic@desk.test', name: 'Vic', role: 'viewer', password: PASSWORD });
});
afterAll(closeDb);

describe('password sign-in and getActor', () => {
  it('signs in with a password and resolves the actor from the cookie', async () => {
    const response = await signIn('Ada@Desk.test');
    expect(response.status).toBe(200);
    const setCookie = response.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/^token-desk\.session_token=/m);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);

    const actor = await getActor(new Headers({ cookie: cookieHeader(response) }));
    expect(actor).toEqual({
      id: expect.any(String),
      email: 'ada@desk.test',
      name: 'Ada',
      role: 'admin',
      method: 'password',
      // What step-up needs: which session, whether a second factor is enrolled, when it was last proven.
      sessionId: expect.any(String),
      twoFactorEnabled: false,
      hasPasskey: false,
      verifiedAt: expect.any(Date),
    });
  });

  it('returns null without a cookie or with a forged one', async () => {
    expect(await getActor(new Headers())).toBeNull();
    expect(await getActor(new Headers({ cookie: 'token-desk.session_token=forged.value' }))).toBeNull();
  });

  it('refuses a real session token whose signature is not ours', async () => {
    const cookie = await signedInCookie('ada@desk.test');
    const signed = decodeURIComponent(/token-desk\.session_token=([^;]+)/.exec(cookie)![1]!);
    const token = signed.slice(0, signed.lastIndexOf('.'));
    expect(await getActor(new Headers({ cookie }))).not.toBeNull();
    // Same token, signed with another key: the database has it, the signature says it is not ours.
    const otherKey = createHmac('sha256', 'not the secret of this server').update(token).digest('base64');
    expect(
      await getActor(new Headers({ cookie: `token-desk.session_token=${encodeURIComponent(`${token}.${otherKey}`)}` })),
    ).toBeNull();
    expect(await getActor(new Headers({ cookie: `token-desk.session_token=${encodeURIComponent(token)}` }))).toBeNull();
  });

  it('refuses a wrong password and records the failure without the password', async () => {
    const response = await signIn('sam@desk.test', 'not the password at all');
    expect(response.status).toBe(401);
    const db = await getDb();
    const rows = await db.select().from(auditLog).where(eq(auditLog.action, 'auth.sign_in_failed'));
    expect(rows.some((row) => row.actorEmail === 'sam@desk.test')).toBe(true);
    expect(JSON.stringify(rows)).not.toContain('not the password at all');
  });

  it('has no public sign-up', async () => {
    const response = await authRequest('/sign-up/email', {
      body: { email: 'mallory@desk.test', password: 'mallory password 123', name: 'Mallory' },
    });
    expect(response.status).toBe(404);
    expect((await signIn('mallory@desk.test', 'mallory password 123')).status).toBe(401);
  });

  it('applies a role change on the very next request', async () => {
    const cookie = await signedInCookie('vic@desk.test');
    expect((await getActor(new Headers({ cookie })))?.role).toBe('viewer');
    await setRole(await getDb(), 'vic@desk.test', 'support');
    expect((await getActor(new Headers({ cookie })))?.role).toBe('support');
    await setRole(await getDb(), 'vic@desk.test', 'viewer');
  });

  it('ends every session of a disabled account at once and refuses its sign-in', async () => {
    const db = await getDb();
    await createUser(db, { email: 'dee@desk.test', name: 'Dee', role: 'support', password: PASSWORD });
    const cookie = await signedInCookie('dee@desk.test');
    expect(await getActor(new Headers({ cookie }))).not.toBeNull();
    await setDisabled(db, 'dee@desk.test', true);
    expect(await getActor(new Headers({ cookie }))).toBeNull();
    expect((await signIn('dee@desk.test')).status).toBe(403);
  });

  it('signs out: the old cookie no longer works', async () => {
    const cookie = await signedInCookie('sam@desk.test');
    expect(await getActor(new Headers({ cookie }))).not.toBeNull();
    const response = await authRequest('/sign-out', { cookie });
    expect(response.status).toBe(200);
    expect(await getActor(new Headers({ cookie }))).toBeNull();
    const db = await getDb();
    const signOuts = await db.select().from(auditLog).where(eq(auditLog.action, 'auth.sign_out'));
    expect(signOuts.map((row) => row.actorEmail)).toContain('sam@desk.test');
  });

  it('ends a session idle for longer than the idle timeout', async () => {
    const cookie = await signedInCookie('ada@desk.test');
    const db = await getDb();
    const actor = await getActor(new Headers({ cookie }));
    const [session] = await db
      .select()
      .from(authSession)
      .where(eq(authSession.userId, actor!.id))
      .orderBy(authSession.createdAt);
    // Pretend every session of Ada's was last used three hours ago (the default idle timeout is two).
    await db
      .update(authSession)
      .set({ lastActiveAt: new Date(Date.now() - 3 * 3600_000) })
      .where(eq(authSession.userId, session!.userId));
    expect(await getActor(new Headers({ cookie }))).toBeNull();
  });

  it('ends a session past its absolute lifetime even when active', async () => {
    const cookie = await signedInCookie('ada@desk.test');
    const db = await getDb();
    const actor = await getActor(new Headers({ cookie }));
    await db
      .update(authSession)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(authSession.userId, actor!.id));
    expect(await getActor(new Headers({ cookie }))).toBeNull();
  });

  it('records successful sign-ins with the method', async () => {
    const db = await getDb();
    const rows = await db.select().from(auditLog).where(eq(auditLog.action, 'auth.sign_in'));
    expect(rows.find((row) => row.actorEmail === 'ada@desk.test')).toMatchObject({
      outcome: 'success',
      actorRole: 'admin',
      actorMethod: 'password',
      userAgent: 'vitest',
    });
  });
});

describe('sign-in rate limits', () => {
  it('limits attempts per address per minute (default 10), shared through the database', async () => {
    const statuses: number[] = [];
    // A different account each time, so the per-account lockout is not what answers.
    for (let attempt = 0; attempt < 11; attempt += 1) {
      statuses.push((await signIn(`nobody${attempt}@desk.test`, 'wrong password!!', '192.0.2.7')).status);
    }
    expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    // Another address is not affected.
    expect((await signIn('nobody0@desk.test', 'wrong password!!', '192.0.2.8')).status).toBe(401);
  });

  it('counts the address as the HTTP server saw it: a rotated X-Forwarded-For does not escape the limit', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 11; attempt += 1) {
      const response = await handleAuthRequest(
        new Request(`${ORIGIN}/api/auth/sign-in/email`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            origin: ORIGIN,
            [PEER_ADDRESS_HEADER]: '192.0.2.9',
            'x-forwarded-for': `198.51.100.${attempt + 1}`,
          },
          body: JSON.stringify({ email: `rotating${attempt}@desk.test`, password: 'wrong password!!' }),
        }),
      );
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    const db = await getDb();
    const recorded = await db
      .select({ ip: auditLog.ip })
      .from(auditLog)
      .where(eq(auditLog.actorEmail, 'rotating3@desk.test'));
    expect(recorded).toEqual([{ ip: '192.0.2.9' }]);
  });

  it('locks an account after 10 failures for that address only: the owner still signs in from elsewhere', async () => {
    const db = await getDb();
    await createUser(db, { email: 'target@desk.test', name: 'Target', role: 'viewer', password: PASSWORD });
    // Nine through the sign-in route, the tenth counted directly: an eleventh request within the
    // minute would meet the per-address rate limit (10 a minute) before the lockout.
    for (let attempt = 0; attempt < 9; attempt += 1) {
      expect((await signIn('target@desk.test', 'guess guess guess', '198.51.100.200')).status).toBe(401);
    }
    await countSignInFailure(db, 'target@desk.test', '198.51.100.200');
    const locked = await signIn('target@desk.test', PASSWORD, '198.51.100.200');
    expect(locked.status).toBe(429);
    expect(await locked.json()).toMatchObject({ code: 'too_many_attempts' });
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    expect((await signIn('target@desk.test', PASSWORD, '203.0.113.50')).status).toBe(200);
  });

  it('locks an account for every address after 100 failures an hour from many addresses', async () => {
    const db = await getDb();
    await createUser(db, { email: 'guessed@desk.test', name: 'Guessed', role: 'viewer', password: PASSWORD });
    // Nine from each address: under the per-address lock, so only the slower limit can answer.
    // The first 91 are counted directly (a password check each would take most of a minute).
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const address = `198.18.${Math.floor(attempt / 9)}.1`;
      if (attempt < 91) await countSignInFailure(db, 'guessed@desk.test', address);
      else expect((await signIn('guessed@desk.test', 'guess guess guess', address)).status).toBe(401);
    }
    const locked = await signIn('guessed@desk.test', PASSWORD, '203.0.113.60');
    expect(locked.status).toBe(429);
    expect(await locked.json()).toMatchObject({ code: 'too_many_attempts' });
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(15 * 60);
  });
});
