#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the tests (unix socket only, no TCP) and print the URL
# to export as UDVIKLINGSDAG_TEST_PG. Used by .ci/run; developers can run it too.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ]; then
  echo "PostgreSQL er ikke installeret (apt-get install postgresql)" >&2
  exit 1
fi
dir=${UDV_PG_DIR:-/tmp/udviklingsdag-pg}
sock="$dir/sock"
as_pg() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}
mkdir -p "$dir" "$sock"
[ "$(id -u)" = 0 ] && chown -R postgres "$dir"
if [ ! -f "$dir/data/PG_VERSION" ]; then
  as_pg "$bin/initdb -D $dir/data -A trust -U postgres --no-sync -E UTF8 --locale=C.UTF-8" >/dev/null
fi
if ! as_pg "$bin/pg_ctl -D $dir/data status" >/dev/null 2>&1; then
  as_pg "$bin/pg_ctl -D $dir/data -l $dir/server.log -w -o \"-k $sock -c listen_addresses='' -c fsync=off -c max_connections=200\" start" >/dev/null
fi
echo "postgresql://postgres@/postgres?host=$sock"
