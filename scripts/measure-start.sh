#!/bin/bash
# Seconds from `npm start` on a fresh, empty data directory until the web app answers and a demo
# login works (docs/benchmarks.md, "The demo at npm start"). Usage: scripts/measure-start.sh [port]
set -u
DIR=$(mktemp -d)
PORT=${1:-3931}
START=$(date +%s.%N)
npm start --silent -- --data-dir "$DIR" --port "$PORT" > "$DIR.out" 2> "$DIR.err" &
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/"; do sleep 0.2; done
PAGE=$(date +%s.%N)
curl -sf -X POST "http://127.0.0.1:$PORT/v1/auth/token" -H 'content-type: application/json' -d '{"username":"management","password":"management-demo"}' > /dev/null
LOGIN=$(date +%s.%N)
echo "page answers after $(echo "$PAGE - $START" | bc) s; demo login after $(echo "$LOGIN - $START" | bc) s; load average $(cut -d' ' -f1 /proc/loadavg)"
tr '\r' '\n' < "$DIR.err" | grep 'Demo book ready'
# Stop the server this script started (found by its unique data directory), then clean up.
for pid in $(pgrep -f -- "--data-dir $DIR"); do kill "$pid"; done
sleep 1
rm -rf "$DIR" "$DIR.out" "$DIR.err"
