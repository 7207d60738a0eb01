#!/usr/bin/env bash
# Scale-out on one machine: a throwaway PostgreSQL, three `gatehouse serve` instances on it, and
# nginx in front of them (one upstream, round robin). docs/scaling.md explains what this shows.
#
#   eval "$(scripts/scale/start.sh)"
#   curl -i "$GATEHOUSE_SCALE_URL/accounts/login/"       # through the balancer
#   gatehouse users create alice --database "$GATEHOUSE_DATABASE_URL"
#   scripts/scale/stop.sh                                 # uses $GATEHOUSE_SCALE_DIR
#
# stdout carries only `export ...` lines; all chatter goes to stderr.
#
# Env:
#   GATEHOUSE_BIN           the gatehouse binary (default: .build/debug/gatehouse, built if missing)
#   GATEHOUSE_NGINX         nginx (default: /usr/sbin/nginx)
#   GATEHOUSE_SCALE_DIR     a new directory for logs, configuration and the cluster (default: mktemp -d)
#   GATEHOUSE_SCALE_PORT    nginx's port on 127.0.0.1 (default: a free one)
#   GATEHOUSE_SCALE_PG_PORT PostgreSQL's port (default: a free one). GATEHOUSE_PG_PORT, GATEHOUSE_PG_DATA
#                           and GATEHOUSE_TEST_POSTGRES_URL of another cluster are ignored: this one is its own.
#   GATEHOUSE_SCALE_INSTANCES  how many instances (default 3)
#   GATEHOUSE_SECRET_KEY    shared by the instances (default: a new random key, saved in the directory)
#   GATEHOUSE_SCALE_SERVE_ARGS  more arguments for every `gatehouse serve` (e.g. "--policy /path/policy.yaml")
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"

log() { echo "scale/start.sh: $*" >&2; }
die() { echo "scale/start.sh: ERROR: $*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

bin="${GATEHOUSE_BIN:-$root/.build/debug/gatehouse}"
if [ ! -x "$bin" ]; then
    log "building gatehouse"
    (cd "$root" && swift build --product gatehouse >&2)
fi
nginx="${GATEHOUSE_NGINX:-/usr/sbin/nginx}"
[ -x "$nginx" ] || die "nginx not found at $nginx (apt-get install nginx-light, or set GATEHOUSE_NGINX)"
count="${GATEHOUSE_SCALE_INSTANCES:-3}"

dir="${GATEHOUSE_SCALE_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-scale.XXXXXX")}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
chmod 755 "$dir"   # the PostgreSQL user must reach the cluster's directory inside
started_ok=0
trap 'if [ "$started_ok" != 1 ]; then GATEHOUSE_SCALE_DIR="$dir" bash "$root/scripts/scale/stop.sh" >&2 || true; fi' EXIT

# --- PostgreSQL -----------------------------------------------------------
pg_port="${GATEHOUSE_SCALE_PG_PORT:-$(free_port)}"
unset GATEHOUSE_PG_DATA GATEHOUSE_TEST_POSTGRES_URL GATEHOUSE_PG_PORT
pg_exports="$(GATEHOUSE_PG_PORT="$pg_port" PGDATA_DIR="$dir/pg" bash "$root/scripts/pg/start.sh")" || die "scripts/pg/start.sh failed"
eval "$pg_exports"
[ "${GATEHOUSE_PG_DATA:-}" = "$dir/pg" ] || die "PostgreSQL did not start in $dir/pg"
echo "$GATEHOUSE_PG_DATA" >"$dir/pg.data"
database="$GATEHOUSE_TEST_POSTGRES_URL"
"$bin" migrate --database "$database" >&2

# --- the instances --------------------------------------------------------
if [ -z "${GATEHOUSE_SECRET_KEY:-}" ]; then
    GATEHOUSE_SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"
fi
export GATEHOUSE_SECRET_KEY
# shellcheck disable=SC2206
extra=(${GATEHOUSE_SCALE_SERVE_ARGS:-})
instances=()
for i in $(seq 1 "$count"); do
    "$bin" serve --database "$database" --port 0 --trusted-proxy 127.0.0.1 "${extra[@]}" \
        </dev/null >"$dir/serve-$i.log" 2>&1 &
    echo $! >"$dir/serve-$i.pid"
done
for i in $(seq 1 "$count"); do
    port=""
    for _ in $(seq 1 600); do
        port="$(grep -oE 'at http://127\.0\.0\.1:[0-9]+/' "$dir/serve-$i.log" | head -n 1 | grep -oE '[0-9]+/$' | tr -d / || true)"
        [ -n "$port" ] && break
        kill -0 "$(cat "$dir/serve-$i.pid")" 2>/dev/null || { cat "$dir/serve-$i.log" >&2; die "instance $i exited"; }
        sleep 0.1
    done
    [ -n "$port" ] || { cat "$dir/serve-$i.log" >&2; die "instance $i did not start"; }
    instances+=("127.0.0.1:$port")
    log "instance $i on 127.0.0.1:$port (log: $dir/serve-$i.log)"
done

# --- nginx ----------------------------------------------------------------
listen="${GATEHOUSE_SCALE_PORT:-$(free_port)}"
mkdir -p "$dir/nginx"
{
    echo "worker_processes 1;"
    echo "error_log $dir/nginx/error.log;"
    echo "pid $dir/nginx/nginx.pid;"
    echo "events {}"
    echo "http {"
    echo "    access_log off;"
    for temp in body proxy fastcgi uwsgi scgi; do echo "    ${temp/body/client_body}_temp_path $dir/nginx/$temp;"; done
    echo "    upstream gatehouse {"
    for instance in "${instances[@]}"; do echo "        server $instance;"; done
    echo "        keepalive 16;"
    echo "    }"
    echo "    server {"
    echo "        listen 127.0.0.1:$listen;"
    echo "        location / {"
    echo "            proxy_pass http://gatehouse;"
    echo "            proxy_http_version 1.1;"
    echo "            proxy_set_header Connection \"\";"
    echo "            proxy_set_header Host \$http_host;"
    echo "            proxy_set_header X-Forwarded-For \$remote_addr;"
    echo "            proxy_set_header X-Forwarded-Proto \$scheme;"
    echo "        }"
    echo "    }"
    echo "}"
} >"$dir/nginx/nginx.conf"
"$nginx" -p "$dir/nginx" -e "$dir/nginx/error.log" -c "$dir/nginx/nginx.conf" >&2 || die "nginx did not start: $(cat "$dir/nginx/error.log")"
for _ in $(seq 1 100); do
    [ -s "$dir/nginx/nginx.pid" ] && (exec 3<>"/dev/tcp/127.0.0.1/$listen") 2>/dev/null && break
    sleep 0.1
done
log "nginx on 127.0.0.1:$listen in front of ${instances[*]}"

started_ok=1
echo "export GATEHOUSE_SCALE_DIR=$dir"
echo "export GATEHOUSE_SCALE_URL=http://127.0.0.1:$listen"
echo "export GATEHOUSE_SCALE_INSTANCES=\"$(printf 'http://%s ' "${instances[@]}" | sed 's/ $//')\""
echo "export GATEHOUSE_DATABASE_URL=$database"
