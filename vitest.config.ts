import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = import.meta.dirname;

export default defineConfig({
  resolve: {
    alias: {
      '@': root,
      // `server-only` throws outside Next's server bundles; tests run server code directly.
      'server-only': path.join(root, 'server/testing/server-only-stub.ts'),
    },
  },
  test: {
    include: ['{app,components,lib,server}/**/*.test.{ts,tsx}'],
    environment: 'node',
    // Names the run and drops its scratch PostgreSQL databases afterwards (TEST_DATABASE_URL).
    // The second checks every emulator request and answer against Authlete's OpenAPI at the end.
    globalSetup: ['server/db/test-global-setup.ts', 'server/testing/conformance-global-setup.ts'],
    pool: 'forks',
    // Access lines of every API call would drown the test output; warnings and errors still show,
    // and only for the tests that fail (many tests provoke upstream errors on purpose).
    env: { LOG_LEVEL: 'warn' },
    silent: 'passed-only',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
