#!/usr/bin/env bash
# The whole suite: lint, dependency audit, tests on SQLite, tests on PostgreSQL (+ Redis), browser smoke tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/system-deps.sh test
PY=.venv/bin/python
# Tests that read ../shared (seeds, spec, official forms) fail here, not skip, when it is missing.
export STPROGRAM_REQUIRE_SHARED=1

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

echo "== dependency audit (pip-audit, npm audit)"
scripts/audit.sh

echo "== migrations are up to date"
$PY manage.py makemigrations --check --dry-run -v0

source scripts/services.sh
start_postgres
start_redis

echo "== tests on SQLite"
$PY -m pytest -m "not browser" -n 2 -q

echo "== tests on PostgreSQL with Redis"
DATABASE_URL="$TEST_DATABASE_URL" REDIS_URL="$TEST_REDIS_URL" \
  $PY -m pytest -m "not browser" -n 2 --dist loadgroup -q

echo "== browser tests (headless Chromium, axe-core)"
# axe-core comes from npm, pinned by the committed package-lock.json.
[ -d node_modules/axe-core ] || npm ci --no-audit --no-fund
$PY -m pytest -m browser -q -p no:xdist
