#!/usr/bin/env bash
# Installs Debian's Janus (the SFU that carries meetings past the peer-to-peer mesh) when
# `janus` is missing; quiet when it is there. Needs root and apt-get. The package would
# start its own system service: this script keeps it from starting (a policy-rc.d for the
# duration of the install) and stops any Janus daemon the install started anyway, so
# only the instances Tandem's scripts start (scripts/janus/start.sh) ever run.
set -euo pipefail

command -v janus >/dev/null && exit 0

if [ "$(uname -s)" != Linux ] || ! command -v apt-get >/dev/null; then
  echo "error: the SFU (Janus) cannot be installed here: this needs Debian's apt-get" \
    "(install the janus package yourself)" >&2
  exit 1
fi
if [ "$(id -u)" != 0 ]; then
  echo "error: the SFU (Janus) cannot be installed: installing the janus package needs root" >&2
  exit 1
fi

# Janus processes running from the package's own configuration (/etc/janus): those with
# no -F/--configs-folder. Tandem's nodes, and anyone else's, always name a config folder.
packaged_janus_pids() {
  local d
  for d in /proc/[0-9]*; do
    [ "$(cat "$d/comm" 2>/dev/null)" = janus ] || continue
    tr '\0' '\n' <"$d/cmdline" 2>/dev/null | grep -Eq -- '^(-F|--configs-folder)' && continue
    echo "${d#/proc/}"
  done
  return 0
}
# One running before the install is someone's system service: left alone.
before=" $(packaged_janus_pids | tr '\n' ' ') "

# invoke-rc.d asks /usr/sbin/policy-rc.d whether a package may start its service; 101
# means no. Docker images usually ship one; add it for the install only if missing.
policy=/usr/sbin/policy-rc.d
added_policy=
cleanup() { if [ -n "$added_policy" ]; then rm -f "$policy"; fi; }
trap cleanup EXIT
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# added by Tandem scripts/janus/install.sh for one install\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  added_policy=1
fi

echo "==> installing janus (the SFU for meetings past the peer-to-peer mesh)"
start=$(date +%s)
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends janus

# Should the package's daemon have started anyway (no policy honoured, systemd present):
# stop exactly that daemon (the unit, or a Janus on /etc/janus that appeared during the
# install; never a Janus with a config folder of its own) and keep it from starting at
# boot. Tandem runs its own nodes.
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
  systemctl disable --now janus.service >/dev/null 2>&1 || true
fi
for pid in $(packaged_janus_pids); do
  case "$before" in *" $pid "*) continue ;; esac
  echo "==> stopping the janus daemon the package started (pid $pid)"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
done
command -v update-rc.d >/dev/null && update-rc.d janus disable >/dev/null 2>&1 || true
echo "==> janus $(janus --version 2>/dev/null | sed -n '1s/.*(\(.*\)).*/\1/p')" \
  "installed in $(( $(date +%s) - start )) s"
