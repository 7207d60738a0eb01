#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster for Gatehouse tests and CI.
#
#   eval "$(scripts/pg/start.sh)"
#   ... run tests using $GATEHOUSE_TEST_POSTGRES_URL ...
#   scripts/pg/stop.sh            # uses $GATEHOUSE_PG_DATA
#
# stdout carries only `export ...` lines; all chatter goes to stderr.
#
# Env:
#   GATEHOUSE_PG_PORT   TCP port on 127.0.0.1 (default 55432)
#   GATEHOUSE_PG_USER   unprivileged OS user that runs the server when started
#                       as root (default postgres; created with useradd --system
#                       when missing)
#   PGDATA_DIR          data directory (default: $(mktemp -d)/data)
#   GATEHOUSE_PG_DB     database to create (default gatehouse_test)
#   GATEHOUSE_PG_AUTO_INSTALL=0  do not try `apt-get install postgresql` when
#                       the server programs are missing (tried only as root)
#   GATEHOUSE_PG_TLS_CERT, GATEHOUSE_PG_TLS_KEY  PEM server certificate and key:
#                       a new cluster then has ssl=on and accepts TCP only over
#                       TLS (pg_hba: hostssl), the Unix socket still in plain
#                       (the TLS tests in GatehouseSQLTests start such a cluster)
#
# The cluster: superuser "postgres", trust auth for local socket and
# 127.0.0.1, listens on 127.0.0.1 only, fsync=off (data is disposable).
# If PGDATA_DIR already holds a cluster it is reused (started if needed).
# If the port is taken by anything else, the script fails and says so.
set -euo pipefail

port="${GATEHOUSE_PG_PORT:-55432}"
os_user="${GATEHOUSE_PG_USER:-postgres}"
dbname="${GATEHOUSE_PG_DB:-gatehouse_test}"
db_superuser="postgres"

log() { echo "pg/start.sh: $*" >&2; }
die() { echo "pg/start.sh: ERROR: $*" >&2; exit 1; }

# --- locate the server programs -------------------------------------------
find_bindir() {
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(readlink -f "$(command -v pg_ctl)")"
        return 0
    fi
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
    done
    return 1
}

if ! bindir="$(find_bindir)"; then
    if [ "$(id -u)" = 0 ] && [ "${GATEHOUSE_PG_AUTO_INSTALL:-1}" != 0 ] && command -v apt-get >/dev/null 2>&1; then
        log "PostgreSQL server programs not found; installing the Debian package 'postgresql'"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2 || true
        apt-get install -y -qq postgresql >&2 || die "apt-get install postgresql failed"
        bindir="$(find_bindir)" || die "PostgreSQL installed but initdb/pg_ctl still not found"
    else
        die "initdb/pg_ctl not found on PATH or in /usr/lib/postgresql/*/bin (install PostgreSQL, e.g. apt-get install postgresql)"
    fi
fi
psql_bin="$(command -v psql || true)"
[ -n "$psql_bin" ] || psql_bin="$bindir/psql"
[ -x "$psql_bin" ] || die "psql not found"
log "using $("$bindir/pg_ctl" --version) from $bindir"

# --- who runs the server -------------------------------------------------
as_user() { "$@"; }
if [ "$(id -u)" = 0 ]; then
    if ! id -u "$os_user" >/dev/null 2>&1; then
        log "creating system user $os_user"
        if getent group "$os_user" >/dev/null 2>&1; then
            useradd --system --no-create-home --gid "$os_user" --shell /bin/sh "$os_user" >&2
        else
            useradd --system --no-create-home --user-group --shell /bin/sh "$os_user" >&2
        fi
    fi
    [ "$(id -u "$os_user")" != 0 ] || die "GATEHOUSE_PG_USER=$os_user is root; PostgreSQL refuses to run as root"
    if command -v runuser >/dev/null 2>&1; then
        as_user() { runuser -u "$os_user" -- "$@"; }
    else
        as_user() { local q; printf -v q '%q ' "$@"; su -s /bin/sh "$os_user" -c "$q"; }
    fi
else
    os_user="$(id -un)"
fi

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
stale_port_msg="port $port on 127.0.0.1 is already in use (a stale cluster? stop it with GATEHOUSE_PG_DATA=<its data dir> scripts/pg/stop.sh, or set GATEHOUSE_PG_PORT)"

# Fail before creating anything when the port is taken, unless PGDATA_DIR names
# an existing cluster (which may be the one listening there: reused below).
if port_in_use "$port" && ! { [ -n "${PGDATA_DIR:-}" ] && [ -f "$PGDATA_DIR/PG_VERSION" ]; }; then
    die "$stale_port_msg"
fi

