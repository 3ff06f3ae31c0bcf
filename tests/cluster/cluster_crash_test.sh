#!/usr/bin/env bash
# Cluster crash test: three rectifyd nodes on one PostgreSQL 15 database behave as one
# server while they are SIGKILLed and restarted at random moments.
#
# Starts a private PostgreSQL 15 (tests/support/pg_server.sh) and three nodes on one database,
# runs a concurrent write load (crash_load --server a,b,c: each attempt of a write goes to the next
# node, so a write cut off by a killed node is retried with the same request_id on another) and
# an event follower that hops from node to node (crash_load --events), SIGKILLs a random node at
# random moments and restarts it on its port. Then checks, and prints what it checked:
#   - crash_verify --pg: every acknowledged write is in the database exactly once, nothing is
#     there twice, every write present is whole, abandoned writes are whole or absent;
#   - the event follower got exactly the events table, in order, no gap, no duplicate, across its
#     hops and the kills; every node streams the identical table from seq 0; a watcher resuming
#     after its last seq on the next node gets exactly the rest; each acknowledged write's event
#     is there once;
#   - every acknowledged write sent again (to the nodes in turn) gets its first answer and
#     changes nothing;
#   - `rectify audit verify` passes on every node (one hash chain, several writers);
#   - exactly one node holds the scheduler's leader lock;
#   - every node stops on SIGTERM with exit code 0.
#
# Usage: cluster_crash_test.sh --rectifyd PATH --rectify PATH --load PATH --verify PATH
#                              [--kills N] [--workers N] [--nodes N]
# Environment: CLUSTER_KILLS overrides --kills, CLUSTER_SEED fixes the random kills,
# CLUSTER_KEEP=1 keeps the work directory (PostgreSQL is stopped either way).
set -euo pipefail

RECTIFYD="" RECTIFY="" LOAD="" VERIFY="" KILLS=8 WORKERS=4 NODES=3
while [ $# -gt 0 ]; do
  case "$1" in
    --rectifyd) RECTIFYD=$2; shift 2 ;;
    --rectify) RECTIFY=$2; shift 2 ;;
    --load) LOAD=$2; shift 2 ;;
    --verify) VERIFY=$2; shift 2 ;;
    --kills) KILLS=$2; shift 2 ;;
    --workers) WORKERS=$2; shift 2 ;;
    --nodes) NODES=$2; shift 2 ;;
    *) echo "cluster_crash_test: 未知参数 / unknown argument $1" >&2; exit 2 ;;
  esac
done
KILLS=${CLUSTER_KILLS:-$KILLS}
SEED=${CLUSTER_SEED:-$$}
RANDOM=$SEED
for tool in "$RECTIFYD" "$RECTIFY" "$LOAD" "$VERIFY"; do
  [ -x "$tool" ] || { echo "cluster_crash_test: 不是可执行文件 / not an executable: '$tool'" >&2; exit 2; }
