#!/usr/bin/env bash
# 数据库重启 / Database restart under load: two rectifyd nodes on one private PostgreSQL 15 server,
# a light write load on both (the rectify client in a loop: progress reports, each with its own
# request_id, retried by the client as it always does), and PostgreSQL stopped as an operator
# would (pg_ctl stop -m fast) and started again on the same port. Checks:
#   - within 3 s of the stop both nodes answer NOT_SERVING on grpc.health.v1 (health_probe);
#   - calls in the outage, reads and writes, on both nodes, fail with UNAVAILABLE (exit code 9,
#     not a deadline) within a few seconds, the client's retries included: no hang, no other
#     error;
#   - within 3 s of the restart both nodes answer SERVING again by themselves, and writes through
#     both succeed;
#   - every acknowledged write is in the database exactly once, and no write is there twice;
#   - afterwards exactly one node considers itself the leader (it runs the scheduler and delivers
#     notifications), and `rectify audit verify` passes; both nodes exit 0 on SIGTERM.
# With --freeze, then also a database that hangs instead of refusing (its processes SIGSTOPped,
# as with a frozen VM or a network that drops packets): the same NOT_SERVING within 3 s and
# UNAVAILABLE answers are required, and SERVING again after SIGCONT. Not in CTest yet: rectifyd
# turns NOT_SERVING about 1 s into a freeze, but a call then still waits for its query's answer,
# up to the statement timeout plus 2 s (32 s), before UNAVAILABLE; this phase asks for 8 s, which
# needs calls to be refused at once while the node is NOT_SERVING (left for later; see
# docs/postgresql.md).
#
# Usage: db_restart_test.sh --rectifyd PATH --rectify PATH --probe PATH(health_probe) [--freeze]
# Environment: CLUSTER_KEEP=1 keeps the work directory; RECTIFY_PG_BIN the PostgreSQL binaries.
set -euo pipefail

TEST=db_restart_test
RECTIFYD="" RECTIFY="" PROBE="" FREEZE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --freeze) FREEZE=1; shift ;;
    --rectifyd) RECTIFYD=$2; shift 2 ;;
    --rectify) RECTIFY=$2; shift 2 ;;
    --probe) PROBE=$2; shift 2 ;;
    *) echo "$TEST: 未知参数 / unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -x "$PROBE" ] || { echo "$TEST: 不是可执行文件 / not an executable: '$PROBE'" >&2; exit 2; }
# shellcheck source=tests/cluster/cluster_lib.sh
source "$(dirname "$0")/cluster_lib.sh"
cluster_init
T0=$(now_ms)

HEALTH_LIMIT_MS=3000   # NOT_SERVING after the stop, SERVING after the start
CALL_LIMIT_MS=8000     # a call in the outage fails by then (the client's retries included)
NODES=(1 2)
declare -a PROBE_PID=()

pg_start
say "PostgreSQL 已启动 / PostgreSQL up on 127.0.0.1:$PG_PORT"
node_start 1
node_start 2
say "两个节点 / two nodes: ${NODE_ADDR[1]} ${NODE_ADDR[2]}"
for n in "${NODES[@]}"; do
  "$PROBE" --server "${NODE_ADDR[$n]}" >/dev/null || fail "节点 $n 启动后不是 SERVING / node $n is not SERVING after start"
done

BRANCH=$(cli 1 --json unit create 第一支部 --parent 1 | json 'd["id"]')
REVIEW=$(cli 2 --json review create "数据库重启测试专题组织生活会" --kind org-life \
  --held-on 2021-12-20 --unit 1 | json 'd["id"]')
PROBLEM=$(cli 1 --json problem add "$REVIEW" --area 在联系服务群众方面 "调研指导还不够深入" |
  json 'd["id"]')
declare -a TASK=()
for n in "${NODES[@]}"; do
  TASK[$n]=$(cli "$n" --json task create "$PROBLEM" --measure "重启测试任务 $n" \
    --owner-unit "$BRANCH" --owner 张三 --deadline 2099-12-31 | json 'd["id"]')
done