# --- data directory --------------------------------------------------------
if [ -n "${PGDATA_DIR:-}" ]; then
    data="$PGDATA_DIR"
    mkdir -p "$data"
    data="$(cd "$data" && pwd)"
else
    base="$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-pg.XXXXXX")"
    # Remove the fresh base dir again if anything below fails.
    trap 'if [ "${started_ok:-0}" != 1 ]; then "$bindir/pg_ctl" -D "$base/data" status >/dev/null 2>&1 && as_user "$bindir/pg_ctl" -D "$base/data" -m immediate stop >/dev/null 2>&1; rm -rf -- "$base"; fi' EXIT
    touch "$base/.gatehouse-pg-tmp"   # lets stop.sh remove the whole base dir
    data="$base/data"
    mkdir -p "$data"
fi
sockdir="$data"
logfile="$data/server.log"

if [ "$(id -u)" = 0 ]; then
    chown "$os_user" "$data"
    [ -z "${base:-}" ] || { chown "$os_user" "$base"; chmod 755 "$base"; }
fi
chmod 700 "$data"
as_user test -w "$data" || die "$os_user cannot write $data (a parent directory is probably not searchable by $os_user; choose another PGDATA_DIR)"

pg_ctl() { as_user "$bindir/pg_ctl" "$@"; }

if [ -f "$data/PG_VERSION" ]; then
    log "reusing existing cluster in $data"
else
    if [ -n "$(ls -A "$data")" ]; then
        die "$data is not empty and holds no PostgreSQL cluster"
    fi
    log "initdb into $data (OS user $os_user)"
    initlog="$(mktemp)"
    as_user "$bindir/initdb" -D "$data" -U "$db_superuser" --auth=trust \
        --encoding=UTF8 --locale=C --no-instructions >"$initlog" 2>&1 \
        || { cat "$initlog" >&2; rm -f "$initlog"; die "initdb failed"; }
    rm -f "$initlog"
    if [ -n "${GATEHOUSE_PG_TLS_CERT:-}" ]; then
        [ -r "$GATEHOUSE_PG_TLS_CERT" ] && [ -r "${GATEHOUSE_PG_TLS_KEY:-}" ] \
            || die "GATEHOUSE_PG_TLS_CERT and GATEHOUSE_PG_TLS_KEY must both name readable PEM files"
        install -m 600 "$GATEHOUSE_PG_TLS_CERT" "$data/server.crt"
        install -m 600 "$GATEHOUSE_PG_TLS_KEY" "$data/server.key"
        [ "$(id -u)" != 0 ] || chown "$os_user" "$data/server.crt" "$data/server.key"
        cat >"$data/pg_hba.conf" <<EOF
# Throwaway test cluster (scripts/pg/start.sh): trust everything local, TCP over TLS only.
local     all   all                 trust
hostssl   all   all   127.0.0.1/32  trust
EOF
        printf "ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n" >>"$data/postgresql.conf"
    else
        cat >"$data/pg_hba.conf" <<EOF
# Throwaway test cluster (scripts/pg/start.sh): trust everything local.
local   all   all                 trust
host    all   all   127.0.0.1/32  trust
EOF
    fi
    cat >>"$data/postgresql.conf" <<EOF

# --- scripts/pg/start.sh (throwaway test cluster) ---
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$sockdir'
fsync = off
synchronous_commit = off
full_page_writes = off
# Tests run in parallel, each with its own pool (PostgresClient, psycopg for Django).
max_connections = 400
EOF
    [ "$(id -u)" != 0 ] || chown "$os_user" "$data/pg_hba.conf"
fi

if pg_ctl -D "$data" status >/dev/null 2>&1; then
    log "server for $data already running"
else
    if port_in_use "$port"; then
        die "$stale_port_msg"
    fi
    log "starting on 127.0.0.1:$port (log: $logfile)"
    if ! pg_ctl -D "$data" -l "$logfile" -w -t 60 -o "-p $port -c listen_addresses=127.0.0.1" start >&2; then
        tail -n 30 "$logfile" >&2 || true
        die "pg_ctl start failed"
    fi
fi

# Over the socket: a TLS cluster refuses plain TCP, and psql needs no certificate this way.
psql_q() { "$psql_bin" -X -q -v ON_ERROR_STOP=1 -h "$sockdir" -p "$port" -U "$db_superuser" "$@"; }
if [ "$(psql_q -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$dbname'")" != 1 ]; then
    log "creating database $dbname"
    psql_q -d postgres -c "CREATE DATABASE \"$dbname\"" >&2
fi

started_ok=1
echo "export GATEHOUSE_TEST_POSTGRES_URL=postgres://$db_superuser@127.0.0.1:$port/$dbname"
echo "export GATEHOUSE_PG_DATA=$data"
echo "export GATEHOUSE_PG_PORT=$port"
