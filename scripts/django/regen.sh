#!/usr/bin/env bash
# Regenerate every Django-derived fixture in Tests/Fixtures/django/.
#
#   bash scripts/django/regen.sh            # all fixtures
#   bash scripts/django/regen.sh passwords  # only some: any of
#        common passwords argon2 validators signing schema-sqlite schema-postgresql
#        csrf redirects reset
#
# PostgreSQL: uses $GATEHOUSE_TEST_POSTGRES_URL when set (the server must let
# that user create databases), otherwise starts a throwaway cluster with
# scripts/pg/start.sh and stops it again at the end.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
fixtures="$repo/Tests/Fixtures/django"

py="$(bash "$here/venv.sh" | tail -n 1)"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(common passwords argon2 validators signing schema-sqlite schema-postgresql)
[ $# -gt 0 ] || targets+=(csrf redirects reset)

step() {
    local name="$1"; shift
    local t0=$SECONDS
    echo "== $name" >&2
    "$@"
    echo "   ($((SECONDS - t0))s)" >&2
}

pg_started=""
cleanup() {
    if [ -n "$pg_started" ]; then
        GATEHOUSE_PG_DATA="$pg_started" bash "$repo/scripts/pg/stop.sh" || true
    fi
}
trap cleanup EXIT

for t in "${targets[@]}"; do
    case "$t" in
        common)     step common-passwords "$py" "$here/gen_common_passwords.py" ;;
        passwords)  step password-vectors "$py" "$here/gen_password_vectors.py" ;;
        argon2)     step argon2-vectors "$py" "$here/gen_argon2_vectors.py" ;;
        validators) step validator-vectors "$py" "$here/gen_validator_vectors.py" ;;
        signing)    step signing-vectors "$py" "$here/gen_signing_vectors.py" ;;
        schema-sqlite) step schema-sqlite "$py" "$here/dump_schema.py" sqlite ;;
        schema-postgresql)
            url="${GATEHOUSE_TEST_POSTGRES_URL:-}"
            if [ -z "$url" ]; then
                env_out="$(bash "$repo/scripts/pg/start.sh")"
                eval "$env_out"
                pg_started="$GATEHOUSE_PG_DATA"
                url="$GATEHOUSE_TEST_POSTGRES_URL"
            fi
            step schema-postgresql "$py" "$here/dump_schema.py" postgres "$url"
            step schema-postgresql-autofield "$py" "$here/dump_schema.py" postgres "$url" \
                "$fixtures/schema-postgresql-autofield.json" --default-auto-field django.db.models.AutoField
            ;;
        csrf)       step csrf-vectors "$py" "$here/gen_csrf_vectors.py" ;;
        redirects)  step redirect-vectors "$py" "$here/gen_redirect_vectors.py" ;;
        reset)      step password-reset-vectors "$py" "$here/gen_password_reset_vectors.py" ;;
        *) echo "regen.sh: unknown target $t" >&2; exit 2 ;;
    esac
done
echo "regen.sh: done in ${SECONDS}s" >&2
