#!/usr/bin/env bash
# Point-in-time-recovery drill for Sprout on PostgreSQL (docs/operations.md, "Backup and restore").
#
# Starts a throwaway PostgreSQL 15 cluster on another port with WAL archiving, loads a small demo
# book through sprout, takes a base backup (pg_basebackup), closes a day (change A), notes the time
# T, closes another day (change B), destroys the cluster, restores the base backup with
# recovery_target_time = T, and checks that the trial balance and `sprout audit verify` are those
# at T: A is there, B is not. Prints PASS with the figures and exits 0, or FAIL and exits 1.
#
# Outside the default CI run (it takes minutes). Needs Debian's postgresql-15 packages; as root it
# runs PostgreSQL as the postgres user.
#
#   scripts/backup/pitr-drill.sh                 # port 55432, a new directory under /tmp, removed after
#   PITR_PORT=55433 PITR_KEEP=1 scripts/backup/pitr-drill.sh
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PORT=${PITR_PORT:-55432}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
WORK=$(mktemp -d /tmp/sprout-pitr.XXXXXX)
PGDATA="$WORK/cluster"
ARCHIVE="$WORK/archive"
BASE="$WORK/base"
NODE="$ROOT/node_modules/.bin/node"
[ -x "$NODE" ] || NODE=node

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
log() { printf '%s  %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
psql_() { "$PGBIN/psql" -X -q -At -h 127.0.0.1 -p "$PORT" -U postgres -d sprout -v ON_ERROR_STOP=1 -c "$1"; }

export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/sprout"
export SPROUT_AUDIT_DIR="$WORK/audit"
export SPROUT_MODE=demo
unset SPROUT_AUDIT_KEY
sprout() { "$NODE" "$ROOT/bin/sprout.js" "$@"; }

cleanup() {
  as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate stop >/dev/null 2>&1 || true
  if [ "${PITR_KEEP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

started=$(date +%s)
mkdir -p "$ARCHIVE"
[ "$(id -u)" = 0 ] && chown postgres "$WORK" "$ARCHIVE"

log "1. a PostgreSQL 15 cluster on port $PORT with WAL archiving to $ARCHIVE"
as_postgres "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
cat >>"$PGDATA/postgresql.conf" <<CONF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$WORK'
wal_level = replica
archive_mode = on
archive_command = 'test ! -f $ARCHIVE/%f && cp %p $ARCHIVE/%f'
CONF
as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -l "$WORK/postgres.log" -w start >/dev/null
"$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres sprout

log "2. a small demo book through sprout"
sprout demo --enterprises 5 --months 1 --seed 7 >/dev/null
sprout audit checkpoint >/dev/null

log "3. base backup (pg_basebackup)"
"$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PORT" -U postgres -D "$BASE" -Fp -X stream -c fast
[ "$(id -u)" = 0 ] && chown -R postgres "$BASE"

log "4. change A (close a day), then note the time T"
sprout eod run --next --no-monitor >/dev/null
TB_A=$(sprout ledger trial-balance --format json)
VERIFY_A=$(sprout audit verify --format json)
sleep 1
T=$(psql_ "select now()")
sleep 1

log "5. change B after T (close another day)"
sprout eod run --next --no-monitor >/dev/null
TB_B=$(sprout ledger trial-balance --format json)
[ "$TB_A" != "$TB_B" ] || { echo "FAIL: change B did not change the trial balance" >&2; exit 1; }
# Every WAL segment up to now in the archive (what a crash would leave with archive_timeout set).
SEGMENT=$(psql_ "select pg_walfile_name(pg_switch_wal())")
for _ in $(seq 1 60); do
  [ -f "$ARCHIVE/$SEGMENT" ] && break
  sleep 1
done
[ -f "$ARCHIVE/$SEGMENT" ] || { echo "FAIL: $SEGMENT never reached the archive" >&2; exit 1; }

log "6. destroy the cluster (kill -9 and delete its directory)"
as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate stop >/dev/null
rm -rf "$PGDATA"

log "7. restore the base backup and replay the archive to T = $T"
cp -a "$BASE" "$PGDATA"
cat >>"$PGDATA/postgresql.conf" <<CONF
archive_mode = off
restore_command = 'cp $ARCHIVE/%f %p'
recovery_target_time = '$T'
recovery_target_action = 'promote'
CONF
as_postgres touch "$PGDATA/recovery.signal"
recovery_started=$(date +%s.%N)
as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -l "$WORK/postgres-restore.log" -w -t 300 start >/dev/null
for _ in $(seq 1 300); do
  [ "$(psql_ "select pg_is_in_recovery()" 2>/dev/null)" = f ] && break
  sleep 1
done
recovery_seconds=$(echo "$(date +%s.%N) - $recovery_started" | bc)

log "8. the audit checkpoints outside the database: keep those the restored trail records"
LAST=$(psql_ "select coalesce(max((\"after\"->>'seq')::int), 0) from audit_event where action = 'audit.checkpoint'")
cp "$SPROUT_AUDIT_DIR/checkpoints.jsonl" "$WORK/checkpoints.before-pitr.jsonl"
head -n "$LAST" "$WORK/checkpoints.before-pitr.jsonl" >"$SPROUT_AUDIT_DIR/checkpoints.jsonl"

log "9. check: trial balance and audit verification are those at T"
TB_R=$(sprout ledger trial-balance --format json)
set +e
VERIFY_R=$(sprout audit verify --format json)
set -e
field() { "$NODE" -e 'const o = JSON.parse(process.argv[1]); console.log(process.argv[2].split(".").reduce((v, k) => v?.[k], o))' "$1" "$2"; }
status=PASS
[ "$TB_R" = "$TB_A" ] || status=FAIL
[ "$VERIFY_R" = "$VERIFY_A" ] || status=FAIL
[ "$(field "$VERIFY_R" intact)" = true ] || status=FAIL
cat <<REPORT
$status: point-in-time recovery to $T
  trial balance at T (change A):   debits $(field "$TB_A" totalDebit) = credits $(field "$TB_A" totalCredit)
  trial balance after B (lost):    debits $(field "$TB_B" totalDebit)
  trial balance restored:          debits $(field "$TB_R" totalDebit) = credits $(field "$TB_R" totalCredit) ($([ "$TB_R" = "$TB_A" ] && echo identical to T || echo DIFFERENT))
  audit verify at T:               $(field "$VERIFY_A" events) records, intact $(field "$VERIFY_A" intact), checkpoint $(field "$VERIFY_A" checkpoint.seq)
  audit verify restored:           $(field "$VERIFY_R" events) records, intact $(field "$VERIFY_R" intact), checkpoint $(field "$VERIFY_R" checkpoint.seq) ($([ "$VERIFY_R" = "$VERIFY_A" ] && echo identical to T || echo DIFFERENT))
  checkpoints kept: $LAST of $(wc -l <"$WORK/checkpoints.before-pitr.jsonl"); WAL segments archived: $(ls "$ARCHIVE" | grep -c '^[0-9A-F]\{24\}$'); recovery (start to promoted): ${recovery_seconds} s; drill: $(( $(date +%s) - started )) s
REPORT
[ "$status" = PASS ]
