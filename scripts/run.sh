#!/usr/bin/env bash
# `make run`'s last step: starts tandem-server (the command line given) and, where it
# can, a local Janus node (the SFU that carries meetings past the peer-to-peer mesh).
#
#   scripts/run.sh SERVER [SERVER ARGS ...]     (reads --data-dir from the args; ./data)
#
# With the SFU: on Linux, Janus is installed if missing (root and apt-get;
# scripts/janus/install.sh); its configuration lives in DATA_DIR/janus with a token secret
# and a VideoRoom admin key generated once and kept in DATA_DIR/janus/secrets (0600); one
# node runs in the background on 127.0.0.1 (HTTP API 8088, WebSocket 8188; ICE on the
# machine's non-loopback interfaces) and the server gets it through TANDEM_JANUS_*
# (environment, so the secrets do not show in `ps`). Janus is stopped when the server exits.
# Without it (SFU=off, not Linux, no janus and no way to install it, Janus failing to
# start, a server without SFU support, or TANDEM_JANUS_API already pointing at a Janus of
# your own) the server runs exactly as given and says why in one line.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 1 ] || { echo "usage: $0 SERVER [ARGS ...]" >&2; exit 2; }

data_dir=./data
args=("$@")
for ((i = 1; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --data-dir) data_dir=${args[$((i + 1))]:-$data_dir} ;;
    --data-dir=*) data_dir=${args[$i]#--data-dir=} ;;
  esac
done
jdir=$data_dir/janus

no_sfu() { echo "Tandem: no SFU ($1): meetings stay peer-to-peer (up to 8 people)"; }

janus_up=
start_sfu() {
  if [ "${SFU:-on}" = off ]; then no_sfu "SFU=off"; return; fi
  if [ -n "${TANDEM_JANUS_API:-}" ]; then
    echo "Tandem: SFU at $TANDEM_JANUS_API (TANDEM_JANUS_API)"; return
  fi
  if [ "$(uname -s)" != Linux ]; then no_sfu "the bundled Janus set-up is Linux-only"; return; fi
  if ! "$1" --help 2>/dev/null | grep -q -- '--janus-api'; then
    no_sfu "this tandem-server has no --janus-api"; return
  fi
  if ! command -v janus >/dev/null; then
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
      no_sfu "janus is not installed, and installing it needs root and apt-get"; return
    fi
    if ! "$here/janus/install.sh"; then no_sfu "installing janus failed"; return; fi
  fi

  local old_umask secrets token_secret admin_key
  old_umask=$(umask)
  umask 077
  mkdir -p "$jdir"
  secrets=$jdir/secrets
  if [ ! -s "$secrets" ]; then
    {
      echo "token_secret=$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n')"
      echo "admin_key=$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n')"
    } >"$secrets"
  fi
  chmod 600 "$secrets"
  token_secret=$(sed -n 's/^token_secret=//p' "$secrets")
  admin_key=$(sed -n 's/^admin_key=//p' "$secrets")
  # No interface given: Janus gathers candidates on every non-loopback interface.
  "$here/janus/write-config.sh" "$jdir" 0 "$token_secret" "$admin_key" >/dev/null
  # A node left over from a run that was killed outright (its PID file says so).
  "$here/janus/stop.sh" "$jdir"
  if ! "$here/janus/start.sh" "$jdir" 2>"$jdir/start-error"; then
    umask "$old_umask"
    no_sfu "Janus did not start: $(head -n1 "$jdir/start-error"); log in $jdir/log"
    return
  fi
  umask "$old_umask"
  rm -f "$jdir/start-error"
  janus_up=1
  export TANDEM_JANUS_API="http://127.0.0.1:$(( ${JANUS_HTTP_BASE:-8088} ))/janus"
  export TANDEM_JANUS_WS="ws://127.0.0.1:$(( ${JANUS_WS_BASE:-8188} ))"
  export TANDEM_JANUS_TOKEN_SECRET=$token_secret
  export TANDEM_JANUS_ADMIN_KEY=$admin_key
  echo "Tandem: SFU (Janus) on $TANDEM_JANUS_WS, log in $jdir/log"
}

cleanup() { if [ -n "$janus_up" ]; then "$here/janus/stop.sh" "$jdir"; fi; }
trap cleanup EXIT
start_sfu "$1"

# The server runs in the background so that a SIGTERM to this script reaches it (and
# Janus is stopped after it); Ctrl-C reaches it as SIGTERM too.
"$@" &
server=$!
trap 'kill -TERM "$server" 2>/dev/null || true' INT TERM
status=0
while :; do
  wait "$server" && status=0 || status=$?
  kill -0 "$server" 2>/dev/null || break
done
exit "$status"
