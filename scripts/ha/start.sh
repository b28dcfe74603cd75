#!/usr/bin/env bash
# Starts on loopback a PostgreSQL 15 primary (port 5451) and a synchronous hot standby streaming
# from it (5452), made with pg_basebackup -R, then `sprout serve` (port 3451) on the host list
# DATABASE_URL=postgres://…:5451,…:5452/sprout?target_session_attrs=read-write, reading reports from
# the standby (DATABASE_READ_URL). Never touches the main cluster at 5432.
#
# Usage: scripts/ha/start.sh            (a demo book of $SPROUT_HA_DEMO_ENTERPRISES enterprises, default 30)
#        SPROUT_HA_NO_SERVER=1 scripts/ha/start.sh   (the clusters only)
# Stop and remove everything: scripts/ha/stop.sh
set -euo pipefail
source "$(dirname "$0")/env.sh"

if [ -e "$HA_DIR/primary" ]; then
  echo "start.sh: $HA_DIR already holds a cluster; run scripts/ha/stop.sh first" >&2
  exit 1
fi
mkdir -p "$HA_DIR/audit"
[ "$(id -u)" = 0 ] && chown postgres "$HA_DIR"

# The primary: WAL for streaming, one synchronous standby by name, so a commit is acknowledged only
# once the standby has it on disk (synchronous_commit=on): a repayment answered 201 survives the
# primary's loss.
as_pg "$PG_BIN/initdb" -D "$HA_DIR/primary" -U sprout --auth=trust --no-instructions -E UTF8 --locale=C.UTF-8 > "$HA_DIR/initdb.log"
cat >> "$HA_DIR/primary/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PRIMARY_PORT
unix_socket_directories = '$HA_DIR'
wal_level = replica
max_wal_senders = 5
wal_keep_size = '256MB'
hot_standby = on
synchronous_standby_names = 'FIRST 1 (standby1)'
synchronous_commit = on
max_connections = 60
shared_buffers = '64MB'
CONF
echo "host replication sprout 127.0.0.1/32 trust" >> "$HA_DIR/primary/pg_hba.conf"
# The standby is not there yet, and a synchronous primary waits for it on every commit: create the
# database with synchronous_commit off for that session.
as_pg "$PG_BIN/pg_ctl" -D "$HA_DIR/primary" -l "$HA_DIR/primary.log" -w start > /dev/null
as_pg "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PRIMARY_PORT" -U sprout -d postgres -c "set synchronous_commit = local" -c "create database sprout"

# The standby: a base backup streamed from the primary, -R writes standby.signal and primary_conninfo.
as_pg "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U sprout -D "$HA_DIR/standby" -R -X stream -c fast
# synchronous_standby_names off on the standby: once promoted it has no standby of its own, and it
# must not wait on every commit for one (attach a new standby, e.g. the old primary after pg_rewind).
cat >> "$HA_DIR/standby/postgresql.auto.conf" <<CONF
port = $STANDBY_PORT
synchronous_standby_names = ''
primary_conninfo = 'host=127.0.0.1 port=$PRIMARY_PORT user=sprout application_name=standby1'
CONF
as_pg "$PG_BIN/pg_ctl" -D "$HA_DIR/standby" -l "$HA_DIR/standby.log" -w start > /dev/null

for _ in $(seq 1 60); do
  state=$(psql_at "$PRIMARY_PORT" "select sync_state from pg_stat_replication where application_name = 'standby1'" || true)
  [ "$state" = sync ] && break
  sleep 0.5
done
if [ "${state:-}" != sync ]; then
  echo "start.sh: the standby did not become synchronous (state '${state:-none}'); see $HA_DIR/standby.log" >&2
  exit 1
fi
echo "primary 127.0.0.1:$PRIMARY_PORT, synchronous hot standby 127.0.0.1:$STANDBY_PORT (standby1: $state), data in $HA_DIR"

[ "${SPROUT_HA_NO_SERVER:-}" = 1 ] && exit 0
cd "$SPROUT_ROOT"
# Rate limiting off: the drill's load comes from one address (in production a load balancer limits).
export SPROUT_RATE_LIMIT=${SPROUT_RATE_LIMIT:-off}
# setsid: the server in its own process group, so stop.sh ends it and its children by one id.
setsid "$NODE" bin/sprout.js serve --mode demo --port "$APP_PORT" --demo-enterprises "${SPROUT_HA_DEMO_ENTERPRISES:-30}" --demo-months "${SPROUT_HA_DEMO_MONTHS:-3}" \
  > "$HA_DIR/serve.log" 2>&1 < /dev/null &
echo $! > "$HA_DIR/serve.pid"
for _ in $(seq 1 1200); do
  # Logins exist once the demo is ready; trying before would only spend the login rate limit.
  if grep -q 'Demo ready' "$HA_DIR/serve.log" 2> /dev/null && curl -sf -o /dev/null -X POST "http://127.0.0.1:$APP_PORT/v1/auth/token" -H 'content-type: application/json' -d '{"username":"operator","password":"operator-demo"}'; then
    echo "sprout serve on http://127.0.0.1:$APP_PORT (pid $(cat "$HA_DIR/serve.pid")), DATABASE_URL=$DATABASE_URL"
    exit 0
  fi
  if ! kill -0 "$(cat "$HA_DIR/serve.pid")" 2> /dev/null; then
    echo "start.sh: sprout serve exited; see $HA_DIR/serve.log" >&2
    exit 1
  fi
  sleep 1
done
echo "start.sh: sprout serve did not answer a demo login in 20 minutes; see $HA_DIR/serve.log" >&2
exit 1
