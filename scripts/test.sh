#!/usr/bin/env bash
# Sets everything up (system packages including PostgreSQL, .venv) and runs the tests
# headless, on both back ends:
#   1. the whole suite on SQLite (the default), with a throw-away PostgreSQL cluster up so
#      the tests/test_pg_*.py tests (server archives, two-seat concurrency, search parity,
#      backup/restore/migrate) run against a real server;
#   2. the storage tests again with every archive they create on that server
#      (EVIDENCE_DESK_TEST_BACKEND=postgresql; tests about SQLite itself skip, saying why).
# Arguments go to pytest (both passes); without them pass 2 runs STORAGE_TESTS.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen

STORAGE_TESTS=(
  tests/test_archive.py tests/test_ingest.py tests/test_verify.py tests/test_evidence_edit.py
  tests/test_county.py tests/test_durability_backup.py tests/test_durability_bad_input.py
  tests/test_durability_crash.py tests/test_durability_schemas.py
  tests/test_durability_trash_log_repair.py tests/test_watch_core.py tests/test_watch_cli.py
  tests/test_tables_duties.py tests/test_tables_framework.py tests/test_tables_plan.py
  tests/test_tables_export.py tests/test_tables_demo.py tests/test_bundle_export.py
  tests/test_preflight.py tests/test_selfscore.py
)

PG_UP=0
if pg_env=$(bash scripts/pg.sh start); then
  eval "$pg_env"
  PG_UP=1
  trap 'bash scripts/pg.sh stop "$EVIDENCE_DESK_PG_DIR"' EXIT
elif [ "${CI:-}" = "true" ]; then
  echo "test.sh: could not start PostgreSQL; CI needs both back ends" >&2
  exit 1
else
  echo "test.sh: PostgreSQL not available; its tests are skipped (bash scripts/setup.sh installs it)" >&2
fi

status=0
echo "== pass 1: the whole suite on SQLite$([ $PG_UP = 1 ] && echo ', server tests on PostgreSQL')"
.venv/bin/python -m pytest -q -p no:cacheprovider "$@" || status=$?

if [ $PG_UP = 1 ]; then
  echo "== pass 2: the storage tests with every archive on PostgreSQL"
  if [ $# -gt 0 ]; then
    args=("$@")
  else
    args=()
    for t in "${STORAGE_TESTS[@]}"; do [ -f "$t" ] && args+=("$t"); done
  fi
  EVIDENCE_DESK_TEST_BACKEND=postgresql .venv/bin/python -m pytest -q -p no:cacheprovider \
    "${args[@]}" || { s=$?; [ $status = 0 ] && status=$s; }
fi
exit $status