# writer N: progress reports on node N's task through node N until $WORK/stop exists. Per call a
# line "start_ms duration_ms exit_code marker" in calls-N.txt; acknowledged markers in acked-N.txt.
writer() {
  local n=$1 k=0 t code
  : >"$WORK/acked-$n.txt"
  while [ ! -e "$WORK/stop" ]; do
    k=$((k + 1))
    t=$(now_ms)
    code=0
    cli "$n" --timeout 2 task progress "${TASK[$n]}" --text "load-$n-$k" --percent $((k % 100)) \
      >/dev/null 2>>"$WORK/writer-$n.err" || code=$?
    echo "$t $(( $(now_ms) - t )) $code load-$n-$k" >>"$WORK/calls-$n.txt"
    if [ "$code" = 0 ]; then echo "load-$n-$k" >>"$WORK/acked-$n.txt"; fi
    sleep 0.05
  done
}
acked() { wc -l <"$WORK/acked-$1.txt"; }
# acked_after N MS: acknowledged writes of writer N whose call started after MS.
acked_after() { awk -v t="$2" '$1 > t && $3 == 0' "$WORK/calls-$1.txt" | wc -l; }

for n in "${NODES[@]}"; do
  writer "$n" &
  BG_PIDS+=($!)
done
deadline=$(( $(now_ms) + 15000 ))
while [ "$(acked 1)" -lt 5 ] || [ "$(acked 2)" -lt 5 ]; do
  [ "$(now_ms)" -lt "$deadline" ] || fail "写入负载没有进展 / the write load makes no progress"
  sleep 0.1
done
say "写入负载运行中 / write load running: $(acked 1) + $(acked 2) acknowledged"

# The outage.
t_stop=$(now_ms)
pg_stop_fast
t_down=$(now_ms)
say "PostgreSQL 已停止 / PostgreSQL stopped (pg_ctl stop -m fast: $((t_down - t_stop)) ms)"
for n in "${NODES[@]}"; do
  "$PROBE" --server "${NODE_ADDR[$n]}" --until NOT_SERVING --within_ms "$HEALTH_LIMIT_MS" \
    >"$WORK/down-$n.txt" 2>&1 &
  PROBE_PID[n]=$!
done
for n in "${NODES[@]}"; do
  wait "${PROBE_PID[$n]}" || fail "节点 $n 在 ${HEALTH_LIMIT_MS} ms 内没有答 NOT_SERVING / node $n did not answer NOT_SERVING within ${HEALTH_LIMIT_MS} ms: $(cat "$WORK/down-$n.txt")"
  say "节点 $n 答 NOT_SERVING / node $n answers NOT_SERVING $(cut -d' ' -f2 <"$WORK/down-$n.txt") ms after the stop completed"
done

# Calls in the outage: a read and a write on each node, in parallel, each timed.
outage_call() {  # N KIND: "exit_code duration_ms" in outage-N-KIND.txt
  local n=$1 kind=$2 t code=0
  t=$(now_ms)
  if [ "$kind" = read ]; then
    cli "$n" --timeout 2 task show "${TASK[$n]}" >/dev/null 2>"$WORK/outage-$n-$kind.err" || code=$?
  else
    cli "$n" --timeout 2 task progress "${TASK[$n]}" --text "outage-$n" --percent 1 \
      >/dev/null 2>"$WORK/outage-$n-$kind.err" || code=$?
  fi
  echo "$code $(( $(now_ms) - t ))" >"$WORK/outage-$n-$kind.txt"
}
callers=()
for n in "${NODES[@]}"; do
  for kind in read write; do
    outage_call "$n" "$kind" &
    callers+=($!)
  done
done
for pid in "${callers[@]}"; do wait "$pid"; done
for n in "${NODES[@]}"; do
  for kind in read write; do
    read -r code ms <"$WORK/outage-$n-$kind.txt"
    err=$(grep -v '^重试中' "$WORK/outage-$n-$kind.err" || true)
    [ "$code" = 9 ] || fail "停库期间节点 $n 的$kind 调用退出码 $code，应为 9 / a $kind on node $n in the outage exited $code, want 9 (UNAVAILABLE): $err"
    # Exit code 9 is UNAVAILABLE or DEADLINE_EXCEEDED: the message tells which (a deadline means
    # the node hung on the lost database).
    if grep -q "did not answer within" <<<"$err" || ! grep -q "unavailable\|cannot reach" <<<"$err"; then
      fail "节点 $n 的$kind 调用不是 UNAVAILABLE / the $kind on node $n did not end with UNAVAILABLE: $err"
    fi
    [ "$ms" -le "$CALL_LIMIT_MS" ] ||
      fail "节点 $n 的$kind 调用用了 ${ms} ms / the $kind on node $n took ${ms} ms (limit ${CALL_LIMIT_MS})"
    say "停库期间节点 $n 的 $kind 调用 ${ms} ms 后以 UNAVAILABLE 失败（含客户端重试）/ a $kind on node $n failed with UNAVAILABLE after ${ms} ms (client retries included)"
  done
