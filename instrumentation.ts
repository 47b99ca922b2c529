import type { Instrumentation } from 'next';

/** Next.js calls `register` once per server start, before the first request. */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { startServer } = await import('./server/startup');
    await startServer();
  }
}

/**
 * A page that fails to render gets one structured log line carrying Next's digest (the "Error ID" that
 * app/error.tsx shows) and the proxy's request id. API errors are logged by the route wrapper instead.
 * The path is logged without its query string, which may name a user.
 */
export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  const { errorDigest } = await import('./lib/error-digest');
  const { describeError, logEvent } = await import('./server/core/log');
  const requestId = request.headers['x-request-id'];
  logEvent('error', 'render failed', {
    requestId: Array.isArray(requestId) ? requestId[0] : requestId,
    digest: errorDigest(error),
    method: request.method,
    path: request.path.split('?')[0],
    routePath: context.routePath,
    routeType: context.routeType,
    error: describeError(error),
  });
};
