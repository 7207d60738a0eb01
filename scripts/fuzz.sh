#!/usr/bin/env bash
# Runs a libFuzzer target of the Fuzz/ package for SECONDS (docs/security.md, "Fuzzing").
#
#   bash scripts/fuzz.sh TARGET SECONDS     # one target: cookie signing password redirect path forward-auth form
#   bash scripts/fuzz.sh all SECONDS        # every target, one after the other, SECONDS each
#
# The first run builds Fuzz/ into Fuzz/.build-fuzz (release, -sanitize=fuzzer,address; later runs
# reuse it). Each target runs on a copy of its seed corpus Fuzz/Corpus/TARGET in a temporary
# directory, so nothing is written into the repository; KEEP=1 keeps that directory and prints it.
# Exits non-zero when a target crashes, printing the crashing input's path and the command that
# replays it. Extra libFuzzer flags can go in FUZZ_FLAGS (e.g. FUZZ_FLAGS="-jobs=2 -workers=2").
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(cookie signing password redirect path forward-auth form)
usage() { echo "usage: $0 TARGET|all SECONDS   (targets: ${all_targets[*]})" >&2; exit 2; }
[ $# -eq 2 ] || usage
case "$2" in '' | *[!0-9]*) usage ;; esac
seconds=$2
if [ "$1" = all ]; then
    targets=("${all_targets[@]}")
else
    [[ " ${all_targets[*]} " == *" $1 "* ]] || usage
    targets=("$1")
fi

# FUZZ_CONFIGURATION=debug builds faster and fuzzes slower (release by default).
configuration=${FUZZ_CONFIGURATION:-release}
scratch=Fuzz/.build-fuzz
build=(swift build --package-path Fuzz --scratch-path "$scratch" -c "$configuration"
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing)
started=$(date +%s)
# The gold linker warns once per ASan symbol it cannot export; nothing else is dropped.
set +e
"${build[@]}" 2>&1 | { grep -v "Cannot export local symbol" || true; } | tail -n 40
build_status=${PIPESTATUS[0]}
set -e
[ "$build_status" -eq 0 ] || { echo "error: the fuzz build failed" >&2; exit 1; }
binary="$("${build[@]}" --show-bin-path)/GatehouseFuzz"
echo "fuzz build: $(( $(date +%s) - started ))s"

failed=()
for target in "${targets[@]}"; do
    work=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-fuzz-$target.XXXXXX")
    mkdir "$work/corpus" "$work/artifacts"
    cp Fuzz/Corpus/"$target"/* "$work/corpus/"
    status=0
    # Leak checks are off: Swift's lazily created globals (thread pools, the forward-auth target's
    # server task) look like leaks to LeakSanitizer. The Swift backtracer is off so that ASan and
    # libFuzzer report a trap themselves (its memory reads trip ASan).
    ASAN_OPTIONS=detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS} SWIFT_BACKTRACE=enable=no GATEHOUSE_FUZZ_TARGET="$target" "$binary" "$work/corpus" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -detect_leaks=0 -print_final_stats=1 \
        -artifact_prefix="$work/artifacts/" ${FUZZ_FLAGS:-} >"$work/log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -n 1)
    echo "$target: ${runs:-?} executions in ${seconds}s, corpus $(ls "$work/corpus" | wc -l) inputs, exit $status"
    artifacts=$(find "$work/artifacts" -type f)
    if [ "$status" -ne 0 ] || [ -n "$artifacts" ]; then
        failed+=("$target")
        grep -E "ERROR: libFuzzer|ERROR: AddressSanitizer|Fatal error|SUMMARY|deadly signal|timeout|out-of-memory" "$work/log" | head -n 20 >&2 || true
        for artifact in $artifacts; do
            echo "crashing input: $artifact" >&2
            echo "replay: GATEHOUSE_FUZZ_TARGET=$target $binary $artifact   (SWIFT_BACKTRACE=enable=no for ASan's report)" >&2
        done
        echo "log: $work/log" >&2
    elif [ -z "${KEEP:-}" ]; then
        rm -rf "$work"
    else
        echo "kept: $work"
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing found crashes in: ${failed[*]}" >&2
    exit 1
fi
