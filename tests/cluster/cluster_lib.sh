# Sourced by the cluster tests (failover_test.sh, db_restart_test.sh): a private PostgreSQL 15
# (tests/support/pg_server.sh) and several rectifyd nodes on one database of it, all on 127.0.0.1.
#
# The sourcing script sets TEST (its name, for messages), RECTIFYD and RECTIFY (the binaries) and
# then calls cluster_init. What it gets:
#   cluster_init                 makes $WORK (and $PG_DIR in it) and the EXIT trap that stops
#                                everything; the work directory is removed after a success and
#                                kept (with the server log) after a failure
#   pg_start [PORT]              starts the server (again: the same data directory, on PORT) and
#                                sets PG_PORT and DB, the conninfo of the test's database
#   pg_stop_fast                 stops the server as an operator would (pg_ctl stop -m fast), keeping
#                                its data directory for pg_start PORT
#   pg_freeze, pg_thaw           SIGSTOP / SIGCONT the server's processes (a hung database)
#   node_start N [FLAG...]       starts node N (a free port; log $WORK/nodeN.log, appended) and
#                                waits until it listens: NODE_PID[N], NODE_ADDR[N]; the first node
#                                started writes the admin token, exported as RECTIFY_TOKEN
#   node_kill N                  SIGKILL; node_stop N: SIGTERM, and rectifyd must exit 0
#   cli N ARGS...                the rectify client against node N
#   sql QUERY                    one query in the test's database, unaligned, no headers
#   now_ms, sleep_until_ms T     wall-clock milliseconds since the epoch
#   say MESSAGE, fail MESSAGE    progress lines; fail ends the test
#   BG_PIDS+=(pid)               background helpers the trap kills too
# shellcheck shell=bash

PG_BIN="${RECTIFY_PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_SERVER="$(cd "$(dirname "${BASH_SOURCE[0]}")/../support" && pwd)/pg_server.sh"
LEADER_LINE="this node is the leader now"
FOLLOWER_LINE="this node is no longer the leader"
declare -a NODE_PID=() NODE_ADDR=() BG_PIDS=()
WORK="" PG_DIR="" PG_PORT="" DB=""

say() { echo "$TEST: $*"; }

fail() {
  echo "$TEST: 失败 / FAILED: $*"
  exit 1
}

now_ms() {
  local us="${EPOCHREALTIME//[!0-9]/}"
  echo $((us / 1000))
}

# Sleeps until the wall clock reaches $1 (ms since the epoch); returns at once when it has.
sleep_until_ms() {
  local left=$(($1 - $(now_ms)))
  if [ "$left" -gt 0 ]; then sleep "$(printf '%d.%03d' $((left / 1000)) $((left % 1000)))"; fi
}

# Runs a PostgreSQL program as the user the server runs as (pg_server.sh: postgres when root).
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

cluster_cleanup() {
  local status=$? n pid
  trap - EXIT
  for pid in "${BG_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for n in "${!NODE_PID[@]}"; do
    [ -n "${NODE_PID[$n]}" ] && kill -KILL "${NODE_PID[$n]}" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  pg_thaw
  if [ -n "$PG_DIR" ] && [ -d "$PG_DIR" ]; then
    cp "$PG_DIR/server.log" "$WORK/postgres.log" 2>/dev/null || true
    bash "$PG_SERVER" stop "$PG_DIR" 2>/dev/null || true
  fi
  if [ "$status" -eq 0 ] && [ -z "${CLUSTER_KEEP:-}" ]; then
    rm -rf "$WORK"
  else
    for n in "${!NODE_PID[@]}"; do
      if [ -f "$WORK/node$n.log" ]; then
        echo "---- $WORK/node$n.log (tail)"
        tail -n 15 "$WORK/node$n.log"
      fi
    done
    echo "$TEST: 保留工作目录 / work directory kept: $WORK"
  fi
  exit "$status"
}

cluster_init() {
  local tool
  for tool in "$RECTIFYD" "$RECTIFY"; do
    [ -x "$tool" ] || { echo "$TEST: 不是可执行文件 / not an executable: '$tool'" >&2; exit 2; }
  done
  [ -x "$PG_BIN/psql" ] || { echo "$TEST: 找不到 / not found: $PG_BIN/psql" >&2; exit 2; }
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/rectify-$TEST.XXXXXX")
  # The server runs as postgres (when root): it must be able to pass through $WORK.
  chmod 0711 "$WORK"
  PG_DIR=$WORK/pg
  trap cluster_cleanup EXIT
  unset RECTIFY_TOKEN RECTIFY_SERVER
}

pg_start() {
  local conninfo
  conninfo=$(bash "$PG_SERVER" start "$PG_DIR" "$@" 2>>"$WORK/pg_server.log") ||
    fail "PostgreSQL 启动失败 / PostgreSQL did not start (see $WORK/pg_server.log)"
  PG_PORT=$(sed -n 's/.*port=\([0-9]*\).*/\1/p' <<<"$conninfo")
  [ -n "$PG_PORT" ] || fail "pg_server.sh printed no port: $conninfo"
  if [ -z "$DB" ]; then
    "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$conninfo" -c "CREATE DATABASE rectify" ||
      fail "CREATE DATABASE"
  fi
  DB="host=127.0.0.1 port=$PG_PORT user=postgres dbname=rectify connect_timeout=3"
}

