import createNextIntlPlugin from 'next-intl/plugin';

const production = process.env.NODE_ENV === 'production';

/** Headers that never vary per request; the pages' per-request CSP (with its nonce) is set in proxy.ts. */
const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
  ...(production ? [{ key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' }] : []),
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Node hosts run the self-contained server in .next/standalone.
  output: 'standalone',
  poweredByHeader: false,
  reactStrictMode: true,
  // PGlite ships WebAssembly and data files that must be loaded from node_modules, not bundled.
  serverExternalPackages: ['@electric-sql/pglite', 'pg', 'undici'],
  async headers() {
    return [
      { source: '/:path*', headers: securityHeaders },
      // API answers are JSON, never documents: nothing may load or frame them. Pages get a
      // per-request nonce policy from proxy.ts instead.
      {
        source: '/api/:path*',
        headers: [{ key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" }],
      },
    ];
  },
};

// Locale per request without i18n routing: the saved choice, else Accept-Language (server/i18n/request.ts).
// The catalogues' ICU messages are compiled at build time, so browsers get the small formatter
// without the ICU parser (first-load JavaScript budget, `npm run bench -- first-load`).
const withNextIntl = createNextIntlPlugin({
  requestConfig: './server/i18n/request.ts',
  experimental: { messages: { path: './messages', format: 'json', locales: 'infer', precompile: true } },
});

export default withNextIntl(nextConfig);
