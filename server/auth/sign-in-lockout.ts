import { eq, sql } from 'drizzle-orm';
import type { Database } from '@/server/db';
import { signInFailure } from '@/server/db/schema';

/** Failed password attempts allowed per account within the window before it is locked for a while. */
export const ACCOUNT_FAILURE_LIMIT = 10;
export const ACCOUNT_FAILURE_WINDOW_MS = 15 * 60_000;

function key(email: string): string {
  return email.trim().toLowerCase().slice(0, 320);
}

/** Seconds until the account accepts password attempts again; 0 when it is not locked. */
export async function signInLockedFor(db: Database, email: string, now = Date.now()): Promise<number> {
  if (!email) return 0;
  const [row] = await db.select().from(signInFailure).where(eq(signInFailure.email, key(email)));
  if (!row || row.count < ACCOUNT_FAILURE_LIMIT) return 0;
  const unlockAt = row.lastFailureAt + ACCOUNT_FAILURE_WINDOW_MS;
  return unlockAt > now ? Math.ceil((unlockAt - now) / 1000) : 0;
}

/** Counts one failed attempt, atomically, restarting the count when the window has passed. */
export async function countSignInFailure(db: Database, email: string, now = Date.now()): Promise<void> {
  if (!email) return;
  const windowStart = now - ACCOUNT_FAILURE_WINDOW_MS;
  await db
    .insert(signInFailure)
    .values({ email: key(email), count: 1, windowStartedAt: now, lastFailureAt: now })
    .onConflictDoUpdate({
      target: signInFailure.email,
      set: {
        count: sql`case when ${signInFailure.lastFailureAt} < ${windowStart} then 1 else ${signInFailure.count} + 1 end`,
        windowStartedAt: sql`case when ${signInFailure.lastFailureAt} < ${windowStart} then ${now} else ${signInFailure.windowStartedAt} end`,
        lastFailureAt: now,
      },
    });
}

export async function clearSignInFailures(db: Database, email: string): Promise<void> {
  if (!email) return;
  await db.delete(signInFailure).where(eq(signInFailure.email, key(email)));
}
