import { sql } from 'drizzle-orm';
import { NextResponse } from 'next/server';
import { getAuthleteClient } from '@/server/authlete';
import { config } from '@/server/config';
import { getDatabaseHandle } from '@/server/db';
import { withRequestId } from '@/server/http/request-id';

export const dynamic = 'force-dynamic';

interface Check {
  ok: boolean;
  latencyMs: number;
  error?: string;
}

async function timed(run: () => Promise<unknown>): Promise<Check> {
  const started = performance.now();
  try {
    await run();
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    // Only the error's class of failure, never its text: it could carry a connection string.
    const code = (error as { code?: unknown }).code;
    return {
      ok: false,
      latencyMs: Math.round(performance.now() - started),
      error: typeof code === 'string' ? code : 'unreachable',
    };
  }
}

/**
 * Liveness and readiness for load balancers and the deploy guide: is the app database answering,
 * and does Authlete accept our credential? Unauthenticated, so it reveals no configuration.
 */
export const GET = withRequestId(async () => {
  const [database, authlete] = await Promise.all([
    timed(async () => (await getDatabaseHandle()).db.execute(sql`select 1`)),
    timed(() => getAuthleteClient().listSupportedScopes()),
  ]);
  const ok = database.ok && authlete.ok;
  return NextResponse.json(
    { status: ok ? 'ok' : 'degraded', demo: config.demo, checks: { database, authlete } },
    { status: ok ? 200 : 503, headers: { 'cache-control': 'no-store' } },
  );
});
