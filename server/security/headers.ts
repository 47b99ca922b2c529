/**
 * The per-request Content-Security-Policy. A pure function (no `server-only`) so that proxy.ts can
 * use it and tests can check it without a server. Headers that never vary are in next.config.mjs.
 */

export interface CspOptions {
  nonce: string;
  /** Development needs 'unsafe-eval' for React's error overlays; production never gets it. */
  development: boolean;
  /** Only an https deployment asks the browser to upgrade sub-requests. */
  https: boolean;
}

/** A strict, nonce-based policy: scripts run only if Next.js stamped them with this request's nonce. */
export function contentSecurityPolicy({ nonce, development, https }: CspOptions): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ''}`,
    // Inline style attributes (progress bars, widths) are harmless and React emits them.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ];
  return directives.join('; ');
}
