import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '@/server/db';
import { appState, authSession, authUser } from '@/server/db/schema';
import { logEvent } from '@/server/core/log';
import { ensureDemoAccounts } from './users';

/** app_state key: when a run with a real Authlete (demo mode off) first used this database. */
export const LIVE_SINCE_KEY = 'live_since';

export type DemoAccountsOutcome =
  | { mode: 'demo'; seeded: true }
  | { mode: 'demo'; seeded: false; liveSince: string }
  | { mode: 'live'; disabled: string[]; sessionsEnded: number };

/**
 * Keeps the published demo password from ever opening a real installation. Demo mode off: every
 * account demo mode seeded is disabled and its sessions ended (one log line). Demo mode on: the
 * demo accounts are seeded, unless a live run has used this database, which is refused loudly.
 */
export async function reconcileDemoAccounts(db: Database, demo: boolean): Promise<DemoAccountsOutcome> {
  if (!demo) {
    await db.insert(appState).values({ key: LIVE_SINCE_KEY, value: new Date().toISOString() }).onConflictDoNothing();
    const { disabled, sessionsEnded } = await db.transaction(async (tx) => {
      const users = await tx
        .update(authUser)
        .set({ disabled: true, updatedAt: new Date() })
        .where(and(eq(authUser.demo, true), eq(authUser.disabled, false)))
        .returning({ id: authUser.id, email: authUser.email });
      const demoUsers = tx.select({ id: authUser.id }).from(authUser).where(eq(authUser.demo, true));
      const ended = await tx
        .delete(authSession)
        .where(inArray(authSession.userId, demoUsers))
        .returning({ id: authSession.id });
      return { disabled: users.map((user) => user.email).sort(), sessionsEnded: ended.length };
    });
    if (disabled.length > 0 || sessionsEnded > 0) {
      logEvent('warn', 'demo accounts disabled: demo mode is off, and their password is published', {
        accounts: disabled,
        sessionsEnded,
      });
    }
    return { mode: 'live', disabled, sessionsEnded };
  }
  const [live] = await db.select().from(appState).where(eq(appState.key, LIVE_SINCE_KEY));
  if (live) {
    logEvent(
      'error',
      'DEMO MODE REFUSED TO SEED: this database has been used with a real Authlete, so no account with the published demo password is created. Start the demo with a fresh DATA_DIR (or DATABASE_URL).',
      { liveSince: live.value },
    );
    return { mode: 'demo', seeded: false, liveSince: live.value };
  }
  await ensureDemoAccounts(db);
  return { mode: 'demo', seeded: true };
}

const globalKey = Symbol.for('token-desk.demo-accounts');
type GlobalWithDemo = typeof globalThis & { [globalKey]?: WeakMap<Database, Promise<DemoAccountsOutcome>> };

/** reconcileDemoAccounts once per database in this process (start-up and the first sign-in share it). */
export function reconcileDemoAccountsOnce(db: Database, demo: boolean): Promise<DemoAccountsOutcome> {
  const store = globalThis as GlobalWithDemo;
  const done = (store[globalKey] ??= new WeakMap());
  let outcome = done.get(db);
  if (!outcome) {
    outcome = reconcileDemoAccounts(db, demo);
    done.set(db, outcome);
    outcome.catch(() => done.delete(db));
  }
  return outcome;
}
