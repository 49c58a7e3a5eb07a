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
# The cluster is the benchmark's alone: the nodes share its default database.
url=$(scripts/postgres/start.sh "$dir")
ulimit -n 16384
./target/release/tandem-bench fanout --nodes "$nodes" --database-url "$url" "$@"
