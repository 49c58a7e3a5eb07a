#!/usr/bin/env bash
# Stops the Janus nodes started by start.sh from the given configuration directories, by
# the PID in DIR/janus.pid (SIGTERM, then SIGKILL after 10 s), and removes the PID file.
# A directory whose node is not running is fine.
#
#   stop.sh DIR [DIR ...]
set -uo pipefail
# Alive and not a zombie (an exited node whose parent has not reaped it yet).
alive() { local s; s=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) && [ "${s%% *}" != Z ]; }
for dir in "$@"; do
  pidfile="$dir/janus.pid"
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  # Only a live process that is Janus: a stale file may name a reused PID.
  if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = janus ]; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 100); do alive "$pid" || break; sleep 0.1; done
    if alive "$pid"; then
      echo "warning: Janus ($dir, pid $pid) ignored SIGTERM for 10 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null
    fi
  fi
  rm -f "$pidfile"
done
exit 0
