#!/usr/bin/env bash
# Browser end-to-end check by hand: starts `gatehouse serve` on a free port in a temporary
# directory, creates a user, runs browser_login.py (headless Chromium) against it, stops the server.
#
#   bash scripts/e2e/run.sh [--screenshot DIR] [other browser_login.py options]
#
# Env:
#   GATEHOUSE_BIN                 the gatehouse executable (default: build it with `swift build`)
#   GATEHOUSE_SCRATCH_PATH        --scratch-path for that build (default: SwiftPM's .build)
#   GATEHOUSE_TEST_DJANGO_PYTHON  a Python with selenium (default: bash scripts/django/venv.sh)
#
# Needs Debian's chromium and chromium-driver (apt-get install --no-install-recommends chromium
# chromium-driver). The same scenario runs in `swift test` as BrowserEndToEndTests.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
log() { echo "run.sh: $*" >&2; }

if [ -z "${GATEHOUSE_BIN:-}" ]; then
    scratch=()
    [ -n "${GATEHOUSE_SCRATCH_PATH:-}" ] && scratch=(--scratch-path "$GATEHOUSE_SCRATCH_PATH")
    log "building gatehouse"
    (cd "$repo" && swift build --product gatehouse "${scratch[@]}" >&2)
    GATEHOUSE_BIN="$(cd "$repo" && swift build --show-bin-path "${scratch[@]}")/gatehouse"
fi
[ -x "$GATEHOUSE_BIN" ] || { log "no gatehouse executable at $GATEHOUSE_BIN"; exit 2; }
python="${GATEHOUSE_TEST_DJANGO_PYTHON:-$(bash "$repo/scripts/django/venv.sh" | tail -n 1)}"

work="$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-e2e-XXXXXX")"
database="sqlite:///$work/db.sqlite3"
server=""
cleanup() {
    if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
        kill -TERM "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

(cd "$work" && exec env -u GATEHOUSE_SECRET_KEY -u GATEHOUSE_DATABASE_URL \
    "$GATEHOUSE_BIN" serve --port 0 --database "$database" >/dev/null 2>"$work/server.log") &
server=$!
url=""
for _ in $(seq 600); do  # up to 60 s
    url="$(grep -oE 'at http://127\.0\.0\.1:[0-9]+/' "$work/server.log" | head -n 1 | sed 's/^at //; s#/$##')" || true
    [ -n "$url" ] && break
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$url" ]; then
    log "the server did not start:"; cat "$work/server.log" >&2; exit 1
fi
log "server at $url"

username="e2e-user"
password="e2e-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s\n' "$password" | (cd "$work" && "$GATEHOUSE_BIN" users create "$username" --stdin --database "$database") >&2

status=0
"$python" "$here/browser_login.py" "$url" "$username" "$password" "$@" || status=$?
if [ "$status" -ne 0 ]; then
    log "browser_login.py failed ($status); server log:"; cat "$work/server.log" >&2
fi
exit "$status"
