#!/usr/bin/env bash
# Runs a command with TEST_DATABASE_URL pointing at a PostgreSQL server the tests may create
# databases on. Given TEST_DATABASE_URL (or DATABASE_URL), that server is used as is. Otherwise a
# throw-away cluster of the machine's PostgreSQL (Debian's `postgresql`, installed with apt-get when
# missing and running as root) is started on a free loopback port in a temporary folder and stopped
# again when the command ends, whether it passed or failed.
#   usage: scripts/with-postgres.sh <command> [args...]
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi

if [ -n "${TEST_DATABASE_URL:-}" ] || [ -n "${DATABASE_URL:-}" ]; then
  export TEST_DATABASE_URL="${TEST_DATABASE_URL:-$DATABASE_URL}"
  exec "$@"
fi

find_pg_bin() {
  local dir
  if [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/initdb" ]; then echo "$PG_BIN"; return; fi
  # Newest installed major version first.
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) /usr/local/pgsql/bin /opt/homebrew/bin /usr/local/bin; do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return; fi
  done
}

pg_bin=$(find_pg_bin)
if [ -z "$pg_bin" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "› Installing Debian's postgresql for the database tests…"
    apt-get update -qq
    # Only the binaries are used; the package's own cluster is left alone.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    pg_bin=$(find_pg_bin)
  fi
  if [ -z "$pg_bin" ]; then
    echo "✗ The database tests need PostgreSQL: install it (sudo apt-get install postgresql), set PG_BIN to its bin folder, or set TEST_DATABASE_URL." >&2
    exit 1
  fi
fi

# PostgreSQL refuses to run as root: the cluster then belongs to the `postgres` account.
as_server_user() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cluster=$(mktemp -d "${TMPDIR:-/tmp}/token-desk-pg-XXXXXX")
chmod 0755 "$cluster"
if [ "$(id -u)" = "0" ]; then chown postgres "$cluster"; fi
port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')

stop_cluster() {
  local status=$?
  if [ -f "$cluster/data/postmaster.pid" ]; then
    as_server_user "$pg_bin/pg_ctl" stop -D "$cluster/data" -m fast -w >/dev/null 2>&1 || true
  fi
  rm -rf "$cluster"
  exit "$status"
}
trap stop_cluster EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_server_user "$pg_bin/initdb" -D "$cluster/data" -U desk --auth=trust --no-sync -E UTF8 --locale=C.UTF-8 >"$cluster/initdb.log" 2>&1 \
  || { cat "$cluster/initdb.log" >&2; exit 1; }
# Durability is not needed for a test server; speed is. Loopback only, socket in the temp folder.
as_server_user "$pg_bin/pg_ctl" start -D "$cluster/data" -w -t 60 -l "$cluster/server.log" -o \
  "-h 127.0.0.1 -p $port -k $cluster -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >/dev/null \
  || { cat "$cluster/server.log" >&2; exit 1; }

export TEST_DATABASE_URL="postgres://desk@127.0.0.1:$port/postgres"
echo "› PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') for the tests at 127.0.0.1:$port (temporary, stopped afterwards)"
# Not exec: the trap must stop the server once the command ends.
"$@"
