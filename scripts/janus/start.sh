#!/usr/bin/env bash
# Starts one Janus node in the background from a configuration directory written by
# write-config.sh, waits until its HTTP API answers an `info` request, and writes the
# node's PID to DIR/janus.pid (stop it with stop.sh DIR). Janus logs to DIR/log.
#
#   start.sh DIR [DIR ...]     (one node per directory; several nodes at once)
#
# JANUS_START_TIMEOUT (seconds, default 30) bounds the wait; past it, or if Janus exits,
# the script prints the end of the node's log, stops what it started and fails.
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: $0 CONFIG_DIR [CONFIG_DIR ...]" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
timeout_s=${JANUS_START_TIMEOUT:-30}
if ! command -v janus >/dev/null; then
  echo "error: janus is not installed (scripts/janus/install.sh)" >&2
  exit 1
fi

# GET /janus/info on 127.0.0.1:PORT through bash's /dev/tcp (no curl needed); succeeds
# when the answer is Janus's server_info.
answers_info() {
  timeout 2 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf "GET /janus/info HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" >&3
    cat <&3' bash "$1" 2>/dev/null | grep -q '"janus": *"server_info"'
}

started=()
fail() {
  echo "error: $1" >&2
  if [ -f "$2/log" ]; then
    echo "---- last lines of $2/log ----" >&2
    tail -n 30 "$2/log" >&2
    echo "----" >&2
  fi
  [ ${#started[@]} -eq 0 ] || "$here/stop.sh" "${started[@]}" || true
  exit 1
}

for dir in "$@"; do
  [ -f "$dir/janus.jcfg" ] || fail "$dir has no janus.jcfg (write it with write-config.sh)" "$dir"
  dir=$(cd "$dir" && pwd)
  port=$(sed -n 's/^[[:space:]]*port[[:space:]]*=[[:space:]]*\([0-9]*\).*/\1/p' \
    "$dir/janus.transport.http.jcfg" | head -n1)
  [ -n "$port" ] || fail "no HTTP API port in $dir/janus.transport.http.jcfg" "$dir"
  if [ -f "$dir/janus.pid" ] && kill -0 "$(cat "$dir/janus.pid")" 2>/dev/null \
    && [ "$(cat "/proc/$(cat "$dir/janus.pid")/comm" 2>/dev/null)" = janus ]; then
    fail "a Janus node from $dir is already running (pid $(cat "$dir/janus.pid"); stop.sh $dir)" "$dir"
  fi
  if answers_info "$port"; then
    fail "something already answers as Janus on 127.0.0.1:$port" "$dir"
  fi
  : >"$dir/log"
  janus -F "$dir" -o -N -L "$dir/log" </dev/null >>"$dir/log" 2>&1 &
  pid=$!
  echo "$pid" >"$dir/janus.pid"
  started+=("$dir")
  deadline=$(( $(date +%s) + timeout_s ))
  until answers_info "$port"; do
    kill -0 "$pid" 2>/dev/null || fail "Janus ($dir) exited during start-up" "$dir"
    [ "$(date +%s)" -lt "$deadline" ] \
      || fail "Janus ($dir) did not answer on http://127.0.0.1:$port/janus within ${timeout_s} s" "$dir"
    sleep 0.2
  done
done
