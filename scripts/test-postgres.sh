#!/usr/bin/env bash
# Runs the server's integration tests against Postgres: starts a throwaway cluster
# (scripts/postgres/start.sh: a temporary directory, Unix socket only), gives each test
# server a fresh database of its own on it (TANDEM_TEST_DATABASE_URL, read by
# server/tests/integration/common/database.rs), and always stops and removes the
# cluster at the end, whatever the outcome. Exits with the tests' status.
#
# Extra arguments go to the test binary (a filter, --nocapture, …).
set -euo pipefail
cd "$(dirname "$0")/.."

dir=$(mktemp -d "${TMPDIR:-/tmp}/tandem-pg.XXXXXX")
trap 'scripts/postgres/stop.sh "$dir"' EXIT

url=$(scripts/postgres/start.sh "$dir")
echo "==> Postgres at $url"
export TANDEM_TEST_DATABASE_URL=$url
# Where the cluster keeps its files: the at-rest tests search them (common/at_rest.rs).
export TANDEM_TEST_POSTGRES_DATA=$dir/data

status=0
cargo test -p tandem-server --test integration -- "$@" || status=$?
exit "$status"
