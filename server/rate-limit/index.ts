import 'server-only';
import { config } from '@/server/config';
import { getDb } from '@/server/db';
import { describeError, logEvent } from '@/server/core/log';
import { databaseStore, redisStore, type RateLimitStore, type WindowCount } from './stores';

export { counterHitConflict, databaseStore, redisStore, type RateLimitStore, type WindowCount } from './stores';

export interface RateLimitRule {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Whole seconds until the window ends (for Retry-After); 0 when allowed. */
  retryAfterSeconds: number;
}

/** Whether a request counted at `now` is within `rule`, and if not how long to wait. */
export function decide({ count, resetAt }: WindowCount, rule: RateLimitRule, now: number): RateLimitDecision {
  const allowed = count <= rule.limit;
  return {
    allowed,
    limit: rule.limit,
    remaining: Math.max(rule.limit - count, 0),
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((resetAt - now) / 1000)),
  };
}

/** Counts one request for `key` and says whether it is within `rule`. */
export async function consume(
  store: RateLimitStore,
  key: string,
  rule: RateLimitRule,
  now = Date.now(),
): Promise<RateLimitDecision> {
  return decide(await store.hit(key, rule.windowMs, now), rule, now);
}

/** Changes per person and service: the counter key is this prefix, the service's slug and the person's id. */
export const MUTATION_KEY_PREFIX = 'mutation:';

export function mutationRule(): RateLimitRule {
  return { limit: config.rateLimit.mutationsPerMinute, windowMs: 60_000 };
}

/** Reads per person and service: the counter key is this prefix, the service's slug and the person's id. */
export const READ_KEY_PREFIX = 'read:';

export function readRule(): RateLimitRule {
  return { limit: config.rateLimit.readsPerMinute, windowMs: 60_000 };
}

/** What a request is counted as, and against which limit. */
export type RequestKind = 'change' | 'read';

export const ruleFor = (kind: RequestKind) => (kind === 'change' ? mutationRule() : readRule());
/**
 * The counter key's prefix for a kind of request in a service: each service has its own budget, so a
 * bulk clean-up in staging does not lock a person out of production. Without a service (a slug that
 * names none) the request counts against the person's own key, still limited.
 */
export const keyPrefixFor = (kind: RequestKind, service?: string) =>
  `${kind === 'change' ? MUTATION_KEY_PREFIX : READ_KEY_PREFIX}${service ? `${service}:` : ''}`;

const globalKey = Symbol.for('token-desk.rate-limit-store');
type GlobalWithStore = typeof globalThis & { [globalKey]?: Promise<RateLimitStore> };

/** The process-wide store: Redis when REDIS_URL is set, else the app database. */
export function getRateLimitStore(): Promise<RateLimitStore> {
  const store = globalThis as GlobalWithStore;
  store[globalKey] ??= openStore().catch((error: unknown) => {
    delete store[globalKey];
    throw error;
  });
  return store[globalKey];
}

/** How long a change waits for its Redis counter before it is let through uncounted. */
const REDIS_COMMAND_TIMEOUT_MS = 500;

async function openStore(): Promise<RateLimitStore> {
  const url = config.rateLimit.redisUrl;
  if (!url) return databaseStore(await getDb());
  const { Redis } = await import('ioredis');
  // Fail fast rather than queue while disconnected: a change must not wait because Redis is away.
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    enableOfflineQueue: false,
  });
  redis.on('error', (error: Error) => logEvent('error', 'redis connection failed', { error: error.message }));
  return redisStore(redis);
}

/**
 * Counts one change (or read) by this person in this service against MUTATION_RATE_LIMIT_PER_MINUTE (or
 * READ_RATE_LIMIT_PER_MINUTE), across every instance.
 * When the counter store itself fails the change is let through (and logged): revoking a leaked
 * token during an incident matters more than the limit.
 */
export async function consumeMutation(
  actorId: string,
  requestId: string,
  kind: RequestKind = 'change',
  service?: string,
): Promise<RateLimitDecision> {
  const rule = ruleFor(kind);
  try {
    return await consume(await getRateLimitStore(), `${keyPrefixFor(kind, service)}${actorId}`, rule);
  } catch (error) {
    logEvent('error', 'rate-limit store unavailable; request let through', { requestId, error: describeError(error) });
    return { allowed: true, limit: rule.limit, remaining: rule.limit, retryAfterSeconds: 0 };
  }
}
