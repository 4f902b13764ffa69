#!/usr/bin/env bash
# Install the Debian packages a group of commands needs, only those missing.
#   scripts/system-deps.sh run    # WeasyPrint's libraries, gettext
#   scripts/system-deps.sh test   # + PostgreSQL, Redis, Chromium, poppler, nginx, and npm (for axe-core)
set -euo pipefail

run_pkgs=(gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
test_pkgs=(postgresql redis-server chromium poppler-utils nginx)

wanted=("${run_pkgs[@]}")
if [ "${1:-run}" = "test" ]; then
  wanted+=("${test_pkgs[@]}")
  # npm installs axe-core for the accessibility checks; Debian's will do if none is on PATH.
  command -v npm >/dev/null || wanted+=(nodejs npm)
fi

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installerar systempaket: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