done
for n in "${NODES[@]}"; do
  "$PROBE" --server "${NODE_ADDR[$n]}" >/dev/null && fail "节点 $n 在停库期间答 SERVING / node $n answers SERVING in the outage"
done

# PostgreSQL back, on the same port and data directory.
t_start=$(now_ms)
pg_start "$PG_PORT"
t_up=$(now_ms)
say "PostgreSQL 已重新启动 / PostgreSQL started again ($((t_up - t_start)) ms; down for $((t_up - t_down)) ms)"
for n in "${NODES[@]}"; do
  "$PROBE" --server "${NODE_ADDR[$n]}" --until SERVING --within_ms "$HEALTH_LIMIT_MS" \
    >"$WORK/up-$n.txt" 2>&1 &
  PROBE_PID[n]=$!
done
for n in "${NODES[@]}"; do
  wait "${PROBE_PID[$n]}" || fail "节点 $n 在 ${HEALTH_LIMIT_MS} ms 内没有恢复 SERVING / node $n did not answer SERVING within ${HEALTH_LIMIT_MS} ms: $(cat "$WORK/up-$n.txt")"
  say "节点 $n 恢复 SERVING / node $n answers SERVING $(cut -d' ' -f2 <"$WORK/up-$n.txt") ms after PostgreSQL accepted connections"
done
deadline=$(( $(now_ms) + 10000 ))
while [ "$(acked_after 1 "$t_up")" -lt 3 ] || [ "$(acked_after 2 "$t_up")" -lt 3 ]; do
  [ "$(now_ms)" -lt "$deadline" ] || fail "重启后写入没有恢复 / writes did not resume after the restart ($(acked_after 1 "$t_up"), $(acked_after 2 "$t_up"))"
  sleep 0.1
done
say "通过 / ok: 两个节点的写入已恢复 / writes through both nodes succeed again"
sleep 1
touch "$WORK/stop"
for pid in "${BG_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
BG_PIDS=()

# Every call of the load ended with 0 or UNAVAILABLE, none hung.
cat "$WORK"/calls-*.txt >"$WORK/calls.txt"
bad=$(awk '$3 != 0 && $3 != 9' "$WORK/calls.txt")
[ -z "$bad" ] || fail "负载中有意外的退出码 / unexpected exit codes in the load: $(head -3 <<<"$bad")"
slowest=$(awk 'BEGIN { m = 0 } $2 > m { m = $2 } END { print m }' "$WORK/calls.txt")
[ "$slowest" -le "$CALL_LIMIT_MS" ] || fail "负载中最慢的调用用了 ${slowest} ms / the slowest call of the load took ${slowest} ms"
failed=$(awk '$3 == 9' "$WORK/calls.txt" | wc -l)

# Every acknowledged write once; nothing twice.
sort -u "$WORK"/acked-*.txt >"$WORK/acked.txt"
sql "SELECT text || ' ' || count(*) FROM progress_reports GROUP BY text ORDER BY text" \
  >"$WORK/stored.txt"
dups=$(awk '$2 != 1' "$WORK/stored.txt")
[ -z "$dups" ] || fail "有写入被记录了两次 / writes stored twice: $(head -3 <<<"$dups")"
missing=$(comm -23 "$WORK/acked.txt" <(cut -d' ' -f1 "$WORK/stored.txt" | sort -u))
[ -z "$missing" ] || fail "已确认的写入丢失 / acknowledged writes missing: $(head -3 <<<"$missing")"
grep -q '^outage-' "$WORK/stored.txt" && fail "停库期间失败的写入被记录了 / a write that failed in the outage was stored"
total=$(wc -l <"$WORK/calls.txt")
stored=$(grep -c '^load-' "$WORK/stored.txt" || true)
say "通过 / ok: $(wc -l <"$WORK/acked.txt") 个已确认写入各恰好一次（共 $total 次调用，$failed 次 UNAVAILABLE，最慢 ${slowest} ms；库中 $stored 条）/ every one of $(wc -l <"$WORK/acked.txt") acknowledged writes stored exactly once ($total calls, $failed UNAVAILABLE, slowest ${slowest} ms; $stored stored)"

