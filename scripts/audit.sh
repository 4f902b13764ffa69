#!/usr/bin/env bash
# Known vulnerabilities in the locked dependencies fail the build.
#
# Python: exactly what uv.lock pins (with hashes), looked up by pip-audit in
# PyPI's vulnerability feed. npm: the test tools in package-lock.json.
# A known vulnerability fails. A feed that cannot be reached at all (a closed
# network) is reported loudly as "not audited" and does not fail the build:
# it says nothing about the dependencies. scripts/audit_report.py decides.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
UV_PYTHON_DOWNLOADS=never .bootstrap/bin/uv export --frozen --quiet \
  --format requirements-txt --no-emit-project >"$work/requirements.txt"
.venv/bin/pip-audit --disable-pip --require-hashes --progress-spinner off \
  -f json -r "$work/requirements.txt" >"$work/pip.json" 2>"$work/pip.err" || true
npm audit --package-lock-only --json >"$work/npm.json" 2>/dev/null || true

.venv/bin/python scripts/audit_report.py "$work/pip.json" "$work/npm.json" "$work/pip.err"
