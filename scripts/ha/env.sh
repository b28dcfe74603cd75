# Shared settings of scripts/ha/*.sh (sourced, not run). Everything lives under $SPROUT_HA_DIR and
# listens on loopback only, on ports away from the main cluster's 5432.
SPROUT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HA_DIR=${SPROUT_HA_DIR:-/tmp/sprout-ha}
PRIMARY_PORT=${SPROUT_HA_PRIMARY_PORT:-5451}
STANDBY_PORT=${SPROUT_HA_STANDBY_PORT:-5452}
APP_PORT=${SPROUT_HA_APP_PORT:-3451}
PG_BIN=${SPROUT_HA_PG_BIN:-/usr/lib/postgresql/15/bin}
NODE="$SPROUT_ROOT/node_modules/.bin/node"
# The application's view: both hosts, the writable one wanted; reports from the standby when it is up.
export DATABASE_URL="postgres://sprout@127.0.0.1:$PRIMARY_PORT,127.0.0.1:$STANDBY_PORT/sprout?target_session_attrs=read-write"
export DATABASE_READ_URL="postgres://sprout@127.0.0.1:$STANDBY_PORT,127.0.0.1:$PRIMARY_PORT/sprout?target_session_attrs=prefer-standby"
export SPROUT_AUDIT_DIR="$HA_DIR/audit"

# PostgreSQL refuses to run as root: as root, its programs run as the postgres user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
psql_at() { # psql_at PORT SQL
  as_pg "$PG_BIN/psql" -X -q -At -h 127.0.0.1 -p "$1" -U sprout -d sprout -c "$2"
}
