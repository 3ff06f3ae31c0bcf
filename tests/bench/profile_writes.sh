#!/usr/bin/env bash
# Profiles rectifyd under durable progress reports (64 in flight, group commit) with `perf`
# (Debian package linux-perf; a developer tool, not a dependency): seeds a small ledger, starts
# rectifyd, records its CPU with call graphs while rectify-bench drives it, and prints the top
# functions by own time and by time including callees (the flame graph's widest frames).
#
# Usage: bash tests/bench/profile_writes.sh [BUILD_DIR] [SECONDS]    (default: build 10)
# Env: PERF_DATA=FILE keeps the recording (perf report -i FILE, or perf script for a flame graph).
# Needs perf permission: root, or kernel.perf_event_paranoid <= 1.
set -euo pipefail
BUILD=${1:-build}
SECS=${2:-10}
RECTIFYD=$BUILD/services/rectifyd/rectifyd
BENCH=$BUILD/tests/rectify-bench
SEED=$BUILD/tests/rectify-seed
command -v perf >/dev/null || { echo "profile_writes.sh: perf is missing: apt-get install linux-perf" >&2; exit 2; }
WORK=$(mktemp -d)
PID=""
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
DATA=${PERF_DATA:-$WORK/perf.data}
"$SEED" --db "$WORK/ledger.db" --tasks 200 --overdue 0 --hot_percent 0 >/dev/null
"$RECTIFYD" --db "$WORK/ledger.db" --listen 127.0.0.1:0 --port_file "$WORK/port" 2>"$WORK/server.log" &
PID=$!
for _ in $(seq 600); do [ -s "$WORK/port" ] && break; sleep 0.01; done
SERVER=127.0.0.1:$(cat "$WORK/port")
TOKEN=(--token_file "$WORK/rectify-admin.token")
# Warm up (the WAL reaches its working size), then record while the load runs.
"$BENCH" --server "$SERVER" "${TOKEN[@]}" --mode progress --concurrency 64 --seconds 1 \
  --tasks 1-200 --run-id warm >/dev/null
perf record -F 999 --call-graph dwarf,32768 -p "$PID" -o "$DATA" -- sleep "$SECS" 2>"$WORK/perf.log" &
perf_pid=$!
"$BENCH" --server "$SERVER" "${TOKEN[@]}" --mode progress --concurrency 64 --seconds "$SECS" \
  --tasks 1-200 --text_chars 30 --run-id prof
wait "$perf_pid" || true
echo "== own time (self), top 25 =="
# perf pads its columns to the widest symbol: trim them.
perf report -i "$DATA" --no-children --sort symbol --stdio -g none --percent-limit 0.5 2>/dev/null |
  grep -E '^ +[0-9]' | sed -E 's/ +-? +-? *$//' | cut -c1-160 | head -25
echo "== including callees (children), top 40 =="
perf report -i "$DATA" --children --sort symbol --stdio -g none --percent-limit 2 2>/dev/null |
  grep -E '^ +[0-9]' | sed -E 's/ +-? +-? *$//' | cut -c1-160 | grep -v 'inlined' | head -60
