import { NextResponse } from 'next/server';
import { config } from '@/server/config';
import { readiness } from '@/server/health';
import { withRequestId } from '@/server/core/request-id';

export const dynamic = 'force-dynamic';

/**
 * Readiness for load balancers and the deploy guide (also at /api/health/ready): is the app
 * database answering, and does each service's Authlete accept its credential (checked at most every
 * 10 s per instance and service)? Unauthenticated, so it reveals no configuration. Liveness is /api/health/live.
 */
export const GET = withRequestId(async () => {
  const { ok, checks } = await readiness();
  return NextResponse.json(
    // Degraded, still ready, while some services answer (each is named in `checks.services`).
    { status: ok && checks.authlete.ok ? 'ok' : 'degraded', demo: config.demo, checks },
    { status: ok ? 200 : 503, headers: { 'cache-control': 'no-store' } },
  );
});
