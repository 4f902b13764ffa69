#!/usr/bin/env bash
# Keep a command running: when it exits, for whatever reason, say so and start
# it again. `make run` runs the embedded scheduler under this, so a scheduler
# that dies is restarted instead of leaving reminders and packets unprocessed.
# TERM or INT stops the command and this loop together.
set -uo pipefail
delay=${SUPERVISE_DELAY:-5}
child=

stop() {
  [[ -n $child ]] && kill "$child" 2>/dev/null && wait "$child" 2>/dev/null
  exit 0
}
trap stop TERM INT

while :; do
  "$@" &
  child=$!
  wait "$child"
  status=$?
  child=
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) supervise: '$*' exited with status $status;" \
    "restarting in ${delay}s." >&2
  sleep "$delay" &
  wait $!
done
