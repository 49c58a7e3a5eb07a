#!/usr/bin/env bash
# Runs the Playwright suite inside a network namespace that has only loopback, so the
# tests cannot reach any outside address and WebRTC gathers loopback ICE candidates.
# The servers under test are started by Playwright (end2end/playwright.config.ts).
#
# In the namespace it also starts two Janus nodes (the SFU, issue #13) with their
# configuration under target/e2e/janus/<index>: Janus never gathers ICE candidates on a
# loopback interface, so the namespace gets a bridge device jlo0 holding 127.0.0.2/32 and
# Janus gathers only there (Chromium gathers there too). The nodes are stopped when the
# run ends, whatever the outcome.
#
# TANDEM_E2E_SFU=1 makes Playwright also start the "sfu" server (pointed at both nodes,
# --mesh-max 2); it needs the nodes, so it is only passed on when they started.
# SFU_DEFAULT is what applies when TANDEM_E2E_SFU is not set.
set -euo pipefail
SFU_DEFAULT=1

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/end2end"
want_sfu=${TANDEM_E2E_SFU:-$SFU_DEFAULT}

if [ "${TANDEM_E2E_IN_NETNS:-}" != 1 ]; then
  if [ "$(id -u)" = 0 ] && unshare --net true 2>/dev/null; then
    TANDEM_E2E_IN_NETNS=1 exec unshare --net "$root/scripts/e2e.sh" "$@"
  fi
  echo "warning: cannot create a network namespace (needs root); running on the host's loopback" >&2
  echo "warning: no SFU (Janus) without the namespace: meetings past the mesh are not tested" >&2
  [ "$want_sfu" = 1 ] && echo "warning: TANDEM_E2E_SFU=1 ignored" >&2
  export TANDEM_E2E_SFU=0
  exec npx playwright test "$@"
fi

# From here on: inside the namespace, as root.
ip link set lo up
if command -v janus >/dev/null; then
  ip link add jlo0 type bridge
  ip addr add 127.0.0.2/32 dev jlo0
  ip link set jlo0 up
  janus_dirs=()
  for index in 0 1; do
    janus_dirs+=("$root/target/e2e/janus/$index")
    rm -rf "${janus_dirs[$index]}"
    "$root/scripts/janus/write-config.sh" "${janus_dirs[$index]}" "$index" \
      e2e-janus-token-secret e2e-janus-admin-key jlo0 >/dev/null
  done
  trap '"$root/scripts/janus/stop.sh" "${janus_dirs[@]}"' EXIT
  "$root/scripts/janus/start.sh" "${janus_dirs[@]}"
  echo "==> Janus nodes 0 and 1 up (HTTP API 127.0.0.1:8088, :8089; ICE on jlo0 127.0.0.2)"
  export TANDEM_E2E_SFU=$want_sfu
else
  if [ "$want_sfu" = 1 ]; then
    echo "error: TANDEM_E2E_SFU=1 but janus is not installed (make test-tools installs it)" >&2
    exit 1
  fi
  echo "warning: janus is not installed: no SFU nodes (make test-tools installs it)" >&2
  export TANDEM_E2E_SFU=0
fi
npx playwright test "$@"
