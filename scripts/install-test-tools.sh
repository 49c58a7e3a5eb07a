#!/usr/bin/env bash
# Installs what the test suites need, skipping whatever is already there: Postgres (the
# server's tests also run on a throwaway cluster, scripts/postgres/; the service Debian
# may start is stopped), Debian's Chromium and ChromeDriver, iproute2 for the
# loopback-only namespace, Debian's Janus (the SFU; its service is never left running:
# scripts/janus/install.sh), and the Playwright test runner (which never downloads a
# browser of its own here).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
# Postgres for the server's second test run (scripts/test-postgres.sh): Debian keeps
# initdb off PATH, under /usr/lib/postgresql/<version>/bin.
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v initdb >/dev/null \
  || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
command -v ip >/dev/null || missing+=(iproute2)
command -v unshare >/dev/null || missing+=(util-linux)
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q "${missing[@]}"
  if [[ " ${missing[*]} " == *" postgresql "* ]] && command -v service >/dev/null; then
    service postgresql stop >/dev/null 2>&1 || true
  fi
fi

# Janus runs only inside the suite's network namespace, which needs root: without root
# scripts/e2e.sh runs without the SFU and says so. With root, failing to install fails.
if [ "$(id -u)" = 0 ]; then
  scripts/janus/install.sh
fi
# Synthetic SFU participants and the capacity bench (aiortc in .tools/venv-sfu).
scripts/install-sfu-load-tools.sh

if [ ! -x end2end/node_modules/.bin/playwright ]; then
  echo "==> installing the Playwright test runner"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi
