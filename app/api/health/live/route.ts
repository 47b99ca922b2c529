import { NextResponse } from 'next/server';
import { withRequestId } from '@/server/core/request-id';

export const dynamic = 'force-dynamic';

/** Liveness: the process answers. No database or Authlete call, so an outage upstream never restarts it. */
export const GET = withRequestId(async () =>
  NextResponse.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } }),
);