done
[ "$NODES" -ge 2 ] || { echo "cluster_crash_test: --nodes 至少为 2 / must be at least 2" >&2; exit 2; }
PG_SERVER="$(cd "$(dirname "$0")/../support" && pwd)/pg_server.sh"
PSQL=/usr/lib/postgresql/15/bin/psql
[ -x "$PSQL" ] || PSQL=$(command -v psql) ||
  { echo "cluster_crash_test: 需要 psql / needs psql (PostgreSQL 15 client)" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/rectify-cluster.XXXXXX")
# pg_server.sh runs PostgreSQL as the postgres user when we are root: it must reach $WORK/pg.
chmod 0711 "$WORK"
JOURNAL=$WORK/journal.txt
EVENTS=$WORK/events.txt
TOKEN_FILE=$WORK/admin.token
LOAD_PID=""
declare -a PID PORT
for i in $(seq 1 "$NODES"); do PID[i]=""; PORT[i]=0; done

cleanup() {
  local status=$?
  if [ -n "$LOAD_PID" ]; then kill -KILL "$LOAD_PID" 2>/dev/null || true; fi
  for i in $(seq 1 "$NODES"); do
    if [ -n "${PID[i]}" ]; then kill -KILL "${PID[i]}" 2>/dev/null || true; fi
  done
  bash "$PG_SERVER" stop "$WORK/pg" 2>/dev/null || true
  if [ $status -eq 0 ] && [ -z "${CLUSTER_KEEP:-}" ]; then
    rm -rf "$WORK"
  else
    echo "cluster_crash_test: 保留工作目录 / work directory kept: $WORK (node*.log, load.err, journal.txt, events.txt)"
  fi
}
trap cleanup EXIT

fail() { echo "cluster_crash_test: 失败 / FAILED: $*"; exit 1; }

acknowledged() { grep -c '^[PU] ' "$JOURNAL" 2>/dev/null || true; }

# start_node I: starts node I on $DB, on its port (a free one the first time, kept for the
# restarts), logging to $WORK/nodeI.log, and waits until it listens.
start_node() {
  local i=$1 port_file="$WORK/node$1.port"
  for _ in $(seq 1 50); do
    rm -f "$port_file"
    "$RECTIFYD" --db "$DB" --listen "127.0.0.1:${PORT[$i]}" --port_file "$port_file" \
      --admin_token_file "$TOKEN_FILE" 2>>"$WORK/node$i.log" &
    PID[i]=$!
    for _ in $(seq 1 500); do
      [ -s "$port_file" ] && break
      kill -0 "${PID[$i]}" 2>/dev/null || break
      sleep 0.02
    done
    if [ -s "$port_file" ]; then
      PORT[i]=$(cat "$port_file")
      return 0
    fi
    # The old socket may linger for a moment after a kill: try again.
    kill -KILL "${PID[$i]}" 2>/dev/null || true
    wait "${PID[$i]}" 2>/dev/null || true
    PID[i]=""
    sleep 0.1
  done
  fail "节点 $i 未能启动 / node $i did not start (see $WORK/node$i.log)"
}

# Fails when a node has died by itself (only this script kills them).
all_alive() {
  local i
  for i in $(seq 1 "$NODES"); do
    kill -0 "${PID[$i]}" 2>/dev/null ||
      fail "节点 $i 自行退出 / node $i died by itself (see $WORK/node$i.log)"
  done
}

# Stops node I with SIGTERM; fails unless it exits 0.
stop_node() {
  local i=$1 status=0
  kill -TERM "${PID[$i]}"
  wait "${PID[$i]}" || status=$?
  PID[i]=""
  [ $status -eq 0 ] || fail "节点 $i 收到 SIGTERM 后退出码为 $status / node $i exited $status on SIGTERM (see $WORK/node$i.log)"
}

started=$(date +%s)
echo "cluster_crash_test: $NODES 个节点，$KILLS 次随机 SIGKILL / $NODES nodes, $KILLS kills, $WORKERS writers, seed $SEED, in $WORK"

# 1. PostgreSQL 15 and the ledger's database.
CONNINFO=$(bash "$PG_SERVER" start "$WORK/pg" 2>"$WORK/pg_server.log") ||
  fail "PostgreSQL 未能启动 / PostgreSQL did not start: $(cat "$WORK/pg_server.log")"
"$PSQL" "$CONNINFO" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE rectify_cluster" >/dev/null ||
  fail "无法创建数据库 / cannot create the database"
DB=${CONNINFO/dbname=postgres/dbname=rectify_cluster}
echo "  PostgreSQL 15: $DB"

# 2. The nodes: the first one alone (it makes the schema and the admin token), then the others.
start_node 1
[ -s "$TOKEN_FILE" ] || fail "节点 1 未写出管理员令牌 / node 1 wrote no admin token"
RECTIFY_TOKEN=$(cat "$TOKEN_FILE")
export RECTIFY_TOKEN
for i in $(seq 2 "$NODES"); do start_node "$i"; done
SERVERS=""
for i in $(seq 1 "$NODES"); do SERVERS+="${SERVERS:+,}127.0.0.1:${PORT[$i]}"; done
echo "  nodes: $SERVERS"

# 3. The load and the event follower, over every node.
"$LOAD" --server "$SERVERS" --journal "$JOURNAL" --events "$EVENTS" --workers "$WORKERS" \
  >"$WORK/load.out" 2>"$WORK/load.err" &
LOAD_PID=$!

# 4. Kills: a random node at a random moment, restarted at once on its port.
for kill_no in $(seq 1 "$KILLS"); do
  pause_ms=$(( 300 + RANDOM % 1700 ))
  sleep "$(printf '%d.%03d' $((pause_ms / 1000)) $((pause_ms % 1000)))"
  kill -0 "$LOAD_PID" 2>/dev/null || fail "负载自行停止 / the load stopped by itself (see $WORK/load.err)"
  victim=$(( 1 + RANDOM % NODES ))
  all_alive
  kill -KILL "${PID[$victim]}"
  wait "${PID[$victim]}" 2>/dev/null || true
  PID[victim]=""
  echo "  kill $kill_no/$KILLS: 节点 / node $victim (127.0.0.1:${PORT[$victim]}) after ${pause_ms} ms; $(acknowledged) writes acknowledged so far"
  start_node "$victim"
done

# Let the load see the last restart through, then stop it; it finishes the write it is on and
# the follower catches up with the stream.
sleep 1
kill -TERM "$LOAD_PID"
load_status=0
wait "$LOAD_PID" || load_status=$?
LOAD_PID=""
cat "$WORK/load.out"
[ $load_status -eq 0 ] || fail "负载收到错误答复 / the load saw wrong answers (exit $load_status); see $JOURNAL, $EVENTS, $WORK/load.err"
[ "$(acknowledged)" -gt "$KILLS" ] || fail "确认的写入太少 / too few writes were acknowledged: $(acknowledged)"

all_alive

# 5, 6. The database, the event streams of every node, and every acknowledged write sent again.
"$VERIFY" --pg "$DB" --journal "$JOURNAL" --events "$EVENTS" --streams --server "$SERVERS" ||
  fail "crash_verify"

# 7. One audit chain with several writers: it verifies, and reconciles, on every node.
for i in $(seq 1 "$NODES"); do
  audit_status=0
  audit_out=$("$RECTIFY" --server "127.0.0.1:${PORT[$i]}" audit verify 2>&1) || audit_status=$?
  [ $audit_status -eq 0 ] || fail "节点 $i 上 rectify audit verify 退出码 $audit_status / rectify audit verify on node $i exited $audit_status: $audit_out"
done
echo "  ok: rectify audit verify passes on each of the $NODES nodes: $(echo "$audit_out" | grep -v '^正在\|^verifying' | tr '\n' ' ')"

# The scheduler runs on exactly one node: the holder of the leader lock (services/store/postgres/
# leader_lock.h, key 0x5245435449465958 = classid 1380270932, objid 1229347160). A node killed
# while leading frees it at once; another takes it at its next check (about a second).
leaders=""
for _ in $(seq 1 50); do
  leaders=$("$PSQL" "$DB" -Atqc "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = 1380270932 AND objid = 1229347160 AND objsubid = 1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")
  [ "$leaders" = 1 ] && break
  sleep 0.2
done
[ "$leaders" = 1 ] || fail "持有主节点锁的节点数为 $leaders / $leaders nodes hold the leader lock (expected 1)"
terms=$(cat "$WORK"/node*.log | grep -c '本节点成为主节点' || true)
echo "  ok: exactly one node holds the scheduler's leader lock (leadership was taken $terms times over the run)"

# 8. Every node stops cleanly.
for i in $(seq 1 "$NODES"); do stop_node "$i"; done
echo "  ok: all $NODES nodes stopped on SIGTERM with exit code 0"
echo "cluster_crash_test: 通过 / passed: $KILLS SIGKILLs over $NODES nodes, $(acknowledged) acknowledged writes checked, in $(( $(date +%s) - started )) s"
