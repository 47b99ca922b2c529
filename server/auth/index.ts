import 'server-only';
import { and, eq, lt } from 'drizzle-orm';
import { roleSchema } from '@/lib/roles';
import type { Actor } from '@/lib/schemas/session';
import { config } from '@/server/config';
import { getDb } from '@/server/db';
import { authSession } from '@/server/db/schema';
import { getAuth } from './auth';

export type { Actor } from '@/lib/schemas/session';
export { getAuth, OIDC_PROVIDER_ID } from './auth';
export { demoAccounts, DEMO_PASSWORD } from './demo-accounts';

/** lastActiveAt is written at most this often, so reads do not all turn into writes. */
const ACTIVITY_WRITE_INTERVAL_MS = 60_000;

/**
 * The signed-in staff member behind these request headers, read from the database on every call:
 * null when signed out, when the session has passed its idle or absolute timeout, when the
 * account is disabled or has no valid role. Role checks use what this returns, never a cache.
 */
export async function getActor(headers: Headers): Promise<Actor | null> {
  const auth = await getAuth();
  const result = await auth.api.getSession({ headers, query: { disableCookieCache: true, disableRefresh: true } });
  if (!result) return null;
  const { session, user } = result;
  const role = roleSchema.safeParse(user.role);
  if (user.disabled || !role.success) return null;

  const now = Date.now();
  const lastActive = new Date(session.lastActiveAt ?? session.createdAt).getTime();
  const db = await getDb();
  if (now - lastActive > config.auth.sessionIdleMinutes * 60_000) {
    await db.delete(authSession).where(eq(authSession.id, session.id));
    return null;
  }
  if (now - lastActive > ACTIVITY_WRITE_INTERVAL_MS) {
    await db
      .update(authSession)
      .set({ lastActiveAt: new Date(now) })
      .where(and(eq(authSession.id, session.id), lt(authSession.lastActiveAt, new Date(now))));
  }
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: role.data,
    method: session.signInMethod === 'oidc' ? 'oidc' : 'password',
  };
}