pg_stop_fast() {
  (cd "$PG_DIR" && as_pg "$PG_BIN/pg_ctl" stop -D "$PG_DIR/data" -m fast -w -t 30 >/dev/null) ||
    fail "pg_ctl stop -m fast"
}

# pg_freeze: SIGSTOPs the server's processes (the postmaster and its children): a database that
# hangs rather than refuses, as a frozen VM or a lost network does. pg_thaw: SIGCONT again.
pg_freeze() {
  local postmaster
  postmaster=$(head -n 1 "$PG_DIR/data/postmaster.pid")
  { echo "$postmaster"; pgrep -P "$postmaster" || true; } >"$WORK/frozen.pids"
  xargs kill -STOP <"$WORK/frozen.pids"
}
pg_thaw() {
  if [ -n "$WORK" ] && [ -s "$WORK/frozen.pids" ]; then
    xargs kill -CONT <"$WORK/frozen.pids" 2>/dev/null || true
    rm -f "$WORK/frozen.pids"
  fi
}

sql() {
  PGCONNECT_TIMEOUT=3 "$PG_BIN/psql" -X -A -t -q -v ON_ERROR_STOP=1 -d "$DB" -c "$1"
}

node_start() {
  local n=$1 port_file="$WORK/node$1.port"
  shift
  rm -f "$port_file"
  "$RECTIFYD" --db "$DB" --listen 127.0.0.1:0 --port_file "$port_file" \
    --admin_token_file "$WORK/admin.token" "$@" 2>>"$WORK/node$n.log" &
  NODE_PID[$n]=$!
  # The first start creates the schema: allow it some time on a busy machine.
  for _ in $(seq 1 600); do
    [ -s "$port_file" ] && break
    kill -0 "${NODE_PID[$n]}" 2>/dev/null || break
    sleep 0.05
  done
  [ -s "$port_file" ] || fail "节点 $n 未能启动 / node $n did not start (see $WORK/node$n.log)"
  NODE_ADDR[$n]="127.0.0.1:$(cat "$port_file")"
  if [ -z "${RECTIFY_TOKEN:-}" ]; then
    [ -s "$WORK/admin.token" ] || fail "节点 $n 没有写管理员令牌 / node $n wrote no admin token"
    RECTIFY_TOKEN=$(cat "$WORK/admin.token")
    export RECTIFY_TOKEN
  fi
}

node_kill() {
  { kill -KILL "${NODE_PID[$1]}"; wait "${NODE_PID[$1]}"; } 2>/dev/null || true
  NODE_PID[$1]=""
}

node_stop() {
  local code=0
  kill -TERM "${NODE_PID[$1]}"
  wait "${NODE_PID[$1]}" || code=$?
  NODE_PID[$1]=""
  [ "$code" -eq 0 ] || fail "节点 $1 收到 SIGTERM 后退出码为 $code / node $1 exited $code on SIGTERM"
}

cli() {
  local n=$1
  shift
  "$RECTIFY" --server "${NODE_ADDR[$n]}" "$@"
}

# json EXPR: a Python expression over the JSON document on stdin (as d).
json() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1].strip()))' "$1"; }

# How many times node N logged that it became the leader / stopped being it. A line that repeats
# the one before it (no change in between) is not counted: see check_leadership_logged_once.
transitions() {
  awk -v want="$2" -v lead="$LEADER_LINE" -v follow="$FOLLOWER_LINE" '
    index($0, lead) { state = "lead" } index($0, follow) { state = "follow" }
    state != "" && state != last { if (state == want) n++; last = state }
    { state = "" } END { print n + 0 }' "$WORK/node$1.log" 2>/dev/null || echo 0
}
leader_lines() { transitions "$1" lead; }
follower_lines() { transitions "$1" follow; }
# Fails when a node's log holds the same leadership line twice in a row (a change logged twice;
# the counts above ignore such repeats so that the other checks still say what they check).
check_leadership_logged_once() {
  local log rep
  for log in "$WORK"/node*.log; do
    # (|| true: a node that never led has no such line, and grep's 1 must not end the script)
    rep=$({ grep -E "$LEADER_LINE|$FOLLOWER_LINE" "$log" || true; } | uniq -d | wc -l)
    [ "$rep" = 0 ] || fail "$(basename "$log") 把同一次主节点变化连续记录了两次 / logged the same leadership change twice in a row: $(grep -E "$LEADER_LINE|$FOLLOWER_LINE" "$log" | uniq -c | sed 's/^ *//' | tr '\n' ';')"
  done
  say "通过 / ok: 每次主节点变化只记录一次 / every leadership change is logged once"
}
