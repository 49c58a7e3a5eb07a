#!/usr/bin/env bash
# Runs the meeting browser specs N times in a row (default 20) while stress-ng keeps both
# cores busy, and prints the pass rate. This is how the meeting tests are shown not to
# flake on a loaded CI machine; it is not part of `make test`.
# Usage: scripts/stress-meetings.sh [N] [spec ...]   (needs `make app server-debug`)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20}"
shift || true
specs=("$@")
[ ${#specs[@]} -gt 0 ] || specs=(tests/meetings.spec.ts)

if ! command -v stress-ng >/dev/null; then
  echo "==> installing stress-ng"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q stress-ng
fi

stress-ng --cpu 2 --quiet &
stress_pid=$!
trap 'kill $stress_pid 2>/dev/null || true; wait $stress_pid 2>/dev/null || true' EXIT

log="target/stress-meetings.log"
mkdir -p target
set +e
scripts/e2e.sh "${specs[@]}" --repeat-each "$runs" --reporter line 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
passed=$(grep -Eo '[0-9]+ passed' "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
failed=$(grep -Eo '[0-9]+ failed' "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
flaky=$(grep -Eo '[0-9]+ flaky' "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
echo "stress-meetings: ${runs} runs of ${specs[*]} under stress-ng --cpu 2:" \
  "${passed} passed, ${failed} failed, ${flaky} flaky"
exit "$status"
