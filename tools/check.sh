#!/usr/bin/env bash
# The checks CI makes before the tests, in its order: lint (ruff check, notebooks too),
# format (ruff format --check), types (mypy, settings in pyproject.toml) and layers
# (lint-imports, contracts in pyproject.toml). Every check runs; the exit status is 1 if
# any failed.
#
#   tools/check.sh [BIN]
#
# BIN is the bin directory of a virtual environment with the [test] extra installed
# (default: .venv/bin when it has ruff, else the tools on PATH). runesim itself need not be
# installed there: the checks import `sim` from this checkout.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
BIN="${1:-}"
if [ -z "$BIN" ] && [ -x .venv/bin/ruff ]; then BIN=.venv/bin; fi
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"

tool() { if [ -n "$BIN" ]; then echo "$BIN/$1"; else echo "$1"; fi; }
failed=()
check() {
  local name=$1
  shift
  echo "== $name"
  "$@" || failed+=("$name")
}

check "ruff check" "$(tool ruff)" check sim tests bench docs tools notebooks
check "ruff format" "$(tool ruff)" format --check sim tests bench docs tools notebooks
check "mypy" "$(tool mypy)"
check "lint-imports" "$(tool lint-imports)"

if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}"
  exit 1
fi
echo "all checks passed"
