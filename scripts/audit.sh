#!/usr/bin/env bash
# Known vulnerabilities in the locked dependencies fail the build.
#
# Python: exactly what uv.lock pins (with hashes), looked up in PyPI's
# vulnerability feed; --strict fails when a package cannot be looked up, so an
# unreachable feed never passes as "no known vulnerabilities".
# npm: the test tools in package-lock.json.
# STPROGRAM_SKIP_AUDIT=1 skips both, loudly, where the feeds are unreachable.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${STPROGRAM_SKIP_AUDIT:-}" == "1" ]]; then
  echo "!! dependency audit SKIPPED (STPROGRAM_SKIP_AUDIT=1)" >&2
  exit 0
fi

requirements=$(mktemp)
trap 'rm -f "$requirements"' EXIT
UV_PYTHON_DOWNLOADS=never .bootstrap/bin/uv export --frozen --quiet \
  --format requirements-txt --no-emit-project >"$requirements"
.venv/bin/pip-audit --disable-pip --require-hashes --strict --progress-spinner off \
  -r "$requirements"

npm audit --package-lock-only --audit-level=low
