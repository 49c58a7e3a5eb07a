#!/usr/bin/env bash
# Runs the Playwright suite inside a network namespace that has only loopback, so the
# tests cannot reach any outside address and WebRTC gathers loopback ICE candidates.
# The servers under test are started by Playwright (end2end/playwright.config.ts).
set -euo pipefail
cd "$(dirname "$0")/../end2end"
if [ "$(id -u)" = 0 ] && unshare --net true 2>/dev/null; then
  exec unshare --net bash -c 'ip link set lo up && exec npx playwright test "$@"' bash "$@"
fi
echo "warning: cannot create a network namespace (needs root); running on the host's loopback" >&2
exec npx playwright test "$@"
