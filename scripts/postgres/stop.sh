#!/usr/bin/env bash
# Stops the cluster scripts/postgres/start.sh made in DIR and removes DIR. Does nothing
# (successfully) when DIR holds no cluster, so it is safe in an exit trap.
set -euo pipefail

dir=${1:?usage: $0 DIR}
[ -d "$dir" ] || exit 0

bin=${PG_BIN:-}
if [ -z "$bin" ]; then
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$bin" ] || bin=$(dirname "$(command -v pg_ctl)")
fi

if [ -f "$dir/data/postmaster.pid" ]; then
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true
  else
    "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true
  fi
fi
rm -rf "$dir"
