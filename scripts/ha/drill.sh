#!/usr/bin/env bash
# The failover drill (outside the default CI run; results in docs/operations.md, "Failover drill").
#
#  1. scripts/ha/start.sh: a primary, a synchronous hot standby and `sprout serve` on them.
#  2. Repayment and drawdown load through the HTTP API (scripts/ha/load.ts, Idempotency-Keys,
#     every 2xx recorded; a 503 retried with the same key after its Retry-After).
#  3. After $SPROUT_DRILL_LOAD_SECONDS (default 20) of load, the primary's postmaster and all its
#     processes get SIGKILL; $SPROUT_DRILL_DETECT_SECONDS later (default 3, the time a monitor takes
#     to decide) the standby is promoted (pg_ctl promote). The server is not restarted: its host
#     list finds the promoted standby by itself.
#  4. The load runs $SPROUT_DRILL_AFTER_SECONDS more (default 20), then stops.
#  5. Proof (scripts/ha/check.ts): every 2xx is in the promoted database with the answer the client
#     got; the switch answered 503 with Retry-After and no 500; `sprout ledger reconcile` and
#     `sprout audit verify` pass on the promoted database; recovery seconds from the kill to the
#     first 2xx after the last 503.
#
# Usage: scripts/ha/drill.sh   (SPROUT_DRILL_KEEP=1 leaves the clusters and server running)
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$SPROUT_ROOT"
LOAD_SECONDS=${SPROUT_DRILL_LOAD_SECONDS:-20}
DETECT_SECONDS=${SPROUT_DRILL_DETECT_SECONDS:-3}
AFTER_SECONDS=${SPROUT_DRILL_AFTER_SECONDS:-20}
WORKERS=${SPROUT_DRILL_WORKERS:-4}
now_ms() { date +%s%3N; }

cleanup() { [ "${SPROUT_DRILL_KEEP:-}" = 1 ] || scripts/ha/stop.sh > /dev/null; }
trap cleanup EXIT

scripts/ha/start.sh
BASE="http://127.0.0.1:$APP_PORT"
echo "before: reports read from the standby: $(curl -sf "$BASE/v1/reports/portfolio" -H "authorization: Bearer $(curl -sf -X POST "$BASE/v1/auth/token" -H 'content-type: application/json' -d '{"username":"management","password":"management-demo"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')" | grep -o '"readFrom":{[^}]*}')"

rm -f "$HA_DIR/load.stop"
"$NODE" --import tsx scripts/ha/load.ts "$BASE" "$HA_DIR/load.json" "$HA_DIR/load.stop" "$WORKERS" 2> "$HA_DIR/load.log" &
LOAD_PID=$!
# The load's own start (tsx, a login, the lines and loans) is not load: wait for its workers.
until [ -f "$HA_DIR/load.json.started" ]; do
  kill -0 "$LOAD_PID" 2> /dev/null || { echo "drill.sh: the load exited; see $HA_DIR/load.log" >&2; cat "$HA_DIR/load.log" >&2; exit 1; }
  sleep 0.5
done
sleep "$LOAD_SECONDS"

PRIMARY_PID=$(head -1 "$HA_DIR/primary/postmaster.pid")
KILLED_AT=$(now_ms)
# The server lost: the postmaster and every backend at once, no shutdown, no checkpoint.
kill -KILL "$PRIMARY_PID" $(pgrep -P "$PRIMARY_PID") 2> /dev/null || true
echo "$(date -u +%T) SIGKILL to the primary (postmaster $PRIMARY_PID and its processes)"
sleep "$DETECT_SECONDS"
as_pg "$PG_BIN/pg_ctl" -D "$HA_DIR/standby" -w promote > /dev/null
PROMOTED_AT=$(now_ms)
echo "$(date -u +%T) standby promoted ($(( PROMOTED_AT - KILLED_AT )) ms after the kill)"
sleep "$AFTER_SECONDS"
touch "$HA_DIR/load.stop"
wait "$LOAD_PID"
cat "$HA_DIR/load.log"

PROMOTED="postgres://sprout@127.0.0.1:$STANDBY_PORT/sprout"
status=0
if kill -0 "$(cat "$HA_DIR/serve.pid")" 2> /dev/null; then
  echo "sprout serve is still running (it was never restarted)"
else
  echo "sprout serve DIED during the drill; see $HA_DIR/serve.log" >&2
  status=1
fi
"$NODE" --import tsx scripts/ha/check.ts "$HA_DIR/load.json" "$KILLED_AT" "$PROMOTED_AT" "$PROMOTED" > "$HA_DIR/drill.json" || status=1
cat "$HA_DIR/drill.json"
# Kept after stop.sh removes $HA_DIR.
cp "$HA_DIR/drill.json" "${HA_DIR%/}-drill.json"
echo "ledger reconcile on the promoted database:"
DATABASE_URL=$PROMOTED "$NODE" bin/sprout.js ledger reconcile || status=1
echo "audit verify on the promoted database:"
DATABASE_URL=$PROMOTED "$NODE" bin/sprout.js audit verify || status=1
echo "load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
if [ "$status" = 0 ]; then echo "drill passed"; else echo "drill FAILED" >&2; fi
exit "$status"
