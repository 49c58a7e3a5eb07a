#!/usr/bin/env bash
# The fan-out benchmark on several server nodes sharing one Postgres: starts a throwaway
# cluster (scripts/postgres/start.sh: a temporary directory, Unix socket only), runs
# `tandem-bench fanout --nodes N` against it, and always removes the cluster.
# Usage: scripts/bench-nodes.sh [NODES] [more tandem-bench fanout flags]
set -euo pipefail
cd "$(dirname "$0")/.."

nodes=${1:-2}
shift || true
dir=$(mktemp -d "${TMPDIR:-/tmp}/tandem-bench-pg.XXXXXX")
trap 'scripts/postgres/stop.sh "$dir"' EXIT
url=$(scripts/postgres/start.sh "$dir")
# The database the nodes share (the cluster's maintenance database stays unused).
psql "$url" -q -c "CREATE DATABASE tandem_bench" >/dev/null
bench_url=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/tandem_bench")))' "$url")
ulimit -n 16384
./target/release/tandem-bench fanout --nodes "$nodes" --database-url "$bench_url" "$@"
