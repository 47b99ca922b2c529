import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '@/server/db';
import { signInFailure } from '@/server/db/schema';

/**
 * Failed password attempts are counted per account and client address, and per account across
 * all addresses. Ten wrong passwords from one address lock the account for that address only, so
 * nobody can lock a person out everywhere from one place; a hundred an hour from anywhere lock it
 * for everyone, so guessing from many addresses stays slow.
 */
export const ADDRESS_FAILURE_LIMIT = 10;
export const ADDRESS_FAILURE_WINDOW_MS = 15 * 60_000;
export const ACCOUNT_FAILURE_LIMIT = 100;
export const ACCOUNT_FAILURE_WINDOW_MS = 60 * 60_000;

/** The `scope` of the all-addresses count. */
const EVERY_ADDRESS = '*';

function key(email: string): string {
  return email.trim().toLowerCase().slice(0, 320);
}

/** An address's scope; a request without a known address shares one count with the others like it. */
function addressScope(address: string | null): string {
  return `ip:${address ?? 'unknown'}`;
}

const rules = [
  { scope: addressScope, limit: ADDRESS_FAILURE_LIMIT, windowMs: ADDRESS_FAILURE_WINDOW_MS },
  { scope: () => EVERY_ADDRESS, limit: ACCOUNT_FAILURE_LIMIT, windowMs: ACCOUNT_FAILURE_WINDOW_MS },
];

/** Seconds until the account accepts password attempts from `address` again; 0 when not locked. */
export async function signInLockedFor(
  db: Database,
  email: string,
  address: string | null,
  now = Date.now(),
): Promise<number> {
  if (!email) return 0;
  const rows = await db
    .select()
    .from(signInFailure)
    .where(
      and(
        eq(signInFailure.email, key(email)),
        inArray(
          signInFailure.scope,
          rules.map((rule) => rule.scope(address)),
        ),
      ),
    );
  let wait = 0;
  for (const rule of rules) {
    const row = rows.find((candidate) => candidate.scope === rule.scope(address));
    if (!row || row.count < rule.limit) continue;
    const unlockAt = row.lastFailureAt + rule.windowMs;
    if (unlockAt > now) wait = Math.max(wait, Math.ceil((unlockAt - now) / 1000));
  }
  return wait;
}

/** Counts one failed attempt on both counts, atomically, restarting a count when its window has passed. */
export async function countSignInFailure(
  db: Database,
  email: string,
  address: string | null,
  now = Date.now(),
): Promise<void> {
  if (!email) return;
  for (const rule of rules) {
    const windowStart = now - rule.windowMs;
    await db
      .insert(signInFailure)
      .values({ email: key(email), scope: rule.scope(address), count: 1, windowStartedAt: now, lastFailureAt: now })
      .onConflictDoUpdate({
        target: [signInFailure.email, signInFailure.scope],
        set: {
          count: sql`case when ${signInFailure.lastFailureAt} < ${windowStart} then 1 else ${signInFailure.count} + 1 end`,
          windowStartedAt: sql`case when ${signInFailure.lastFailureAt} < ${windowStart} then ${now} else ${signInFailure.windowStartedAt} end`,
          lastFailureAt: now,
        },
      });
  }
}

/**
 * A successful sign-in clears its address's count. The all-addresses count runs out on its own:
 * someone else's guessing is not forgiven by the owner signing in.
 */
export async function clearSignInFailures(db: Database, email: string, address: string | null): Promise<void> {
  if (!email) return;
  await db
    .delete(signInFailure)
    .where(and(eq(signInFailure.email, key(email)), eq(signInFailure.scope, addressScope(address))));
}
