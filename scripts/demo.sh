#!/usr/bin/env bash
# `npm run demo`: install, build, then run the emulator with demo data and the dashboard.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
npx next build
exec node --import tsx scripts/demo.ts
