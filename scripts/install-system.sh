#!/usr/bin/env bash
# Install what Kopā needs from the system: PostgreSQL + PostGIS, Node.js/npm, Python venv,
# and (with --browser) Debian's chromium for the browser tests. Debian/Ubuntu only;
# elsewhere it prints exactly what to install and stops.
set -euo pipefail

want_browser=0
[ "${1:-}" = "--browser" ] && want_browser=1

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
fi

need=()
have() { command -v "$1" >/dev/null 2>&1; }

pg_major() {
  if have pg_lsclusters; then pg_lsclusters -h 2>/dev/null | awk 'NR==1 {print $1}'; fi
}

postgis_installed() {
  local v; v=$(pg_major)
  [ -n "$v" ] && ls "/usr/share/postgresql/$v/extension/postgis.control" >/dev/null 2>&1
}

python_ok() { python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }

have psql && [ -n "$(pg_major)" ] || need+=(postgresql postgresql-contrib)
postgis_installed || need+=("POSTGIS")
have npm || need+=(nodejs npm)
python_ok || need+=(python3 python3-venv python3-dev)
have msgfmt || need+=(gettext)
if [ "$want_browser" = 1 ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
fi

[ ${#need[@]} -eq 0 ] && exit 0

if ! have apt-get; then
  cat >&2 <<MSG
Kopā needs, and could not install on this system (no apt-get):
  - PostgreSQL 13+ with PostGIS 3 (extensions postgis, pg_trgm, unaccent, citext)
  - Python 3.11+ with venv, Node.js with npm, gettext
  - for 'make test' also Chromium at /usr/bin/chromium (or set KOPA_CHROMIUM)
Install them with your package manager, or set DATABASE_URL to a PostGIS database you have,
then run 'make run' again.
MSG
  exit 1
fi
if [ "$(id -u)" -ne 0 ] && [ -z "$SUDO" ]; then
  echo "Kopā needs these system packages: ${need[*]} (PostGIS as postgresql-<version>-postgis-3)." >&2
  echo "Run as root:  apt-get update && apt-get install -y ${need[*]/POSTGIS/postgresql-postgis}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
packages=()
for p in "${need[@]}"; do [ "$p" != POSTGIS ] && packages+=("$p"); done
[ ${#packages[@]} -gt 0 ] && $SUDO apt-get install -y -q "${packages[@]}"
if ! postgis_installed; then
  v=$(pg_major)
  if [ -z "$v" ]; then v=$(ls /usr/lib/postgresql | sort -n | tail -1); fi
  $SUDO apt-get install -y -q "postgresql-$v-postgis-3"
fi
