#!/usr/bin/env bash
# CPU per request of `gatehouse serve` on each executor against the bare route, and of every process
# on the `serve --upstream` path (wrk, gateway, upstream), in one run:
#
#   bash scripts/bench/cpu_per_request.sh            # ROUNDS=3 SECONDS_PER_RUN=5
#
# Builds the benchmark server and the release `gatehouse`, then runs scripts/bench/cpu_per_request.py
# (on SQLite, and on PostgreSQL too when GATEHOUSE_TEST_POSTGRES_URL names a cluster's admin URL).
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ]; then apt-get install -y wrk >&2; else echo "cpu_per_request.sh: install wrk (apt-get install wrk)" >&2; exit 1; fi
fi
swift build -c release --package-path Benchmarks --product GatehouseBenchServer >&2
swift build -c release --product gatehouse >&2
args=(--server Benchmarks/.build/release/GatehouseBenchServer --gatehouse .build/release/gatehouse
      --rounds "${ROUNDS:-3}" --seconds "${SECONDS_PER_RUN:-5}")
if [ -n "${GATEHOUSE_TEST_POSTGRES_URL:-}" ]; then args+=(--postgres-url "$GATEHOUSE_TEST_POSTGRES_URL"); fi
python3 scripts/bench/cpu_per_request.py "${args[@]}"
