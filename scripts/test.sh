#!/usr/bin/env bash
# `npm test`: every check CI runs, in order of cost.
set -euo pipefail
cd "$(dirname "$0")/.."
# Database-backed tests run on embedded PGlite and again on a real PostgreSQL server: the one at
# TEST_DATABASE_URL/DATABASE_URL, else a throw-away local one that with-postgres.sh stops afterwards.
if [ -z "${TEST_DATABASE_URL:-}" ]; then exec bash scripts/with-postgres.sh bash scripts/test.sh "$@"; fi
bash scripts/ensure-deps.sh --browser

step() { printf '\n━━ %s\n' "$1"; }
step "lint";        npx eslint . --max-warnings 0
step "format";      npx prettier --check . --log-level warn
step "unused files, exports and dependencies (knip)"; npx knip
step "type-check";  npx tsc --noEmit
# DATABASE_URL must not redirect the tests' own databases (every test file gets a fresh one).
step "unit + integration (vitest, embedded PGlite)"
env -u DATABASE_URL -u TEST_DATABASE_URL npx vitest run --exclude server/db/postgres.test.ts
step "database-backed tests on PostgreSQL (vitest, TEST_DATABASE_URL)"
env -u DATABASE_URL npx vitest related server/db/index.ts server/db/open.ts --run
# A fresh session secret for the build and the e2e stack: e2e/bundle-secrets.spec.ts proves that
# neither it nor the Authlete bearer is in anything a browser receives.
BETTER_AUTH_SECRET="${BETTER_AUTH_SECRET:-$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64url"))')}"
export BETTER_AUTH_SECRET
step "build";       npx next build
step "end-to-end (playwright, chromium)"; env -u DATABASE_URL npx playwright test
