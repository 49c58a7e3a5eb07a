#!/usr/bin/env bash
# Starts a throwaway Postgres cluster for the tests and prints its URL on stdout.
#
#   scripts/postgres/start.sh DIR    # DIR: an empty directory, or one to be made
#
# The cluster lives entirely in DIR (data in DIR/data, its Unix socket in DIR) and
# listens on no TCP address at all: clients reach it only through the socket. Access is
# `trust`, which is safe only because of that: the socket sits in DIR, which only the
# cluster's owner (and root) can enter. Run scripts/postgres/stop.sh DIR to stop it and
# remove DIR.
#
# initdb refuses to run as root, so as root the cluster belongs to the `postgres` user
# (Debian's postgresql package makes it); otherwise to whoever runs this.
set -euo pipefail

dir=${1:?usage: $0 DIR}
port=${TANDEM_PG_PORT:-55432}

bin=${PG_BIN:-}
if [ -z "$bin" ]; then
  # Debian installs the server programs off PATH, one directory per major version.
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$bin" ] || bin=$(dirname "$(command -v initdb)")
fi
[ -x "$bin/initdb" ] || { echo "no initdb (looked in $bin); run scripts/install-test-tools.sh" >&2; exit 1; }

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
if [ "$(id -u)" = 0 ]; then
  chown postgres: "$dir"
  as_owner() { runuser -u postgres -- "$@"; }
else
  as_owner() { "$@"; }
fi
chmod 700 "$dir"

# C.UTF-8 where the C library has it: UTF-8 text with code-point order. (The schema
# orders text with COLLATE "C" anyway; this keeps the cluster's own default in step.)
locale=C
locale -a 2>/dev/null | grep -qix 'c.utf-\?8' && locale=C.UTF-8

as_owner "$bin/initdb" -D "$dir/data" --auth=trust --encoding=UTF8 --locale="$locale" \
  --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
# Throwaway data: durability settings off for speed. Every test server opens its own
# pool, so allow more connections than the default 100.
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "-k $dir -p $port \
  -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
  -c max_connections=300" start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }

# The socket directory goes in the `host` parameter (sqlx and libpq both read it).
echo "postgres://postgres@localhost:$port/postgres?host=$dir"
