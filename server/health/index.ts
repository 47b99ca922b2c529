import 'server-only';
import { sql } from 'drizzle-orm';
import { getAuthleteClient } from '@/server/authlete';
import { getDatabaseHandle } from '@/server/db';

export interface Check {
  ok: boolean;
  latencyMs: number;
  error?: string;
  /** When the check ran (ms since epoch); an Authlete check is reused for AUTHLETE_CHECK_TTL_MS. */
  checkedAt: number;
}

/**
 * How long one Authlete check answers every readiness probe of this instance: a flood of health
 * checks makes at most one upstream call per interval.
 */
export const AUTHLETE_CHECK_TTL_MS = 10_000;

async function timed(run: () => Promise<unknown>): Promise<Check> {
  const checkedAt = Date.now();
  const started = performance.now();
  try {
    await run();
    return { ok: true, latencyMs: Math.round(performance.now() - started), checkedAt };
  } catch (error) {
    // Only the error's class of failure, never its text: it could carry a connection string.
    const code = (error as { code?: unknown }).code;
    return {
      ok: false,
      latencyMs: Math.round(performance.now() - started),
      error: typeof code === 'string' ? code : 'unreachable',
      checkedAt,
    };
  }
}

let authleteCheck: { startedAt: number; check: Promise<Check> } | undefined;

/** Whether Authlete accepts our credential, asked at most once per interval (callers share one call in flight). */
function checkAuthlete(now: number): Promise<Check> {
  if (!authleteCheck || now - authleteCheck.startedAt >= AUTHLETE_CHECK_TTL_MS) {
    authleteCheck = { startedAt: now, check: timed(() => getAuthleteClient().listSupportedScopes()) };
  }
  return authleteCheck.check;
}

/** Readiness: the app database answers (every time: it is this instance's own) and Authlete (cached). */
export async function readiness(
  now = Date.now(),
): Promise<{ ok: boolean; checks: { database: Check; authlete: Check } }> {
  const [database, authlete] = await Promise.all([
    timed(async () => (await getDatabaseHandle()).db.execute(sql`select 1`)),
    checkAuthlete(now),
  ]);
  return { ok: database.ok && authlete.ok, checks: { database, authlete } };
}
