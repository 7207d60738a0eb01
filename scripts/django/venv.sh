#!/usr/bin/env bash
# Create (or reuse) the Python virtualenv for the Django test oracle.
#
#   bash scripts/django/venv.sh          -> last stdout line: path of the venv python
#
# Env:
#   DJANGO_VENV   venv directory (default: <repo>/.venv-django)
#   DJANGO_PYTHON interpreter to build the venv with (default: auto-detect >= 3.12)
#
# Idempotent: pip runs only when requirements.txt changed since the last
# successful install (hash kept in <venv>/.requirements.sha256).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="${DJANGO_VENV:-$repo/.venv-django}"
req="$here/requirements.txt"
stamp="$venv/.requirements.sha256"

log() { echo "venv.sh: $*" >&2; }

# True when "$1" runs and is Python >= 3.12 (pyenv shims may exist but fail).
py_ok() {
    "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}

find_python() {
    local c
    if [ -n "${DJANGO_PYTHON:-}" ]; then
        if py_ok "$DJANGO_PYTHON"; then echo "$DJANGO_PYTHON"; return 0; fi
        log "DJANGO_PYTHON=$DJANGO_PYTHON is not a working Python >= 3.12"
        return 1
    fi
    for c in python3.13 python3.12 python3.14 python3; do
        if command -v "$c" >/dev/null 2>&1 && py_ok "$(command -v "$c")"; then
            command -v "$c"; return 0
        fi
    done
    # Newest first (3.13 before 3.12).
    for c in $(ls -d /root/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do
        if [ -x "$c" ] && py_ok "$c"; then echo "$c"; return 0; fi
    done
    return 1
}

want_hash="$( (cat "$req"; echo) | sha256sum | cut -d' ' -f1)"

# Reuse an existing venv only if its interpreter still works and is new enough.
if [ -x "$venv/bin/python" ] && ! py_ok "$venv/bin/python"; then
    log "existing venv at $venv is broken or too old; recreating"
    rm -rf "$venv"
fi

if [ ! -x "$venv/bin/python" ]; then
    if ! py="$(find_python)"; then
        log "ERROR: no Python >= 3.12 found (Django 6.1 requires it)."
        log "Tried python3.13, python3.12, python3.14, python3 on PATH and /root/.pyenv/versions/3.1[2-9]*/bin/python3."
        log "Install one or set DJANGO_PYTHON=/path/to/python3.12+."
        exit 1
    fi
    log "creating $venv with $py ($("$py" -V 2>&1))"
    "$py" -m venv "$venv" >&2
    rm -f "$stamp"
fi

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want_hash" ]; then
    log "requirements up to date"
else
    log "installing requirements"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" >&2
    echo "$want_hash" > "$stamp"
fi

echo "$venv/bin/python"
