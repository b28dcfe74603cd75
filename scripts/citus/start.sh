#!/usr/bin/env bash
# Starts a Citus cluster on this machine's loopback: a coordinator (port 5441) and two workers
# (5442, 5443), each its own Debian PostgreSQL 15 cluster (citus-coord, citus-w1, citus-w2), apart
# from the main cluster at 5432. Installs Citus from ../shared/citus/install.sh when it is missing
# (CITUS_DIR overrides). Idempotent: clusters that exist are started, nodes already added are kept.
# Creates the database CITUS_DB (default "test") with the extension on every node, and adds the
# workers. Stop with scripts/citus/stop.sh. Needs root (or sudo).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
CITUS_DIR=${CITUS_DIR:-$here/../../../shared/citus}
[ -d "$CITUS_DIR" ] || CITUS_DIR=/work/shared/citus
PG_MAJOR=15
COORD_PORT=${CITUS_COORDINATOR_PORT:-5441}
WORKER_PORTS=(${CITUS_WORKER_PORTS:-5442 5443})
DB=${CITUS_DB:-test}
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -f "/usr/share/postgresql/$PG_MAJOR/extension/citus.control" ]; then
  as_root "$CITUS_DIR/install.sh"
fi

# Superuser to connect as: root where the machine has that role (as here), else postgres.
user=${CITUS_USER:-}

start_node() { # name port
  local name=$1 port=$2 conf=/etc/postgresql/$PG_MAJOR/$1/postgresql.conf
  if [ ! -f "$conf" ]; then
    as_root pg_createcluster "$PG_MAJOR" "$name" -p "$port" -- --auth-local=trust --auth-host=trust >/dev/null
    as_root tee -a "$conf" >/dev/null <<CONF
shared_preload_libraries = 'citus'
listen_addresses = '127.0.0.1'
max_connections = 300
# Test clusters: a crash may lose the last commits, never consistency.
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 64MB
CONF
  fi
  if ! pg_isready -q -h 127.0.0.1 -p "$port"; then
    as_root pg_ctlcluster --skip-systemctl-redirect "$PG_MAJOR" "$name" start 2>/dev/null || as_root pg_ctlcluster "$PG_MAJOR" "$name" start
  fi
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 1; done
  pg_isready -q -h 127.0.0.1 -p "$port" || { echo "node $name on $port did not start" >&2; exit 1; }
  # A role for the calling user (root here), as the main cluster has.
  if [ -z "$user" ]; then user=$(id -un); fi
  if [ "$user" != postgres ]; then
    as_root runuser -u postgres -- psql -q -p "$port" -h 127.0.0.1 -d postgres -tAc \
      "do \$\$ begin if not exists (select 1 from pg_roles where rolname = '$user') then create role \"$user\" superuser login; end if; end \$\$" >/dev/null
  fi
  q "$port" postgres "select 1" >/dev/null
  if [ "$(q "$port" postgres "select 1 from pg_database where datname = '$DB'")" != 1 ]; then
    q "$port" postgres "create database \"$DB\"" >/dev/null
  fi
  q "$port" "$DB" "create extension if not exists citus" >/dev/null
}

q() { psql -X -q -h 127.0.0.1 -p "$1" -U "$user" -d "$2" -tAc "$3"; }

start_node citus-coord "$COORD_PORT"
i=1
for port in "${WORKER_PORTS[@]}"; do start_node "citus-w$i" "$port"; i=$((i + 1)); done

q "$COORD_PORT" "$DB" "select citus_set_coordinator_host('127.0.0.1', $COORD_PORT)" >/dev/null
# Multi-shard statements over one connection per node: Sprout's transactions modify local tables
# that reference reference tables after a multi-shard statement (docs/scaling.md). The migrations
# set it too; here so that sessions opened before the first migration have it.
q "$COORD_PORT" "$DB" "alter database \"$DB\" set citus.multi_shard_modify_mode to 'sequential'" >/dev/null
for port in "${WORKER_PORTS[@]}"; do
  if [ "$(q "$COORD_PORT" "$DB" "select count(*) from pg_dist_node where nodeport = $port")" = 0 ]; then
    q "$COORD_PORT" "$DB" "select citus_add_node('127.0.0.1', $port)" >/dev/null
  fi
done
echo "citus: coordinator 127.0.0.1:$COORD_PORT, workers ${WORKER_PORTS[*]}; DATABASE_URL=postgres://$user@127.0.0.1:$COORD_PORT/$DB"
q "$COORD_PORT" "$DB" "select nodename || ':' || nodeport || ' ' || noderole from pg_dist_node order by nodeport"
