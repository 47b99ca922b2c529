#!/usr/bin/env bash
# Installs what the run and test commands need on a fresh machine: npm packages (from the lockfile)
# and, for the browser tests, Debian's Chromium. Cheap when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
stamp=node_modules/.token-desk-lock-hash
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "› Installing npm packages (npm ci)…"
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi

if [ "${1:-}" = "--browser" ] && [ -z "${CHROMIUM_PATH:-}" ] && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "› Installing Debian's chromium for the browser tests…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "✗ The browser tests need Chromium at /usr/bin/chromium (or CHROMIUM_PATH). Install it with: sudo apt-get install chromium" >&2
    exit 1
  fi
fi

# Japanese pages (e2e in ja, the README's screenshots) need a CJK font, else Chromium draws boxes.
if [ "${1:-}" = "--browser" ] && ! dpkg -s fonts-noto-cjk >/dev/null 2>&1 && ! fc-list :lang=ja 2>/dev/null | grep -q .; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "› Installing Debian's fonts-noto-cjk for the Japanese pages…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null
  else
    echo "! Japanese text needs a CJK font (sudo apt-get install fonts-noto-cjk); without one it shows as boxes." >&2
  fi
fi

# The rate-limit tests run the Redis store against a real, throw-away redis-server (Debian's).
if [ -z "${TEST_REDIS_URL:-}" ] && ! command -v redis-server >/dev/null; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "› Installing Debian's redis-server for the rate-limit tests…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    echo "✗ The rate-limit tests need redis-server (sudo apt-get install redis-server) or TEST_REDIS_URL." >&2
    exit 1
  fi
fi
