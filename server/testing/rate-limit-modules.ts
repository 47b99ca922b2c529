/**
 * The modules the rate-limit tests drive, imported only once a test file has set the environment:
 * config is read when first imported, so REDIS_URL and the limit must be in place before.
 */
export async function importRateLimitModules() {
  return {
    auth: await import('@/server/auth'),
    db: await import('@/server/db'),
    rateLimit: await import('@/server/rate-limit'),
    route: await import('@/server/http/route'),
    audit: await import('@/server/audit'),
    session: await import('./session'),
  };
}

export type RateLimitModules = Awaited<ReturnType<typeof importRateLimitModules>>;
