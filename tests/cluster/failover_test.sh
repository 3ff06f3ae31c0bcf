#!/usr/bin/env bash
# 调度主节点切换 / Scheduler failover: three rectifyd nodes on one private PostgreSQL 15 database.
# The leader (the one node that runs the scheduler) is SIGKILLed while flags keep coming due; the
# test measures how long until another node logs that it leads (at most 2.5 s: two follower
# polls of 1 s and slack), and checks that every flag (临期 due soon, 滞后 behind schedule, 逾期
# overdue, 督办 escalated) was raised exactly once and on time, none missed: before the kill,
# around it (due while no node led), after it, and by the new leader alone (the restarted old
# leader stays a follower). Through the API of every node each task shows the same. At the end
# `rectify audit verify` passes, the nodes exit 0 on SIGTERM, and every leadership change was
# logged once.
#
# Flags must come due while the test runs, so the nodes run in a time zone made for it
# (--time_zone Fixed/UTC+hh:mm:ss) whose midnight falls 33 s after they start. A task due
# "today" is then due soon at once (raised by the node that creates it, inside the create),
# behind schedule after a fifth of its remaining time (raised by the leader's scheduler), and
# overdue at midnight, escalated at the same moment (--grace_days 0; both by the scheduler).
#
# Timeline (M: the nodes' midnight)
#   M-33  nodes 1, 2, 3 (PostgreSQL before); node 1 leads
#   M-30  batch A: 6 tasks over the three nodes; behind schedule at about M-24 (old leader)
#   M-19.6 batch K: 3 tasks, behind schedule about 0.3 s after the kill (new leader)
#   M-16  SIGKILL the leader; measure the takeover; batch B: 6 tasks over the survivors
#   then  restart the killed node (a follower now); batch C: 3 tasks through it
#   M     every task overdue and escalated (new leader); then the checks
#
# Usage: failover_test.sh --rectifyd PATH --rectify PATH
# Environment: CLUSTER_KEEP=1 keeps the work directory; RECTIFY_PG_BIN the PostgreSQL binaries.
set -euo pipefail

TEST=failover_test
RECTIFYD="" RECTIFY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rectifyd) RECTIFYD=$2; shift 2 ;;
    --rectify) RECTIFY=$2; shift 2 ;;
    *) echo "$TEST: 未知参数 / unknown argument $1" >&2; exit 2 ;;
  esac
done
# shellcheck source=tests/cluster/cluster_lib.sh
source "$(dirname "$0")/cluster_lib.sh"
cluster_init
T0=$(now_ms)

# Allowed takeover: the followers look every second (Scheduler::Options.follower_poll), so 2 s
# (two polls) plus slack for a loaded machine.
TAKEOVER_LIMIT_MS=2500
# Allowed lateness of a scheduler-raised flag after its due instant (the kill's gap included).
LAG_LIMIT_MS=3000

pg_start
say "PostgreSQL 已启动 / PostgreSQL up on 127.0.0.1:$PG_PORT ($(( $(now_ms) - T0 )) ms)"

# The nodes' time zone: its midnight M falls LEAD_S seconds from now.
LEAD_S=33
M_S=$(( $(date +%s) + LEAD_S ))
M_MS=$(( M_S * 1000 ))
OFFSET=$(( (86400 - M_S % 86400) % 86400 ))
ZONE=$(printf 'Fixed/UTC+%02d:%02d:%02d' $((OFFSET / 3600)) $((OFFSET % 3600 / 60)) $((OFFSET % 60)))
TODAY=$(date -u -d "@$((M_S - 1 + OFFSET))" +%F)
FLAGS=(--time_zone "$ZONE" --grace_days 0 --warning_days 3 --behind_points 20)
say "时区 / time zone $ZONE: 今天 / today is $TODAY there, midnight at $(date -u -d "@$M_S" +%T) UTC"

# Node 1 first: it creates the schema, writes the admin token and takes the leadership.
node_start 1 "${FLAGS[@]}"
node_start 2 "${FLAGS[@]}"
node_start 3 "${FLAGS[@]}"
say "三个节点 / three nodes: ${NODE_ADDR[1]} ${NODE_ADDR[2]} ${NODE_ADDR[3]}"
for _ in $(seq 1 100); do
  [ "$(( $(leader_lines 1) + $(leader_lines 2) + $(leader_lines 3) ))" -ge 1 ] && break
  sleep 0.05
