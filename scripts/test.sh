#!/usr/bin/env bash
# Sets everything up (system packages including PostgreSQL, .venv) and runs the tests
# headless, on both back ends:
#   1. the whole suite on SQLite (the default), with a throw-away PostgreSQL cluster up so
#      the tests/test_pg_*.py tests (server archives, two-seat concurrency, search parity,
#      backup/restore/migrate) run against a real server;
#   2. the tests marked `backends` again, with every archive they create on that server
#      (-m backends, EVIDENCE_DESK_TEST_BACKEND=postgresql; tests about SQLite itself skip,
#      saying why).
# Before the tests, scripts/lint.sh runs ruff and mypy; a finding fails the run.
# Both passes run two test processes (pytest-xdist, -n 2: CI has two cores and many tests
# wait on LibreOffice, watchers and servers). Arguments go to pytest (both passes).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen

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

echo "== lint: ruff and mypy"
bash scripts/lint.sh

# Compile our modules once: where PYTHONDONTWRITEBYTECODE is set (this machine's shells),
# every command-line test's new process would otherwise recompile every module it imports.
PYTHONDONTWRITEBYTECODE= .venv/bin/python -m compileall -q desktop storage ui exporters resources >/dev/null

status=0
echo "== pass 1: the whole suite on SQLite$([ $PG_UP = 1 ] && echo ', server tests on PostgreSQL')"
.venv/bin/python -m pytest -q -p no:cacheprovider -n 2 --durations=15 "$@" || status=$?

if [ $PG_UP = 1 ]; then
  echo "== pass 2: the storage tests with every archive on PostgreSQL"
  EVIDENCE_DESK_TEST_BACKEND=postgresql .venv/bin/python -m pytest -q -p no:cacheprovider -n 2 \
    -m backends "$@" || { s=$?; [ $status = 0 ] && status=$s; }
fi
exit $status
