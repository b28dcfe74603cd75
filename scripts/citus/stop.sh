#!/usr/bin/env bash
# Stops the Citus cluster scripts/citus/start.sh started (its three PostgreSQL clusters). With
# --drop, also deletes them (their data is gone).
set -euo pipefail
PG_MAJOR=15
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
for name in citus-coord citus-w1 citus-w2; do
  [ -f "/etc/postgresql/$PG_MAJOR/$name/postgresql.conf" ] || continue
  as_root pg_ctlcluster "$PG_MAJOR" "$name" stop 2>/dev/null || true
  if [ "${1:-}" = --drop ]; then as_root pg_dropcluster "$PG_MAJOR" "$name"; fi
done
