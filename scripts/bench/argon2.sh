#!/usr/bin/env bash
# Gatehouse's Argon2 against libargon2 (argon2-cffi) at Django's parameters (Argon2id, t=2,
# m=102400 KiB, p=8, 32-byte hash), in one run on one machine.
#
#   bash scripts/bench/argon2.sh [N]     # N hashes each (default 10)
#
# Gatehouse: Sources/Gatehouse/Passwords/Argon2/*.swift compiled with `swiftc -O` (what a release
# build compiles) into a small driver, scripts/bench/argon2/main.swift, the 8 lanes on one thread.
# libargon2: argon2-cffi 25.1.0 from the Django oracle venv (scripts/django/venv.sh). Its
# hash_secret_raw passes parallelism as the thread count too (8 threads for 8 lanes); the fair
# comparison is its argon2_ctx with threads=1, which this script times as the reference, and it
# also prints the threaded figure. Both tools print the tag of the same password and salt; the
# script checks they are equal. Figures are CPU seconds per hash (the process's CPU clock, so a
# machine shared with other builds still compares fairly) and wall seconds per hash.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
n="${1:-10}"
py="$(bash "$repo/scripts/django/venv.sh" | tail -n 1)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

swiftc -O -wmo -package-name Gatehouse -module-name Argon2Bench \
    "$repo"/Sources/Gatehouse/Passwords/Argon2/*.swift "$here/argon2/main.swift" -o "$out/argon2-bench"

swift_out="$("$out/argon2-bench" "$n")"
cffi_out="$("$py" "$here/argon2_cffi.py" "$n")"
echo "$swift_out"
echo "$cffi_out"
swift_tag="$(awk '$1 == "tag" {print $2}' <<<"$swift_out")"
cffi_tag="$(awk '$1 == "tag" {print $2}' <<<"$cffi_out")"
[ "$swift_tag" = "$cffi_tag" ] || { echo "tags differ: $swift_tag vs $cffi_tag" >&2; exit 1; }
awk -v s="$swift_out" -v c="$cffi_out" 'BEGIN {
    split(s, sl, "\n"); for (i in sl) { split(sl[i], f, " "); if (f[1] == "gatehouse") { gc = f[2]; gw = f[3] } }
    split(c, cl, "\n"); for (i in cl) { split(cl[i], f, " "); if (f[1] == "threads=1") { lc = f[2]; lw = f[3] } if (f[1] == "threads=8") { tc = f[2]; tw = f[3] } }
    printf "N=%s  Gatehouse %.0f ms CPU/hash, libargon2 (1 thread) %.0f ms CPU/hash: ratio %.2fx (CPU), %.2fx (wall)\n", ARGV[1], gc * 1000, lc * 1000, gc / lc, gw / lw
    printf "       libargon2 with 8 threads (argon2-cffi default): %.0f ms CPU/hash, %.0f ms wall/hash\n", tc * 1000, tw * 1000
}' "$n"
