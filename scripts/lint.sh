#!/usr/bin/env bash
# Lint and type checks, exactly as CI runs them (scripts/test.sh calls this; so can a clerk's
# developer before a commit, or pre-commit through .pre-commit-config.yaml):
#   ruff check .                          (rules in pyproject.toml [tool.ruff*])
#   mypy desktop storage exporters ui     (settings in pyproject.toml [tool.mypy*])
# Prints one line per tool with its count of findings; exits non-zero if either found any.
# The tools come from .venv (bash scripts/setup.sh); VENV=/path/to/venv to use another.
set -uo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
status=0

ruff_out=$("$VENV/bin/ruff" check . --output-format concise 2>&1)
ruff_rc=$?
ruff_n=$(printf '%s\n' "$ruff_out" | grep -cE '^[^:]+:[0-9]+:[0-9]+: ')
if [ "$ruff_rc" -ne 0 ]; then
  printf '%s\n' "$ruff_out" | grep -E '^[^:]+:[0-9]+:[0-9]+: '
  [ "$ruff_n" -eq 0 ] && printf '%s\n' "$ruff_out"   # ruff itself failed (config, crash)
  status=1
fi
echo "lint.sh: ruff: $ruff_n finding(s)"

mypy_out=$("$VENV/bin/mypy" desktop storage exporters ui 2>&1)
mypy_rc=$?
mypy_n=$(printf '%s\n' "$mypy_out" | grep -cE '^[^:]+:[0-9]+: error:')
if [ "$mypy_rc" -ne 0 ]; then
  printf '%s\n' "$mypy_out" | grep -E '^[^:]+:[0-9]+: error:'
  [ "$mypy_n" -eq 0 ] && printf '%s\n' "$mypy_out"   # mypy itself failed (config, crash)
  status=1
fi
echo "lint.sh: mypy: $mypy_n error(s)"

exit $status
