import 'server-only';
import { and, asc, eq, gte, lt } from 'drizzle-orm';
import type { Token } from '@/lib/schemas';
import type { ClientSnapshot, TrendsResponse } from '@/lib/schemas/overview';
import type { AuthleteClient } from '@/server/authlete';
import { mapUpstream } from '@/server/authlete';
import { getDb } from '@/server/db';
import { tokenSnapshot } from '@/server/db/schema';

/**
 * The overview's daily snapshot: per client, Authlete's `totalCount` of valid and expired tokens
 * (two one-token list calls), and estimates the list filters cannot count — tokens expiring within
 * 7 and 30 days, tokens stale enough for the 90-day sweep — from a sample of at most
 * SAMPLE_PAGES pages of the client's valid tokens spread over the list, scaled to the total. A
 * few calls per client a day, never a read of every token. Exact when the sample is every token.
 */

const DAY_MS = 86_400_000;
/** List pages read per client for the estimates (Authlete answers at most 20 tokens a call). */
const SAMPLE_PAGES = 3;
const PAGE = 20;
/** Unused this long, a token is swept by Authlete (90 days) within the next two weeks. */
export const STALE_AFTER_DAYS = 76;
/** Clients counted at once: five calls each, kept well under Authlete's rate limits. */
const CONCURRENCY = 4;
/** Days kept; older snapshots are deleted when a new day is taken. */
const RETENTION_DAYS = 400;

export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Where the sample pages start: the whole list when it fits, else its start, middle and end. */
export function sampleOffsets(total: number): number[] {
  if (total <= SAMPLE_PAGES * PAGE) return Array.from({ length: Math.ceil(total / PAGE) }, (_, i) => i * PAGE);
  return [0, Math.floor(total / 2 - PAGE / 2), total - PAGE];
}

/** Expiring and stale counts in the sample, scaled to `total` (exact when the sample is all of it). */
export function estimate(
  sample: readonly Pick<Token, 'accessTokenExpiresAt' | 'createdAt' | 'lastRefreshedAt'>[],
  total: number,
  now: number,
): Pick<ClientSnapshot, 'expiring7' | 'expiring30' | 'stale' | 'sampled'> {
  const within = (days: number) =>
    sample.filter((token) => token.accessTokenExpiresAt > now && token.accessTokenExpiresAt <= now + days * DAY_MS)
      .length;
  const stale = sample.filter(
    (token) => now - Math.max(token.createdAt, token.lastRefreshedAt) >= STALE_AFTER_DAYS * DAY_MS,
  ).length;
  const scale = (count: number) => (sample.length === 0 ? 0 : Math.round((count / sample.length) * total));
  return { expiring7: scale(within(7)), expiring30: scale(within(30)), stale: scale(stale), sampled: sample.length };
}

/** One client's counts and estimates, from at most 2 + SAMPLE_PAGES list calls. */
async function countClient(
  authlete: Pick<AuthleteClient, 'listTokens'>,
  client: { clientId: string; clientName?: string },
  now: number,
  signal?: AbortSignal,
): Promise<ClientSnapshot> {
  const count = async (status: 'valid' | 'expired') =>
    (await authlete.listTokens({ clientId: client.clientId, status }, 0, 1, signal)).totalCount;
  const [valid, expired] = await Promise.all([count('valid'), count('expired')]);
  const sample: Token[] = [];
  for (const start of sampleOffsets(valid)) {
    const page = await authlete.listTokens({ clientId: client.clientId, status: 'valid' }, start, start + PAGE, signal);
    sample.push(...page.tokens);
  }
  return {
    clientId: client.clientId,
    clientName: client.clientName ?? null,
    valid,
    expired,
    ...estimate(sample, valid, now),
  };
}

/**
 * Takes today's snapshot of a service unless one exists: every client's row is written in one
 * statement that leaves an existing day alone, so two instances (or a restart) write it once.
 * Answers whether this call wrote it.
 */