done
LEADERS=()
for n in 1 2 3; do [ "$(leader_lines $n)" = 0 ] || LEADERS+=("$n"); done
[ "${#LEADERS[@]}" = 1 ] || fail "启动后应恰有一个主节点 / want exactly one leader after start, got: ${LEADERS[*]:-none}"
OLD=${LEADERS[0]}
say "主节点 / leader: node $OLD"

# The ledger: a branch, a review, a problem; tasks due today.
BRANCH=$(cli 1 --json unit create 第一支部 --parent 1 | json 'd["id"]')
REVIEW=$(cli 2 --json review create "主节点切换测试专题组织生活会" --kind org-life \
  --held-on 2021-12-20 --unit 1 | json 'd["id"]')
PROBLEM=$(cli 3 --json problem add "$REVIEW" --area 在联系服务群众方面 "调研指导还不够深入" |
  json 'd["id"]')
: >"$WORK/tasks.txt"
# create_tasks BATCH COUNT NODE...: COUNT tasks due today, spread over the nodes; "id batch"
# lines in tasks.txt.
create_tasks() {
  local batch=$1 count=$2 i id
  shift 2
  local nodes=("$@")
  for i in $(seq 1 "$count"); do
    id=$(cli "${nodes[$(( (i - 1) % ${#nodes[@]} ))]}" --json task create "$PROBLEM" \
      --measure "切换测试 $batch-$i：按期整改" --owner-unit "$BRANCH" --owner 张三 \
      --deadline "$TODAY" | json 'd["id"]') || fail "创建任务 / task create $batch-$i"
    echo "$id $batch" >>"$WORK/tasks.txt"
  done
}
ids_of() { awk -v b="$1" '$2 == b { printf "%s%s", sep, $1; sep = "," }' "$WORK/tasks.txt"; }
# flags_of KIND BATCH: how many flags of the kind the batch's tasks have.
flags_of() { sql "SELECT count(*) FROM flags WHERE kind = $1 AND task_id IN ($(ids_of "$2"))"; }
# wait_flags KIND BATCH WANT DEADLINE_MS: until the batch has WANT flags of the kind.
wait_flags() {
  while [ "$(flags_of "$1" "$2")" != "$3" ]; do
    [ "$(now_ms)" -lt "$4" ] ||
      fail "批次 $2 的 $1 类标记只有 $(flags_of "$1" "$2") 个，应为 $3 / batch $2 has $(flags_of "$1" "$2") flags of kind $1, want $3"
    sleep 0.1
  done
}

[ "$(now_ms)" -lt $((M_MS - 24000)) ] ||
  fail "准备太慢（距午夜不足 24 秒）/ setting up took too long (less than 24 s to midnight left)"
