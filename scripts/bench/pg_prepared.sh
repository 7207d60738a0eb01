#!/usr/bin/env bash
# PostgreSQL's CPU per request with the session cache, the prepared session read and a plain query
# (docs/scaling.md):
#
#   bash scripts/bench/pg_prepared.sh          # SECONDS_PER_RUN=5 ROUNDS=3
#
# Builds the benchmark server and the release binary, starts a throwaway PostgreSQL unless
# GATEHOUSE_TEST_POSTGRES_URL names a local one, and runs scripts/bench/pg_prepared.py.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo="$(pwd)"
swift build -c release --package-path Benchmarks --product GatehouseBenchServer >&2
swift build -c release --product gatehouse >&2
started_pg=0
if [ -z "${GATEHOUSE_TEST_POSTGRES_URL:-}" ]; then
    eval "$(GATEHOUSE_PG_PORT="${GATEHOUSE_BENCH_PG_PORT:-55434}" bash scripts/pg/start.sh)"
    started_pg=1
fi
status=0
python3 scripts/bench/pg_prepared.py --server "$repo/Benchmarks/.build/release/GatehouseBenchServer" \
    --gatehouse "$repo/.build/release/gatehouse" --postgres-url "$GATEHOUSE_TEST_POSTGRES_URL" \
    --seconds "${SECONDS_PER_RUN:-5}" --rounds "${ROUNDS:-3}" || status=$?
if [ "$started_pg" = 1 ]; then bash scripts/pg/stop.sh >&2 || true; fi
exit "$status"
