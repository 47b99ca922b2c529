import { lt, sql } from 'drizzle-orm';
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
export interface RateLimitStore {
  readonly kind: 'database' | 'redis';
  /** Counts one request for `key` in a fixed window of `windowMs`, atomically across instances. */
  hit(key: string, windowMs: number, now?: number): Promise<WindowCount>;
}

/** Rows whose window ended this long ago are deleted now and then, so the table stays small. */
const STALE_AFTER_MS = 60 * 60_000;

/** One upsert per hit, prepared once: every change made through Token Desk runs it. */
function prepareHit(db: Database) {
  const now = sql.placeholder('now');
  const resetAt = sql.placeholder('resetAt');
  const ended = sql`${rateLimitCounter.resetAt} <= ${now}`;
  return db
    .insert(rateLimitCounter)
    .values({ key: sql.placeholder('key'), count: 1, resetAt })
    .onConflictDoUpdate({
      target: rateLimitCounter.key,
      set: {
        count: sql`case when ${ended} then 1 else ${rateLimitCounter.count} + 1 end`,
        resetAt: sql`case when ${ended} then ${resetAt} else ${rateLimitCounter.resetAt} end`,
      },
    })
    .returning({ count: rateLimitCounter.count, resetAt: rateLimitCounter.resetAt })
    .prepare('token_desk_rate_limit_hit');
}

/** Counters in the app database (`rate_limit_counter`): one upsert per hit, atomic on PostgreSQL and PGlite. */
export function databaseStore(db: Database, sweepEvery = 500): RateLimitStore {
  let hitsSinceSweep = 0;
  const hit = prepareHit(db);
  return {
    kind: 'database',
    async hit(key, windowMs, now = Date.now()) {
      const [row] = await hit.execute({ key, now, resetAt: now + windowMs });
      if (++hitsSinceSweep >= sweepEvery) {
        hitsSinceSweep = 0;
        await db.delete(rateLimitCounter).where(lt(rateLimitCounter.resetAt, now - STALE_AFTER_MS));
      }
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
export function redisStore(redis: Redis, prefix = 'token-desk:rl:'): RateLimitStore {
  return {
    kind: 'redis',
    async hit(key, windowMs, now = Date.now()) {
      const [count, ttl] = (await redis.eval(HIT_SCRIPT, 1, `${prefix}${key}`, String(windowMs))) as [number, number];
      return { count: Number(count), resetAt: now + Number(ttl) };
    },
  };
}
