#!/usr/bin/env bash
# Measures the reverse proxy's peak memory (VmHWM) and wall time for one large upload, with
# Content-Length or chunked framing, against scripts/gateway/echo_upstream.py (a fast reader).
#
#   scripts/gateway/measure_upload.sh [--chunked] [--bytes N] [--runs R] [GATEHOUSE_BINARY]
#
# GATEHOUSE_BINARY defaults to .build/debug/gatehouse. To compare two builds, run the script with
# each binary in turn (interleave the runs: the machine's load changes between them). Linux only
# (reads /proc). The upload is a sparse file of zeros, so it costs no disk.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
chunked=0; bytes=$((500 * 1000 * 1000)); runs=3; binary=.build/debug/gatehouse
while [ $# -gt 0 ]; do
  case "$1" in
    --chunked) chunked=1 ;;
    --bytes) bytes=$2; shift ;;
    --runs) runs=$2; shift ;;
    *) binary=$1 ;;
  esac
  shift
done
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$work"
printf 'default: public\n' > policy.yaml
truncate -s "$bytes" upload.bin
export GATEHOUSE_SECRET_KEY=measure-upload-0123456789abcdefghijklmnopqrstuvwxyz
framing=(); [ "$chunked" = 1 ] && framing=(-H "Transfer-Encoding: chunked")
port=$((20000 + RANDOM % 20000))
for run in $(seq "$runs"); do
  rm -f db.sqlite3 upstream.port
  python3 "$here/echo_upstream.py" --port-file upstream.port > upstream.log 2>&1 &
  upstream=$!
  for _ in $(seq 100); do [ -s upstream.port ] && break; sleep 0.1; done
  "$binary" migrate --database sqlite:///db.sqlite3 > /dev/null
  "$binary" serve --database sqlite:///db.sqlite3 --port "$port" --upstream "http://127.0.0.1:$(cat upstream.port)" \
    --policy policy.yaml --max-body-size $((bytes + 1)) > serve.log 2>&1 &
  server=$!
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
  before=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
  start=$(date +%s.%N)
  answer=$(curl -s -T upload.bin -X POST -H "Origin: http://127.0.0.1:$port" "${framing[@]}" "http://127.0.0.1:$port/upload")
  end=$(date +%s.%N)
  after=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
  received=$(printf '%s\n' "$answer" | sed -n 's/^body=//p')
  printf 'run %d: %s bytes %s, upstream got %s, %.2f s, peak RSS %d MB -> %d MB (+%.1f MB)\n' "$run" "$bytes" \
    "$([ "$chunked" = 1 ] && echo chunked || echo 'with Content-Length')" "${received:-nothing}" \
    "$(echo "$end - $start" | bc)" $((before / 1024)) $((after / 1024)) "$(echo "($after - $before) / 1024" | bc -l)"
  kill "$server" "$upstream"; wait "$server" "$upstream" 2>/dev/null || true
done
