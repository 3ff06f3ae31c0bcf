#!/usr/bin/env bash
# Exactly-once notifications under SIGKILL: rectifyd delivers urges (催办) to a local webhook
# receiver (webhook_sink.py, which checks every request's bytes) while it is killed at random
# moments, including while a delivery is in flight and between a notice's commit and its
# delivery. Checks at the end:
#   - every notice in the outbox was recorded once (one row per urge that committed) and is
#     delivered (state sent) and reached the receiver at least once;
#   - every urge the command line saw acknowledged has its notice;
#   - in the normal path (before the first kill) the receiver counted no duplicate;
#   - duplicates after kills are printed: a kill between a send and its record resends it;
#   - the webhook's key is in no log and in nothing the command line printed.
#
# Usage: notify_crash_test.sh --rectifyd PATH --rectify PATH [--kills N] [--urges N]
set -euo pipefail

RECTIFYD="" RECTIFY="" KILLS=8 URGES=60
while [ $# -gt 0 ]; do
  case "$1" in
    --rectifyd) RECTIFYD=$2; shift 2 ;;
    --rectify) RECTIFY=$2; shift 2 ;;
    --kills) KILLS=$2; shift 2 ;;
    --urges) URGES=$2; shift 2 ;;
    *) echo "notify_crash_test: unknown argument $1" >&2; exit 2 ;;
  esac
done
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rectify-notify-crash.XXXXXX")
DB=$WORK/ledger.db
RECORD=$WORK/received.txt
ACKED=$WORK/acked.txt
SERVER_PID="" SINK_PID="" PORT=0
touch "$RECORD" "$ACKED"

cleanup() {
  local status=$?
  [ -n "$SERVER_PID" ] && kill -KILL "$SERVER_PID" 2>/dev/null || true
  if [ -n "$SINK_PID" ]; then { kill -KILL "$SINK_PID"; wait "$SINK_PID"; } 2>/dev/null || true; fi
  if [ $status -eq 0 ]; then rm -rf "$WORK"; else echo "notify_crash_test: kept $WORK"; fi
}
trap cleanup EXIT
fail() { echo "notify_crash_test: FAILED: $*"; exit 1; }

# Starts rectifyd (tests/crash/start_rectifyd.sh) with this test's flags.
source "$(dirname "$0")/start_rectifyd.sh"
start_server() {
  start_rectifyd --notify_quiet_hours off --notify_digest_time off --notify_remind_days ""
}

cli() { "$RECTIFY" --server "127.0.0.1:$PORT" "$@"; }
sql() { sqlite3 "$DB" "$1"; }

# Waits until nothing is left to deliver.
drain() {
  for _ in $(seq 1 600); do
    [ "$(sql 'SELECT COUNT(*) FROM notice_deliveries WHERE state = 1')" = "0" ] && return 0
    sleep 0.1
  done
  fail "deliveries still pending after 60 s: $(sql 'SELECT state, COUNT(*) FROM notice_deliveries GROUP BY state')"
}

python3 "$HERE/webhook_sink.py" "$WORK/sink.port" "$RECORD" 2>"$WORK/sink.log" &
SINK_PID=$!
for _ in $(seq 1 200); do [ -s "$WORK/sink.port" ] && break; sleep 0.02; done
[ -s "$WORK/sink.port" ] || fail "the receiver did not start"
# A Feishu robot: 100 messages a minute (WeCom's 20 would make the test wait for its window).
echo "http://127.0.0.1:$(cat "$WORK/sink.port")/open-apis/bot/v2/hook/crash-test-key" >"$WORK/url"

start_server
cli unit create 第一支部 --parent 党委 >/dev/null
cli review create "专题组织生活会" --kind org-life --held-on 2021-12-20 --unit 党委 >/dev/null
cli problem add 1 --area 在联系服务群众方面 "调研指导还不够深入" >/dev/null
cli task create 1 --measure "每季度到联系点调研一次" --owner-unit 第一支部 --owner 张三 \
  --deadline 2099-12-31 >/dev/null
cli notify add --unit 第一支部 --kind feishu --name 第一支部群 --url-file "$WORK/url" >/dev/null \
  || fail "notify add"

urge() {  # urge N: one urge whose note carries the marker N-<n>
  if cli task urge 1 --note "请尽快报送进展 N-$1" >/dev/null 2>>"$WORK/cli.err"; then
    echo "N-$1" >>"$ACKED"
  fi
}

# The normal path: no kill, no duplicate.
NORMAL=20
for n in $(seq 1 "$NORMAL"); do urge "$n"; done
drain
dups=$(sort "$RECORD" | uniq -d | wc -l)
[ "$dups" = "0" ] || fail "$dups duplicates in the normal path"
[ "$(wc -l <"$RECORD")" = "$NORMAL" ] || fail "received $(wc -l <"$RECORD") of $NORMAL in the normal path"
echo "  ok: normal path: $NORMAL urges, each received exactly once"

# Under faults: urges keep coming while rectifyd is killed at random moments.
kills=0
n=$NORMAL
per_kill=$(( URGES / KILLS ))
while [ $kills -lt "$KILLS" ]; do
  urgers=()
  for _ in $(seq 1 "$per_kill"); do n=$((n + 1)); urge "$n" & urgers+=($!); done
  sleep "$(printf '0.%03d' $(( RANDOM % 400 )))"
  kill -KILL "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
  kills=$((kills + 1))
  start_server
  # The urges in flight finish: their retries (same request id) reach the restarted server.
  for pid in "${urgers[@]}"; do wait "$pid" || true; done
done
drain

grep -q '^BAD' "$RECORD" && fail "the receiver saw malformed requests: $(grep '^BAD' "$RECORD" | head -3)"
notices=$(sql "SELECT COUNT(*) FROM notices WHERE topic = 7")
distinct=$(sql "SELECT COUNT(DISTINCT note) FROM notices WHERE topic = 7")
[ "$notices" = "$distinct" ] || fail "$notices notices for $distinct urges: one was recorded twice"
unsent=$(sql "SELECT COUNT(*) FROM notice_deliveries WHERE state != 2")
[ "$unsent" = "0" ] || fail "$unsent deliveries not sent"
missing=0
for marker in $(sql "SELECT substr(note, instr(note, 'N-')) FROM notices WHERE topic = 7"); do
  grep -qx "$marker" "$RECORD" || { echo "  never received: $marker"; missing=$((missing + 1)); }
done
[ "$missing" = "0" ] || fail "$missing notices never reached the receiver"
for marker in $(cat "$ACKED"); do
  [ "$(sql "SELECT COUNT(*) FROM notices WHERE topic = 7 AND note LIKE '%$marker'")" = "1" ] \
    || fail "acknowledged urge $marker has no notice"
done
# The webhook's key is a secret: not in rectifyd's log, not in what the API or the CLI printed.
if grep -q "crash-test-key" "$WORK/rectifyd.log" "$WORK/cli.err"; then
  fail "the webhook key appears in a log"
fi
[ -z "$(cli notify list | grep crash-test-key)" ] || fail "notify list shows the key"
[ -z "$(cli notify status | grep crash-test-key)" ] || fail "notify status shows the key"
received=$(wc -l <"$RECORD")
dups=$(( received - $(sort -u "$RECORD" | wc -l) ))
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || fail "rectifyd did not stop cleanly"; SERVER_PID=""
echo "  ok: $KILLS SIGKILLs, $notices notices recorded once each, all delivered; $(wc -l <"$ACKED") acknowledged urges all recorded"
echo "notify_crash_test: passed; $received requests received, $dups duplicates after kills (a kill between a send and its record)"
