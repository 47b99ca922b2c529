import { createHash, timingSafeEqual } from 'node:crypto';
import { NextResponse } from 'next/server';
import { config } from '@/server/config';
import { logEvent } from '@/server/core/log';
import { withRequestId } from '@/server/core/request-id';
import { deliverDueWebhooks, runDueJobSteps, takeDueSnapshots } from '@/server/jobs';
import { advanceAuditSinks } from '@/server/jobs/audit-sinks';

export const dynamic = 'force-dynamic';
/** Vercel's limit for this function (seconds); the pass stops starting steps well before it. */
export const maxDuration = 60;
const BUDGET_MS = 45_000;

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Whether the request carries `Authorization: Bearer <CRON_SECRET>` (compared in constant time). */
function fromCron(request: Request): boolean {
  if (!config.cronSecret) return false;
  const given = request.headers.get('authorization') ?? '';
  return timingSafeEqual(digest(given), digest(`Bearer ${config.cronSecret}`));
}

/**
 * Advances due job steps, webhook deliveries, the audit sinks and the day's overview snapshot where
 * no worker process lives (Vercel: see vercel.json, every minute). On a Node host the workers in
 * the server process do this; calling it there as well is harmless: pg-boss hands each step to one
 * taker, a delivery is claimed by one sender, and each sink's lease lets one runner send it.
 */
export const GET = withRequestId(async (request) => {
  if (!fromCron(request)) {
    return NextResponse.json(
      { error: { code: 'unauthenticated', message: 'This route is for the scheduler (CRON_SECRET bearer).' } },
      { status: 401, headers: { 'cache-control': 'no-store' } },
    );
  }
  // Side by side: a slow receiver or sink does not hold up a revocation.
  const [{ steps }, { attempts }, sinks] = await Promise.all([
    runDueJobSteps(BUDGET_MS),
    deliverDueWebhooks(BUDGET_MS),
    advanceAuditSinks(Date.now() + BUDGET_MS),
    // The overview's daily counts: a no-op but for the first pass of a day.
    takeDueSnapshots(),
  ]);
  logEvent('info', 'job cron pass', {
    steps,
    webhookAttempts: attempts,
    sinks,
    requestId: request.headers.get('x-request-id'),
  });
  return NextResponse.json({ steps, webhookAttempts: attempts, sinks }, { headers: { 'cache-control': 'no-store' } });
});
