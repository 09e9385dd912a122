#!/usr/bin/env bash
# Schemathesis against a live Samtale, the way production runs: PostgreSQL, the production settings,
# gunicorn, the demo organisation. The whole schema is tested as a leader, an employee and HR, with the
# checks that matter to clients: no 5xx, only documented status codes, conformant bodies and headers.
#
#   scripts/schemathesis_live.sh [EXTRA st run ARGUMENTS...]     (or: make schemathesis)
#
# Environment: SCHEMATHESIS_MAX_EXAMPLES (default 30 per operation), SCHEMATHESIS_PORT (default: free),
# SCHEMATHESIS_REPORT_DIR (default bench-results/schemathesis). Exit status non-zero if any check failed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PY=${PY:-.venv/bin/python}
ST=${ST:-.venv/bin/st}
MAX_EXAMPLES=${SCHEMATHESIS_MAX_EXAMPLES:-30}
REPORT_DIR=${SCHEMATHESIS_REPORT_DIR:-bench-results/schemathesis}
CALLERS=("leader:10100" "employee:10101" "hr:19001")
CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

env_lines=$(scripts/pg_throwaway.sh start)
eval "$env_lines"
GUNICORN_PID=""
cleanup() {
    [[ -z "$GUNICORN_PID" ]] || kill "$GUNICORN_PID" 2>/dev/null || true
    wait 2>/dev/null || true
    scripts/pg_throwaway.sh stop "$PG_THROWAWAY_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export DJANGO_SETTINGS_MODULE=config.settings.production
DJANGO_SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(64))')
export DJANGO_SECRET_KEY DATABASE_URL
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend

echo "schemathesis: preparing the database (migrate, cache table, static files, demo organisation)" >&2
"$PY" manage.py migrate --verbosity 0
"$PY" manage.py createcachetable
"$PY" manage.py collectstatic --noinput --verbosity 0
"$PY" manage.py seed_demo >/dev/null

mkdir -p "$REPORT_DIR"
PORT=${SCHEMATHESIS_PORT:-$(free_port)}
# The server's own log (every 4xx is logged as a warning) goes to a file beside the reports.
"$(dirname "$PY")/gunicorn" config.wsgi --bind "127.0.0.1:$PORT" --workers 2 --threads 4 --log-level warning \
    2>"$REPORT_DIR/server.log" &
GUNICORN_PID=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 60); do
    curl -fsS -o /dev/null -H 'X-Forwarded-Proto: https' "$BASE/api/v1/schema/" && break
    sleep 1
done

status=0
for caller in "${CALLERS[@]}"; do
    role=${caller%%:*}
    employee_id=${caller#*:}
    token=$("$PY" manage.py drf_create_token "$employee_id" | awk '{print $3}')
    echo "schemathesis: as $role ($employee_id)" >&2
    "$ST" run "$BASE/api/v1/schema/?format=json" \
        -H "Authorization: Token $token" -H "X-Forwarded-Proto: https" \
        --checks "$CHECKS" --max-examples "$MAX_EXAMPLES" --seed 2026 \
        --phases examples,coverage,fuzzing --no-color --request-timeout 60 \
        --report junit --report-junit-path "$REPORT_DIR/$role.xml" "$@" || status=1
done
exit "$status"
