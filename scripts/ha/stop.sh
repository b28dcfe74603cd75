#!/usr/bin/env bash
# Stops what scripts/ha/start.sh started (the server by its recorded process group, both
# PostgreSQL clusters by their data directories) and removes $SPROUT_HA_DIR.
set -uo pipefail
source "$(dirname "$0")/env.sh"
if [ -f "$HA_DIR/serve.pid" ]; then
  pid=$(cat "$HA_DIR/serve.pid")
  kill -- "-$pid" 2> /dev/null || kill "$pid" 2> /dev/null
  for _ in $(seq 1 20); do kill -0 "$pid" 2> /dev/null || break; sleep 0.5; done
  kill -9 -- "-$pid" 2> /dev/null
fi
for node in primary standby; do
  if [ -f "$HA_DIR/$node/postmaster.pid" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$HA_DIR/$node" -m immediate -w stop > /dev/null 2>&1 || true
  fi
done
rm -rf "$HA_DIR"
echo "stopped and removed $HA_DIR"
