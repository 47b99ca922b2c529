import 'server-only';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { parseCookies } from 'better-auth/cookies';
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import { roleSchema } from '@/lib/roles';
import type { Actor } from '@/lib/schemas/session';
import { config } from '@/server/config';
import { getDb, perDatabase } from '@/server/db';
import { authSession, authUser } from '@/server/db/schema';
import { getAuth } from './auth';

export type { Actor } from '@/lib/schemas/session';
export { getAuth, OIDC_PROVIDER_ID } from './auth';
export { demoAccounts, DEMO_PASSWORD } from './demo-accounts';

/** lastActiveAt is written at most this often, so reads do not all turn into writes. */
const ACTIVITY_WRITE_INTERVAL_MS = 60_000;

/**
 * The session token from Better Auth's signed cookie (`token.base64(HMAC-SHA256(secret, token))`),
 * or null when it is missing or its signature does not verify.
 */
async function sessionTokenOf(headers: Headers): Promise<string | null> {
  const cookieHeader = headers.get('cookie');
  if (!cookieHeader) return null;
  const { authCookies, secret } = await (await getAuth()).$context;
  const signed = parseCookies(cookieHeader).get(authCookies.sessionToken.name);
  if (!signed) return null;
  const dot = signed.lastIndexOf('.');
  if (dot < 1) return null;
  const token = signed.slice(0, dot);
  const given = Buffer.from(signed.slice(dot + 1), 'base64');
  const expected = createHmac('sha256', secret).update(token).digest();
  return given.length === expected.length && timingSafeEqual(given, expected) ? token : null;
}

/** The session joined to its user, one prepared query per database: it runs on every API call. */
const actorQueryFor = perDatabase((db) =>
  db
    .select({
      sessionId: authSession.id,
      lastActiveAt: authSession.lastActiveAt,
      signInMethod: authSession.signInMethod,
      id: authUser.id,
      email: authUser.email,
      name: authUser.name,
      role: authUser.role,
      disabled: authUser.disabled,
    })
    .from(authSession)
    .innerJoin(authUser, eq(authUser.id, authSession.userId))
    .where(and(eq(authSession.token, sql.placeholder('token')), gt(authSession.expiresAt, sql.placeholder('now'))))
    .limit(1)
    .prepare('token_desk_session_actor'),
);

/**
 * The signed-in staff member behind these request headers, read from the database on every call
 * (one query: session joined to its user): null when signed out, when the session has passed its
 * idle or absolute timeout, when the account is disabled or has no valid role. Role checks use
 * what this returns, never a cache. Better Auth issues and ends sessions; this is its hot-path read.
 */
export async function getActor(headers: Headers): Promise<Actor | null> {
  const token = await sessionTokenOf(headers);
  if (!token) return null;
  const db = await getDb();
  const now = Date.now();
  const [row] = await actorQueryFor(db).execute({ token, now: new Date(now) });
  if (!row) return null;
  const role = roleSchema.safeParse(row.role);
  if (row.disabled || !role.success) return null;

  const lastActive = row.lastActiveAt.getTime();
  if (now - lastActive > config.auth.sessionIdleMinutes * 60_000) {
    await db.delete(authSession).where(eq(authSession.id, row.sessionId));
    return null;
  }
  if (now - lastActive > ACTIVITY_WRITE_INTERVAL_MS) {
    await db
      .update(authSession)
      .set({ lastActiveAt: new Date(now) })
      .where(and(eq(authSession.id, row.sessionId), lt(authSession.lastActiveAt, new Date(now))));
  }
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: role.data,
    method: row.signInMethod === 'oidc' ? 'oidc' : 'password',
  };
}
