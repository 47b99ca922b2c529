/** @type {import('next').NextConfig} */
const nextConfig = {
  // Node hosts run the self-contained server in .next/standalone.
  output: 'standalone',
  poweredByHeader: false,
  reactStrictMode: true,
  // PGlite ships WebAssembly and data files that must be loaded from node_modules, not bundled.
  serverExternalPackages: ['@electric-sql/pglite', 'pg'],
  typedRoutes: false,
};

export default nextConfig;
