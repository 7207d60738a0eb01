#!/usr/bin/env bash
# Password hashing at Django 6.1's default costs: Gatehouse against OpenSSL (Python's hashlib) in one
# run, alternating the two. Prints a Markdown table for docs/benchmarks.md.
#   bash scripts/bench/passwords.sh            # ROUNDS=7 by default
set -euo pipefail
cd "$(dirname "$0")/../.."
python="${PYTHON:-$(command -v python3)}"
echo "machine: $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" >&2
echo "OpenSSL baseline: $("$python" -c 'import ssl, sys; print(ssl.OPENSSL_VERSION, "via Python", sys.version.split()[0])')" >&2
swift build -c release --package-path Benchmarks --product PasswordHashingBenchmark >&2
PYTHON="$python" "Benchmarks/.build/release/PasswordHashingBenchmark"
