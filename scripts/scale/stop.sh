#!/usr/bin/env bash
# Stops what scripts/scale/start.sh started (nginx, the instances, PostgreSQL) and removes its directory.
#
#   GATEHOUSE_SCALE_DIR=/tmp/gatehouse-scale.XXXX scripts/scale/stop.sh   (or: scripts/scale/stop.sh DIR)
#
# Set GATEHOUSE_SCALE_KEEP=1 to keep the directory (logs) after stopping.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
log() { echo "scale/stop.sh: $*" >&2; }

dir="${1:-${GATEHOUSE_SCALE_DIR:-}}"
[ -n "$dir" ] || { echo "scale/stop.sh: ERROR: set GATEHOUSE_SCALE_DIR (printed by start.sh) or pass the directory" >&2; exit 1; }
[ -d "$dir" ] || { log "$dir does not exist; nothing to do"; exit 0; }
dir="$(cd "$dir" && pwd)"

# SIGTERM (nginx and serve stop cleanly on it), then SIGKILL after 10 s.
stop_pid() {
    local pid="$1" name="$2"
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || { log "stopped $name"; return 0; }; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    log "killed $name"
}

[ -s "$dir/nginx/nginx.pid" ] && stop_pid "$(cat "$dir/nginx/nginx.pid")" nginx
for file in "$dir"/serve-*.pid; do
    [ -e "$file" ] || continue
    stop_pid "$(cat "$file")" "$(basename "$file" .pid)"
done
# Only the cluster start.sh made inside this directory, never another one named by the environment.
if [ -s "$dir/pg.data" ] && [ "$(cat "$dir/pg.data")" = "$(cd "$dir" && pwd)/pg" ]; then
    GATEHOUSE_PG_DATA="$dir/pg" GATEHOUSE_PG_KEEP=1 bash "$root/scripts/pg/stop.sh" >&2 || true
fi
if [ "${GATEHOUSE_SCALE_KEEP:-0}" = 1 ]; then
    log "GATEHOUSE_SCALE_KEEP=1: leaving $dir in place"
    exit 0
fi
rm -rf -- "$dir"
log "removed $dir"
