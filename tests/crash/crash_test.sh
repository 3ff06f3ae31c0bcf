#!/usr/bin/env bash
# Crash test: runs a concurrent write load (crash_load) against the real rectifyd, SIGKILLs
# rectifyd at random moments, restarts it on the same port, and at the end checks (crash_verify
# and sqlite3) that every acknowledged write is present exactly once, nothing unacknowledged is
# half-applied, every acknowledged write sent again gets its first answer, rectifyd stops cleanly
# on SIGTERM, and PRAGMA integrity_check is ok. Prints what it did and what it checked.
#
# Usage: crash_test.sh --rectifyd PATH --load PATH --verify PATH [--kills N] [--workers N]
#                      [--synchronous FULL|NORMAL]
# Environment: CRASH_KILLS overrides --kills (the long form: CRASH_KILLS=500), CRASH_SEED fixes
# the random kill moments, CRASH_KEEP=1 keeps the work directory.
set -euo pipefail

RECTIFYD="" LOAD="" VERIFY="" KILLS=20 WORKERS=4 SYNC=FULL
while [ $# -gt 0 ]; do
  case "$1" in
    --rectifyd) RECTIFYD=$2; shift 2 ;;
    --load) LOAD=$2; shift 2 ;;
    --verify) VERIFY=$2; shift 2 ;;
    --kills) KILLS=$2; shift 2 ;;
    --workers) WORKERS=$2; shift 2 ;;
    --synchronous) SYNC=$2; shift 2 ;;
    *) echo "crash_test: unknown argument $1" >&2; exit 2 ;;
  esac
done
KILLS=${CRASH_KILLS:-$KILLS}
SEED=${CRASH_SEED:-$$}
RANDOM=$SEED
for tool in "$RECTIFYD" "$LOAD" "$VERIFY"; do
  [ -x "$tool" ] || { echo "crash_test: not an executable: '$tool'" >&2; exit 2; }
done
command -v sqlite3 >/dev/null || { echo "crash_test: needs the sqlite3 command" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/rectify-crash.XXXXXX")
DB=$WORK/ledger.db
JOURNAL=$WORK/journal.txt
SERVER_PID="" LOAD_PID="" PORT=0

cleanup() {
  local status=$?
  [ -n "$LOAD_PID" ] && kill -KILL "$LOAD_PID" 2>/dev/null || true
  [ -n "$SERVER_PID" ] && kill -KILL "$SERVER_PID" 2>/dev/null || true
  if [ $status -eq 0 ] && [ -z "${CRASH_KEEP:-}" ]; then
    rm -rf "$WORK"
  else
    echo "crash_test: work directory kept: $WORK (rectifyd.log, load.err, journal.txt)"
  fi
}
trap cleanup EXIT

fail() { echo "crash_test: FAILED: $*"; exit 1; }

# Starts rectifyd (tests/crash/start_rectifyd.sh) with this test's flags.
source "$(dirname "$0")/start_rectifyd.sh"
start_server() { start_rectifyd --synchronous "$SYNC"; }

acknowledged() { grep -c '^[PU] ' "$JOURNAL" 2>/dev/null || true; }

echo "crash_test: $KILLS kills, $WORKERS writers, synchronous=$SYNC, seed $SEED, in $WORK"
start_server
"$LOAD" --server "127.0.0.1:$PORT" --journal "$JOURNAL" --workers "$WORKERS" \
  >"$WORK/load.out" 2>"$WORK/load.err" &
LOAD_PID=$!

started=$(date +%s)
for kill_no in $(seq 1 "$KILLS"); do
  # A random moment: 50 ms to 1 s after rectifyd came up (some during its start-up work).
  pause_ms=$(( 50 + RANDOM % 950 ))
  sleep "$(printf '0.%03d' "$pause_ms")"
  kill -0 "$LOAD_PID" 2>/dev/null || fail "the load stopped by itself (see $WORK/load.err)"
  kill -KILL "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
  echo "crash_test: kill $kill_no/$KILLS after ${pause_ms} ms; $(acknowledged) writes acknowledged so far"
  start_server
done

# Let the load see the last restart through, then stop it; it finishes the write it is on.
sleep 1
kill -TERM "$LOAD_PID"
load_status=0
wait "$LOAD_PID" || load_status=$?
LOAD_PID=""
cat "$WORK/load.out"
[ $load_status -eq 0 ] || fail "the load saw wrong answers (exit $load_status); see $JOURNAL"
[ "$(acknowledged)" -gt "$KILLS" ] || fail "too few writes were acknowledged: $(acknowledged)"

"$VERIFY" --db "$DB" --journal "$JOURNAL" --server "127.0.0.1:$PORT" || fail "crash_verify"

kill -TERM "$SERVER_PID"
server_status=0
wait "$SERVER_PID" || server_status=$?
SERVER_PID=""
[ $server_status -eq 0 ] || fail "rectifyd exited $server_status on SIGTERM"
echo "  ok: rectifyd stopped on SIGTERM with exit code 0"

integrity=$(sqlite3 "$DB" 'PRAGMA integrity_check')
[ "$integrity" = "ok" ] || fail "PRAGMA integrity_check: $integrity"
echo "  ok: PRAGMA integrity_check: ok"
echo "crash_test: passed: $KILLS SIGKILLs in $(( $(date +%s) - started )) s, $(acknowledged) acknowledged writes checked"