export async function takeSnapshot(
  service: string,
  authlete: Pick<AuthleteClient, 'listClients' | 'listTokens'>,
  now = Date.now(),
  signal?: AbortSignal,
): Promise<boolean> {
  const db = await getDb();
  const day = utcDay(now);
  const [existing] = await db
    .select({ day: tokenSnapshot.day })
    .from(tokenSnapshot)
    .where(and(eq(tokenSnapshot.service, service), eq(tokenSnapshot.day, day)))
    .limit(1);
  if (existing) return false;
  const clients = await authlete.listClients();
  const rows = await mapUpstream(clients, CONCURRENCY, signal, (client, callSignal) =>
    countClient(authlete, client, now, callSignal),
  );
  if (rows.length === 0) return false;
  const written = await db
    .insert(tokenSnapshot)
    .values(rows.map((row) => ({ ...row, service, day, countedAt: new Date(now) })))
    .onConflictDoNothing()
    .returning({ clientId: tokenSnapshot.clientId });
  await db
    .delete(tokenSnapshot)
    .where(and(eq(tokenSnapshot.service, service), lt(tokenSnapshot.day, utcDay(now - RETENTION_DAYS * DAY_MS))));
  return written.length > 0;
}

/**
 * The daily series of a service over the last `days` days (totals of the permitted clients) and
 * each permitted client's latest snapshot. `clientIds` null = every client.
 */
export async function readTrends(
  service: string,
  days: number,
  clientIds: readonly string[] | null,
  now = Date.now(),
): Promise<TrendsResponse> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(tokenSnapshot)
    .where(and(eq(tokenSnapshot.service, service), gte(tokenSnapshot.day, utcDay(now - (days - 1) * DAY_MS))))
    .orderBy(asc(tokenSnapshot.day), asc(tokenSnapshot.clientId));
  const permitted = clientIds ? new Set(clientIds) : null;
  const kept = rows.filter((row) => permitted === null || permitted.has(row.clientId));
  const byDay = new Map<string, TrendsResponse['days'][number]>();
  for (const row of kept) {
    const total = byDay.get(row.day) ?? { day: row.day, valid: 0, expired: 0 };
    total.valid += row.valid;
    total.expired += row.expired;
    byDay.set(row.day, total);
  }
  const latestDay = kept.at(-1)?.day ?? null;
  const latest = kept
    .filter((row) => row.day === latestDay)
    .map((row) => ({
      clientId: row.clientId,
      clientName: row.clientName,
      valid: row.valid,
      expired: row.expired,
      expiring7: row.expiring7,
      expiring30: row.expiring30,
      stale: row.stale,
      sampled: row.sampled,
    }))
    .sort((a, b) => b.valid - a.valid || a.clientId.localeCompare(b.clientId));
  return {
    days: [...byDay.values()],
    latest,
    latestCountedAt: latestDay
      ? Math.max(...kept.filter((row) => row.day === latestDay).map((row) => row.countedAt.getTime()))
      : null,
  };
}

/**
 * Demo only: a month of earlier days derived from today's counts (a gentle rise with weekly
 * dips), so the demo's trend chart has a line to show. Never runs outside demo mode.
 */
export async function backfillDemoSnapshots(service: string, now = Date.now()): Promise<void> {
  const db = await getDb();
  const today = await db
    .select()
    .from(tokenSnapshot)
    .where(and(eq(tokenSnapshot.service, service), eq(tokenSnapshot.day, utcDay(now))));
  if (today.length === 0) return;
  const rows = [];
  for (let back = 29; back >= 1; back--) {
    const factor = 1 - back * 0.012 - (back % 7 === 0 ? 0.03 : 0);
    for (const row of today) {
      rows.push({
        ...row,
        day: utcDay(now - back * DAY_MS),
        valid: Math.max(0, Math.round(row.valid * factor)),
        expired: Math.max(0, Math.round(row.expired * (1 - back * 0.02))),
        countedAt: new Date(now - back * DAY_MS),
      });
    }
  }
  await db.insert(tokenSnapshot).values(rows).onConflictDoNothing();
}
