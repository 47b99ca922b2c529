#!/usr/bin/env bash
# `npm test`: every check CI runs, in order of cost.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --browser

step() { printf '\n━━ %s\n' "$1"; }
step "lint";        npx eslint . --max-warnings 0
step "type-check";  npx tsc --noEmit
step "unit + integration (vitest)"; npx vitest run
step "build";       npx next build
step "end-to-end (playwright, chromium)"; npx playwright test