create_tasks A 6 1 2 3
say "批次 A / batch A: 6 个任务 / tasks ($(( (M_MS - $(now_ms)) / 1000 )) s to midnight)"
A_DUE=$(sql "SELECT max(create_time + ($M_MS::bigint * 1000 - create_time) * 20 / 100) / 1000
             FROM tasks WHERE id IN ($(ids_of A))")
wait_flags 2 A 6 $((A_DUE + LAG_LIMIT_MS))
say "批次 A 的滞后标记已由主节点 $OLD 标出 / batch A behind schedule, raised by leader node $OLD"

# Batch K: behind schedule about 0.3 s after the kill (due = c + (M - c) / 5 = kill + 0.3 s when
# c = M - 19.6 s), so in the gap without a leader or just after the takeover.
KILL_MS=$((M_MS - 16000))
sleep_until_ms $((M_MS - 19600))
create_tasks K 3 1 2 3
[ "$(now_ms)" -lt "$KILL_MS" ] || fail "批次 K 创建太慢 / batch K took too long"

# Kill the leader and time the takeover.
SURVIVORS=()
for n in 1 2 3; do [ "$n" = "$OLD" ] || SURVIVORS+=("$n"); done
sleep_until_ms "$KILL_MS"
t_kill=$(now_ms)
{ kill -KILL "${NODE_PID[$OLD]}"; wait "${NODE_PID[$OLD]}"; } 2>/dev/null || true
NODE_PID[OLD]=""
NEW=""
while [ -z "$NEW" ]; do
  for n in "${SURVIVORS[@]}"; do
    [ "$(leader_lines "$n")" = 0 ] || NEW=$n
  done
  [ -n "$NEW" ] && break
  [ $(( $(now_ms) - t_kill )) -lt 10000 ] || fail "SIGKILL 后 10 秒内无节点接任 / no node took over within 10 s of the SIGKILL"
  sleep 0.01
done
TAKEOVER_MS=$(( $(now_ms) - t_kill ))
say "接任时间 / takeover time: ${TAKEOVER_MS} ms (node $OLD SIGKILLed, node $NEW leads now)"
[ "$TAKEOVER_MS" -le "$TAKEOVER_LIMIT_MS" ] ||
  fail "接任用了 ${TAKEOVER_MS} ms，超过 ${TAKEOVER_LIMIT_MS} ms / the takeover took ${TAKEOVER_MS} ms, more than ${TAKEOVER_LIMIT_MS} ms"

create_tasks B 6 "${SURVIVORS[@]}"
say "批次 B / batch B: 6 个任务经存活节点创建 / tasks through the survivors ($(( (M_MS - $(now_ms)) / 1000 )) s to midnight)"

# The old leader comes back: a follower now, the new leader keeps the lock.
mv "$WORK/node$OLD.log" "$WORK/node$OLD-killed.log"
node_start "$OLD" "${FLAGS[@]}"
[ "$(now_ms)" -lt $((M_MS - 6000)) ] ||
  fail "重启太慢（距午夜不足 6 秒）/ the restart took too long (less than 6 s to midnight)"
create_tasks C 3 "$OLD"
say "节点 $OLD 已重启，批次 C 经它创建 / node $OLD restarted, batch C created through it"

TOTAL=$(wc -l <"$WORK/tasks.txt")
wait_flags 2 K 3 $((M_MS - 4000))
wait_flags 2 B 6 $((M_MS - 1000))
wait_flags 2 C 3 $((M_MS - 500))
sleep_until_ms "$M_MS"
say "午夜 / midnight: 等待逾期与督办 / waiting for overdue and escalation"
for b in A K B C; do
  wait_flags 3 "$b" "$(grep -c " $b\$" "$WORK/tasks.txt")" $((M_MS + LAG_LIMIT_MS))
  wait_flags 4 "$b" "$(grep -c " $b\$" "$WORK/tasks.txt")" $((M_MS + LAG_LIMIT_MS))
done
# One more second: a flag raised twice would show up now.
sleep 1

# Leadership: one leader before the kill, one survivor after it, none from the restarted node,
# and nobody stepped down in between.
for n in "${SURVIVORS[@]}"; do
  if [ "$n" = "$NEW" ]; then want=1; else want=0; fi
  [ "$(leader_lines "$n")" = "$want" ] ||
    fail "节点 $n 记录了 $(leader_lines "$n") 次成为主节点，应为 $want / node $n logged leadership $(leader_lines "$n") times, want $want"
  [ "$(follower_lines "$n")" = 0 ] || fail "节点 $n 失去了主节点身份 / node $n stepped down"
done
[ "$(leader_lines "$OLD")" = 0 ] ||
  fail "重启后的节点 $OLD 成为主节点，但节点 $NEW 仍持有锁 / the restarted node $OLD took over although node $NEW holds the lock"
say "通过 / ok: 主节点唯一 / one leader at a time (node $OLD, then node $NEW; restarted node $OLD follows)"

# Exactly once: every task has each of the four flags once (the schema's UNIQUE key forbids a
# second row per deadline version; all tasks keep deadline version 0), one raised event per flag
# and one cleared event for each of the two that midnight cleared.
bad=$(sql "SELECT t.id || ':' || coalesce(string_agg(f.kind::text, ',' ORDER BY f.kind), '')
           FROM tasks t LEFT JOIN flags f ON f.task_id = t.id GROUP BY t.id
           HAVING coalesce(string_agg(f.kind::text, ',' ORDER BY f.kind), '') <> '1,2,3,4'")
[ -z "$bad" ] || fail "标记不是恰好各一次 / flags not exactly once each (task:kinds): $bad"
[ "$(sql "SELECT count(*) FROM flags")" = $((4 * TOTAL)) ] || fail "flags: want $((4 * TOTAL)) rows"
bad=$(sql "SELECT task_id || ' ' || kind || ' ' || detail || ' x' || count(*) FROM events
           WHERE kind IN (6, 7) GROUP BY task_id, kind, detail HAVING count(*) > 1")
[ -z "$bad" ] || fail "重复的标记事件 / duplicate flag events: $bad"
[ "$(sql "SELECT count(*) FROM events WHERE kind = 6")" = $((4 * TOTAL)) ] ||
  fail "raised events: $(sql "SELECT count(*) FROM events WHERE kind = 6"), want $((4 * TOTAL))"
[ "$(sql "SELECT count(*) FROM events WHERE kind = 7")" = $((2 * TOTAL)) ] ||
  fail "cleared events: $(sql "SELECT count(*) FROM events WHERE kind = 7"), want $((2 * TOTAL))"
bad=$(sql "SELECT task_id || ':' || kind FROM flags
           WHERE (kind IN (1, 2)) <> (cleared_time IS NOT NULL)")
[ -z "$bad" ] || fail "清除状态不对 / wrong cleared state (task:kind): $bad"
say "通过 / ok: $TOTAL 个任务各有临期、滞后、逾期、督办标记恰好一次，事件无重复 / $TOTAL tasks, each flag exactly once, no duplicate event"

# On time, none early: due soon inside the create; behind schedule at create + (M - create) / 5;
# overdue and escalated at M. Lateness in ms, per batch.
LAGS=$(sql "
  SELECT t.batch || ' ' || f.kind || ' ' || min(f.lag) || ' ' || max(f.lag)
  FROM (SELECT f.kind, f.task_id, (f.raised_time - CASE f.kind
          WHEN 1 THEN t.create_time
          WHEN 2 THEN t.create_time + ($M_MS::bigint * 1000 - t.create_time) * 20 / 100
          ELSE $M_MS::bigint * 1000 END) / 1000 AS lag
        FROM flags f JOIN tasks t ON t.id = f.task_id) f
  JOIN (VALUES $(awk '{ printf "%s(%s, '\''%s'\'')", sep, $1, $2; sep = ", " }' "$WORK/tasks.txt"))
       AS t(id, batch) ON t.id = f.task_id
  GROUP BY t.batch, f.kind ORDER BY t.batch, f.kind")
say "标记延迟（毫秒，批次 类别 最小 最大）/ flag lateness in ms (batch kind min max):"
sed 's/^/    /' <<<"$LAGS"
while read -r batch kind min max; do
  [ "$min" -ge 0 ] || fail "批次 $batch 类别 $kind 的标记早了 ${min} ms / batch $batch kind $kind raised ${min} ms early"
  if [ "$kind" = 1 ]; then
    [ "$max" = 0 ] || fail "临期标记应在创建时标出 / due soon must be raised by the create itself"
  else
    [ "$max" -le "$LAG_LIMIT_MS" ] ||
      fail "批次 $batch 类别 $kind 的标记晚了 ${max} ms / batch $batch kind $kind raised ${max} ms late"
  fi
done <<<"$LAGS"
k_after=$(sql "SELECT count(*) FROM flags WHERE kind = 2 AND task_id IN ($(ids_of K))
               AND raised_time > $t_kill::bigint * 1000")
say "批次 K：$k_after/3 个滞后标记在 SIGKILL 之后到期，由新主节点标出 / batch K: $k_after of 3 behind-schedule flags came due after the SIGKILL and were raised by the new leader"

# Through the API, on every node: each task red, escalated to level 2, and its history shows each
# of the four flags raised once.
i=0
while read -r id _; do
  node=$(( i % 3 + 1 ))
  i=$((i + 1))
  # "light level raised distinct": the light, the escalation level, how many flag-raised events
  # the history holds and how many different flags they name.
  got=$(cli "$node" --json task show "$id" </dev/null | json '
    (lambda raised: "%s %s %d %d" % (d["task"]["light"], d["task"]["escalation_level"],
                                     len(raised), len(set(raised))))(
      [e["detail"].split("：")[0] for e in d["events"] if e["kind"] == "EVENT_FLAG_RAISED"])')
  [ "$got" = "RED 2 4 4" ] || fail "任务 $id 经节点 $node 查看 / task $id through node $node: $got, want RED 2 4 4"
done <"$WORK/tasks.txt"
say "通过 / ok: 经三个节点的 API 查看，每个任务红灯、二级督办、四个标记各一次 / through the API of all three nodes: every task RED, escalation 2, four flags once each"

cli "$NEW" audit verify >"$WORK/audit.out" 2>&1 || fail "rectify audit verify: $(cat "$WORK/audit.out")"
say "通过 / ok: rectify audit verify"

for n in 1 2 3; do node_stop "$n"; done
say "通过 / ok: 三个节点收到 SIGTERM 后正常退出 / all three nodes exit 0 on SIGTERM"
check_leadership_logged_once
say "通过 / passed: 接任时间 / takeover ${TAKEOVER_MS} ms, $TOTAL tasks, $((4 * TOTAL)) flags exactly once ($(( ($(now_ms) - T0) / 1000 )) s)"
