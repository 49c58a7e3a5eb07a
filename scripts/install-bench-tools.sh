#!/usr/bin/env bash
# Installs the fan-out peer and its harness (tools/fanout-peer: socket.io, socket.io-client,
# ws, better-sqlite3) from the npm registry with the machine's Node.js, pinned by its
# package-lock.json. Quiet when nothing is missing.
set -euo pipefail
cd "$(dirname "$0")/../tools/fanout-peer"

# The stamp is the lock file the modules were installed from: a changed lock reinstalls.
stamp=node_modules/.package-lock.json.installed
if [ -d node_modules ] && cmp -s package-lock.json "$stamp"; then
  exit 0
fi
echo "==> installing the fan-out peer (tools/fanout-peer)"
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json "$stamp"
