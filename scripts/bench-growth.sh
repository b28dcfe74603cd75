#!/bin/bash
# The growth table of docs/benchmarks.md (issue 21): `sprout bench growth` once per size and
# backend, one at a time, each on a fresh database it drops afterwards. One JSON line per run on
# stdout (the row, plus `uptime` before it); the runs' progress and /usr/bin/time -v on stderr.
#
#   scripts/bench-growth.sh                      # 10,000 100,000 1,000,000 on PostgreSQL and PGlite
#   SIZES="10000 100000" BACKENDS=pglite scripts/bench-growth.sh
#   WORKERS=2 PG_ADMIN_URL=postgres://root@127.0.0.1:5433/postgres BACKENDS=postgres scripts/bench-growth.sh
#
# WORKERS: end-of-day workers on PostgreSQL (default 1; PGlite always runs one).
# PostgreSQL: a database `${PREFIX}_N` on $PG_ADMIN_URL's server (created, dropped). PGlite: a data
# directory under $TMPDIR, created and migrated by another sprout process first, so the growth run's
# peak RSS is the book's and not the 1.1 GB that creating a PGlite cluster peaks at; removed after.
set -u
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"10000 100000 1000000"}
BACKENDS=${BACKENDS:-"postgres pglite"}
PG_ADMIN_URL=${PG_ADMIN_URL:-postgres://root@127.0.0.1:5432/postgres}
PREFIX=${PREFIX:-bench_growth}
WORKERS=${WORKERS:-1}
NODE=node_modules/.bin/node
TIME=$([ -x /usr/bin/time ] && echo "/usr/bin/time -v" || echo "")

for n in $SIZES; do
  for backend in $BACKENDS; do
    echo "{\"uptime\":\"$(uptime | sed 's/.*load/load/')\",\"at\":\"$(date -u +%FT%TZ)\"}"
    if [ "$backend" = postgres ]; then
      db=${PREFIX}_$n
      url=${PG_ADMIN_URL%/*}/$db
      psql "$PG_ADMIN_URL" -q -c "drop database if exists $db" -c "create database $db" >&2
      DATABASE_URL=$url $TIME $NODE bin/sprout.js bench growth --loans "$n" --workers "$WORKERS" --format json
      psql "$PG_ADMIN_URL" -q -c "drop database $db" >&2
    else
      dir=$(mktemp -d "${TMPDIR:-/tmp}/${PREFIX}_pglite_$n.XXXXXX")
      DATABASE_URL= $NODE bin/sprout.js ledger reconcile --data-dir "$dir/data" > /dev/null
      DATABASE_URL= $TIME $NODE bin/sprout.js bench growth --loans "$n" --data-dir "$dir/data" --format json
      rm -rf "$dir"
    fi
  done
done
