import { lt, sql, type SQLWrapper } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import type { Database } from '@/server/db';
import { rateLimitCounter } from '@/server/db/schema';

/** One counted request: how many the key has had in its current window, and when that window ends. */
export interface WindowCount {
  count: number;
  resetAt: number;
}

/**
 * Where counters live. Every instance of the app must see the same counts, so a store is the
 * database or Redis, never process memory.
 */
interface CounterStore {
  /** Counts one request for `key` in a fixed window of `windowMs`, atomically across instances. */
  hit(key: string, windowMs: number, now?: number): Promise<WindowCount>;
}

export interface DatabaseRateLimitStore extends CounterStore {
  readonly kind: 'database';
  /** The app database the counters live in. */
  readonly db: Database;
  /**
   * For a hit that another statement counted with `counterHitConflict` (the session read of a
   * change, server/auth): keeps the now-and-then sweep of ended windows going.
   */
  counted(now: number): Promise<void>;
}

export interface RedisRateLimitStore extends CounterStore {
  readonly kind: 'redis';
}

export type RateLimitStore = DatabaseRateLimitStore | RedisRateLimitStore;

/** Rows whose window ended this long ago are deleted now and then, so the table stays small. */
const STALE_AFTER_MS = 60 * 60_000;

/**
 * The upsert's conflict clause, given the request time (ms) and the end of a new window: a hit in
 * a window that has ended starts a new one, any other hit adds one.
 */
export function counterHitConflict(now: SQLWrapper, resetAt: SQLWrapper) {
  const ended = sql`${rateLimitCounter.resetAt} <= ${now}`;
  return {
    target: rateLimitCounter.key,
    set: {
      count: sql`case when ${ended} then 1 else ${rateLimitCounter.count} + 1 end`,
      resetAt: sql`case when ${ended} then ${resetAt} else ${rateLimitCounter.resetAt} end`,
    },
  };
}

/** One upsert per hit, prepared once: every change made through Token Desk runs it. */
function prepareHit(db: Database) {
  const resetAt = sql.placeholder('resetAt');
  return db
    .insert(rateLimitCounter)
    .values({ key: sql.placeholder('key'), count: 1, resetAt })
    .onConflictDoUpdate(counterHitConflict(sql.placeholder('now'), resetAt))
    .returning({ count: rateLimitCounter.count, resetAt: rateLimitCounter.resetAt })
    .prepare('token_desk_rate_limit_hit');
}

/** Counters in the app database (`rate_limit_counter`): one upsert per hit, atomic on PostgreSQL and PGlite. */
export function databaseStore(db: Database, sweepEvery = 500): DatabaseRateLimitStore {
  let hitsSinceSweep = 0;
  const hit = prepareHit(db);
  const counted = async (now: number) => {
    if (++hitsSinceSweep < sweepEvery) return;
    hitsSinceSweep = 0;
    await db.delete(rateLimitCounter).where(lt(rateLimitCounter.resetAt, now - STALE_AFTER_MS));
  };
  return {
    kind: 'database',
    db,
    counted,
    async hit(key, windowMs, now = Date.now()) {
      const [row] = await hit.execute({ key, now, resetAt: now + windowMs });
      await counted(now);
      if (!row) throw new Error('The rate-limit counter upsert returned no row.');
      return { count: Number(row.count), resetAt: Number(row.resetAt) };
    },
  };
}

/** INCR with the window's expiry set by the first hit; returns the count and the time left in ms. */
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

/** Counters in Redis (REDIS_URL): one script call per hit, keys expire with their window. */
export function redisStore(redis: Redis, prefix = 'token-desk:rl:'): RedisRateLimitStore {
  return {
    kind: 'redis',
    async hit(key, windowMs, now = Date.now()) {
      const [count, ttl] = (await redis.eval(HIT_SCRIPT, 1, `${prefix}${key}`, String(windowMs))) as [number, number];
      return { count: Number(count), resetAt: now + Number(ttl) };
    },
  };
}
