#!/usr/bin/env bash
# Stop and delete a cluster made by scripts/pg/start.sh.
#
#   GATEHOUSE_PG_DATA=/tmp/gatehouse-pg.XXXX/data scripts/pg/stop.sh
#   (or: scripts/pg/stop.sh DATA_DIR)
#
# Runs `pg_ctl -m fast stop` as the data directory's owner, then removes the
# data directory (and the mktemp base directory start.sh made around it).
# Refuses to delete a directory that does not look like a PostgreSQL cluster.
# Set GATEHOUSE_PG_KEEP=1 to stop without deleting.
set -euo pipefail

log() { echo "pg/stop.sh: $*" >&2; }
die() { echo "pg/stop.sh: ERROR: $*" >&2; exit 1; }

data="${1:-${GATEHOUSE_PG_DATA:-}}"
[ -n "$data" ] || die "set GATEHOUSE_PG_DATA (printed by start.sh) or pass the data directory"
if [ ! -d "$data" ]; then
    log "$data does not exist; nothing to do"
    exit 0
fi
data="$(cd "$data" && pwd)"
[ -f "$data/PG_VERSION" ] || die "$data does not look like a PostgreSQL data directory (no PG_VERSION); not touching it"

find_pg_ctl() {
    if command -v pg_ctl >/dev/null 2>&1; then command -v pg_ctl; return 0; fi
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
        if [ -x "$d/pg_ctl" ]; then echo "$d/pg_ctl"; return 0; fi
    done
    return 1
}
pg_ctl_bin="$(find_pg_ctl)" || die "pg_ctl not found"

owner="$(stat -c %U "$data")"
if [ "$(id -u)" = 0 ] && [ "$owner" != root ]; then
    if command -v runuser >/dev/null 2>&1; then
        as_owner() { runuser -u "$owner" -- "$@"; }
    else
        as_owner() { local q; printf -v q '%q ' "$@"; su -s /bin/sh "$owner" -c "$q"; }
    fi
else
    as_owner() { "$@"; }
fi

if as_owner "$pg_ctl_bin" -D "$data" status >/dev/null 2>&1; then
    log "stopping server in $data"
    as_owner "$pg_ctl_bin" -D "$data" -m fast -w -t 60 stop >&2 || die "pg_ctl stop failed"
else
    log "server in $data is not running"
fi

if [ "${GATEHOUSE_PG_KEEP:-0}" = 1 ]; then
    log "GATEHOUSE_PG_KEEP=1: leaving $data in place"
    exit 0
fi

parent="$(dirname "$data")"
if [ -f "$parent/.gatehouse-pg-tmp" ]; then
    rm -rf -- "$parent"
    log "removed $parent"
else
    rm -rf -- "$data"
    log "removed $data"
fi
