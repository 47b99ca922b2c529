import 'server-only';
import { sql } from 'drizzle-orm';
import { getDatabaseHandle } from '@/server/db';
import type { AuthleteClient } from '@/server/authlete';
import { authleteFor, listServices, refreshServices } from '@/server/services';

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

/**
 * Keyed by the service's client, not its slug: an admin who fixes a stored service's credential gets a
 * new client, so the services page shows the new credential's health at once, not the old one's.
 */
const authleteChecks = new WeakMap<AuthleteClient, { startedAt: number; check: Promise<Check> }>();

/** Whether one service's Authlete accepts our credential, asked at most once per interval (callers share one call in flight). */
export function checkService(slug: string, now = Date.now()): Promise<Check> {
  const client = authleteFor(slug);
  let cached = authleteChecks.get(client);
  if (!cached || now - cached.startedAt >= AUTHLETE_CHECK_TTL_MS) {
    cached = { startedAt: now, check: timed(() => client.listSupportedScopes()) };
    authleteChecks.set(client, cached);
  }
  return cached.check;
}

/**
 * Readiness: the app database answers (every time: it is this instance's own) and every service's
 * Authlete (cached per service). `authlete` sums them up: ok when every service is. The instance is
 * ready (`ok`) while the database and at least one service answer: one service's outage or bad
 * credential must not take the dashboard away from the others (each check names which failed).
 */
export async function readiness(now = Date.now()): Promise<{
  ok: boolean;
  checks: { database: Check; authlete: Check; services: Record<string, Check> };
}> {
  await refreshServices();
  const slugs = listServices().map((service) => service.slug);
  const [database, ...serviceChecks] = await Promise.all([
    timed(async () => (await getDatabaseHandle()).db.execute(sql`select 1`)),
    ...slugs.map((slug) => checkService(slug, now)),
  ]);
  const failed = serviceChecks.find((check) => !check.ok);
  const authlete: Check = {
    ok: failed === undefined,
    latencyMs: Math.max(0, ...serviceChecks.map((check) => check.latencyMs)),
    checkedAt: Math.min(...serviceChecks.map((check) => check.checkedAt)),
    ...(failed?.error ? { error: failed.error } : {}),
  };
  return {
    ok: database.ok && serviceChecks.some((check) => check.ok),
    checks: { database, authlete, services: Object.fromEntries(slugs.map((slug, i) => [slug, serviceChecks[i]!])) },
  };
}
