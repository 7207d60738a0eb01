#!/usr/bin/env bash
# The HTTP benchmark, from a fresh clone in one command:
#
#   bash scripts/bench/http.sh                 # SECONDS_PER_RUN=10 ROUNDS=2 CONNECTIONS=32
#
# Builds the benchmark server and the shipped `gatehouse` binary in release mode, installs wrk (Debian's package) when missing, makes
# the Django venv (.venv-django, plus gunicorn) and a throwaway PostgreSQL cluster unless
# GATEHOUSE_TEST_POSTGRES_URL points at one, then runs scripts/bench/http_bench.py, which prints the
# Markdown tables kept in docs/benchmarks.md. SKIP_DJANGO=1 / SKIP_POSTGRES=1 / SKIP_SERVE=1 leave those out; SCALE=1 adds the 1,000,000-row run;
# PUBLISHED_SQLITE=1 adds Gatehouse with sessions read through sqlite-nio's published API (docs/dependencies.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo="$(pwd)"

if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ]; then apt-get install -y wrk >&2; else echo "http.sh: install wrk (apt-get install wrk)" >&2; exit 1; fi
fi
swift build -c release --package-path Benchmarks --product GatehouseBenchServer >&2
server="$repo/Benchmarks/.build/release/GatehouseBenchServer"
if [ "${SKIP_SERVE:-0}" != 1 ]; then
    swift build -c release --product gatehouse >&2   # what users install (docs/deploy.md builds the same)
    gatehouse="$repo/.build/release/gatehouse"
fi

args=(--server "$server" --seconds "${SECONDS_PER_RUN:-10}" --rounds "${ROUNDS:-2}" --connections "${CONNECTIONS:-32}")
if [ -n "${gatehouse:-}" ]; then args+=(--gatehouse "$gatehouse"); fi
if [ "${SCALE:-0}" = 1 ]; then args+=(--scale); fi
if [ "${PUBLISHED_SQLITE:-0}" = 1 ]; then args+=(--published-sqlite-route); fi
if [ "${SKIP_DJANGO:-0}" != 1 ]; then
    python="$(bash scripts/django/venv.sh | tail -1)"
    "$python" -m pip install --quiet -r scripts/bench/django/requirements.txt >&2
    args+=(--django-python "$python")
fi
started_pg=0
if [ "${SKIP_POSTGRES:-0}" != 1 ]; then
    if [ -z "${GATEHOUSE_TEST_POSTGRES_URL:-}" ]; then
        eval "$(GATEHOUSE_PG_PORT="${GATEHOUSE_BENCH_PG_PORT:-55433}" bash scripts/pg/start.sh)"
        started_pg=1
    fi
    args+=(--postgres-url "$GATEHOUSE_TEST_POSTGRES_URL")
fi
status=0
python3 scripts/bench/http_bench.py "${args[@]}" || status=$?
if [ "$started_pg" = 1 ]; then bash scripts/pg/stop.sh >&2 || true; fi
exit "$status"