# Leadership after the restart: both nodes lost the lock's session with the database; exactly
# one must hold it again and run the scheduler, and the other must know it does not.
believes_leader() {
  grep -E "$LEADER_LINE|$FOLLOWER_LINE" "$WORK/node$1.log" | tail -n 1 | grep -q "$LEADER_LINE"
}
leaders() {
  local n out=""
  for n in "${NODES[@]}"; do if believes_leader "$n"; then out+="$n "; fi; done
  echo "${out% }"
}
deadline=$(( $(now_ms) + 3000 ))
while [ "$(wc -w <<<"$(leaders)")" != 1 ]; do
  [ "$(now_ms)" -lt "$deadline" ] ||
    fail "重启 3 秒后认为自己是主节点的节点：'$(leaders)'，应恰有一个 / nodes that consider themselves the leader 3 s after the restart: '$(leaders)', want exactly one"
  sleep 0.1
done
say "通过 / ok: 恰有一个主节点 / exactly one leader: node $(leaders)"

if [ "$FREEZE" = 1 ]; then
  # A hung database: the nodes' connections stay open, nothing answers.
  t_freeze=$(now_ms)
  pg_freeze
  say "PostgreSQL 已冻结（SIGSTOP）/ PostgreSQL frozen (SIGSTOP)"
  for n in "${NODES[@]}"; do
    "$PROBE" --server "${NODE_ADDR[$n]}" --until NOT_SERVING --within_ms "$HEALTH_LIMIT_MS" \
      >"$WORK/frozen-$n.txt" 2>&1 &
    PROBE_PID[n]=$!
  done
  outage_call 1 read &
  caller=$!
  for n in "${NODES[@]}"; do
    wait "${PROBE_PID[$n]}" || fail "数据库冻结后节点 $n 在 ${HEALTH_LIMIT_MS} ms 内没有答 NOT_SERVING / with the database frozen, node $n did not answer NOT_SERVING within ${HEALTH_LIMIT_MS} ms: $(cat "$WORK/frozen-$n.txt")"
    say "节点 $n 答 NOT_SERVING / node $n answers NOT_SERVING $(cut -d' ' -f2 <"$WORK/frozen-$n.txt") ms after the freeze"
  done
  wait "$caller"
  read -r code ms <"$WORK/outage-1-read.txt"
  err=$(grep -v '^重试中' "$WORK/outage-1-read.err" || true)
  if [ "$code" != 9 ] || grep -q "did not answer within" <<<"$err" || [ "$ms" -gt "$CALL_LIMIT_MS" ]; then
    fail "数据库冻结时读调用退出码 $code，用了 ${ms} ms / with the database frozen a read exited $code after ${ms} ms, want UNAVAILABLE within ${CALL_LIMIT_MS} ms: $err"
  fi
  pg_thaw
  for n in "${NODES[@]}"; do
    "$PROBE" --server "${NODE_ADDR[$n]}" --until SERVING --within_ms "$HEALTH_LIMIT_MS" >/dev/null ||
      fail "解冻后节点 $n 没有恢复 SERVING / node $n did not answer SERVING after the thaw"
  done
  say "通过 / ok: 数据库冻结 $(( $(now_ms) - t_freeze )) ms：NOT_SERVING、UNAVAILABLE，解冻后恢复 / frozen database: NOT_SERVING, UNAVAILABLE, recovered after the thaw"
fi

cli 1 audit verify >"$WORK/audit.out" 2>&1 || fail "rectify audit verify: $(cat "$WORK/audit.out")"
say "通过 / ok: rectify audit verify"
for n in "${NODES[@]}"; do node_stop "$n"; done
say "通过 / ok: 两个节点收到 SIGTERM 后正常退出 / both nodes exit 0 on SIGTERM"
check_leadership_logged_once
say "通过 / passed ($(( ($(now_ms) - T0) / 1000 )) s)"
