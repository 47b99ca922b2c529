import 'server-only';
import pMap from 'p-map';
import { AuthleteError } from '@/server/authlete/errors';

/**
 * The one place job steps meet Authlete's limits: bounded concurrency (p-map) and 429 handling. A
 * step that is rate-limited stops and is run again after `Retry-After` (the queue waits, not a
 * thread), instead of each step inventing its own pool and backoff.
 */

/** Authlete calls one step makes at a time. */
const UPSTREAM_CONCURRENCY = 4;
/** Wait after a 429 that did not say how long. */
const DEFAULT_RETRY_AFTER_MS = 5_000;

/** Authlete said to slow down: the step ends and runs again after `afterMs`. */
export class RetryLaterError extends Error {
  override name = 'RetryLaterError';
  constructor(readonly afterMs: number) {
    super(`Authlete is rate-limiting Token Desk; the job continues in ${Math.ceil(afterMs / 1000)} s.`);
  }
}

export function isRateLimited(error: unknown): error is AuthleteError {
  return error instanceof AuthleteError && error.code === 'rate_limited';
}

/** `fn` over `items`, at most `concurrency` at a time; a 429 from any of them stops the rest and becomes a RetryLaterError. */
export async function mapUpstream<T, R>(
  items: Iterable<T>,
  fn: (item: T) => Promise<R>,
  { concurrency = UPSTREAM_CONCURRENCY }: { concurrency?: number } = {},
): Promise<R[]> {
  try {
    return await pMap(items, fn, { concurrency });
  } catch (error) {
    if (isRateLimited(error)) {
      throw new RetryLaterError((error.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_MS / 1000) * 1000);
    }
    throw error;
  }
}
