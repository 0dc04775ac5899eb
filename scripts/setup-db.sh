#!/usr/bin/env bash
# Make sure PostgreSQL runs and the database(s) exist with their extensions.
# Usage: scripts/setup-db.sh DBNAME [DBNAME…]   (role and password: kopa/kopa, local only)
set -euo pipefail

if [ -n "${DATABASE_URL:-}" ] && [ "${KOPA_SKIP_DB_SETUP:-}" = 1 ]; then exit 0; fi

SUDO=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"

# Start the local cluster if it is installed but stopped.
if command -v pg_lsclusters >/dev/null 2>&1; then
  pg_lsclusters -h | while read -r version cluster port status _; do
    if [ "$status" != "online" ]; then
      $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start || \
        $SUDO pg_ctlcluster "$version" "$cluster" start
    fi
  done
fi

# Superuser access: trust over TCP (CI machines) or peer auth as the postgres user.
as_admin() {
  if psql -h 127.0.0.1 -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; then
    psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 "$@"
  elif [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- psql -v ON_ERROR_STOP=1 "$@"
  else
    sudo -u postgres psql -v ON_ERROR_STOP=1 "$@"
  fi
}

for _ in $(seq 1 30); do as_admin -d postgres -tAc 'select 1' >/dev/null 2>&1 && break; sleep 1; done

# A local development role. It is a superuser so tests can create per-worker databases
# with PostGIS; production uses a least-privilege role (see README).
as_admin -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname='kopa'" | grep -q 1 || \
  as_admin -d postgres -c "CREATE ROLE kopa LOGIN SUPERUSER PASSWORD 'kopa'"

for db in "$@"; do
  as_admin -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1 || \
    as_admin -d postgres -c "CREATE DATABASE \"$db\" OWNER kopa"
  as_admin -d "$db" -c "CREATE EXTENSION IF NOT EXISTS postgis; CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE EXTENSION IF NOT EXISTS unaccent; CREATE EXTENSION IF NOT EXISTS citext;" >/dev/null
done
