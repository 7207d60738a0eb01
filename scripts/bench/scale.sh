#!/usr/bin/env bash
# Scale-out benchmark: three `gatehouse serve` instances on one PostgreSQL behind nginx (round
# robin), against one instance behind the same nginx configuration, in the same run:
#
#   bash scripts/bench/scale.sh                  # SECONDS_PER_RUN=10 ROUNDS=3 CONNECTIONS=64
#
# Builds the release binary (or uses GATEHOUSE_BIN), starts both set-ups with scripts/scale/start.sh
# (each with its own throwaway PostgreSQL), gives each the benchmark's users (alice holds
# blog.view_post, /secret/ needs it by policy), and drives the authorized GET through nginx with wrk,
# alternating the two set-ups round by round. Prints a Markdown table for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo="$(pwd)"
if [ -z "${GATEHOUSE_BIN:-}" ]; then
    swift build -c release --product gatehouse >&2
    GATEHOUSE_BIN="$repo/.build/release/gatehouse"
fi
export GATEHOUSE_BIN
work="$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-scale-bench.XXXXXX")"
chmod 755 "$work"   # the PostgreSQL user must reach the clusters inside
cat >"$work/policy.yaml" <<'POLICY'
default: authenticated
rules:
  - path: /secret/
    require:
      permissions: [blog.view_post]
POLICY
stop_all() {
    for n in 1 3; do
        if [ -d "$work/scale-$n" ]; then GATEHOUSE_SCALE_DIR="$work/scale-$n" bash scripts/scale/stop.sh >&2 || true; fi
    done
    rm -rf "$work"
}
trap stop_all EXIT
for n in 1 3; do
    GATEHOUSE_SCALE_INSTANCES=$n GATEHOUSE_SCALE_DIR="$work/scale-$n" \
        GATEHOUSE_SCALE_SERVE_ARGS="--policy $work/policy.yaml --login-checks-per-address 0" \
        bash scripts/scale/start.sh >"$work/env-$n"
    (
        # shellcheck disable=SC1090
        source "$work/env-$n"
        for user in alice bob; do
            "$GATEHOUSE_BIN" users create "$user" --database "$GATEHOUSE_DATABASE_URL" --stdin <<<'correct horse battery staple' >/dev/null
        done
        "$GATEHOUSE_BIN" permissions register blog.post --database "$GATEHOUSE_DATABASE_URL" >/dev/null
        "$GATEHOUSE_BIN" permissions grant alice blog.view_post --database "$GATEHOUSE_DATABASE_URL" >/dev/null
    )
done
python3 scripts/bench/scale_bench.py --one "$work/env-1" --three "$work/env-3" \
    --seconds "${SECONDS_PER_RUN:-10}" --rounds "${ROUNDS:-3}" --connections "${CONNECTIONS:-64}"
