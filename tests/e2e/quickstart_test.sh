#!/usr/bin/env bash
# End to end: starts the real rectifyd on a free port and drives the real rectify client through
# the whole of the README's quickstart, checking every outcome that matters.
# Usage: quickstart_test.sh RECTIFYD RECTIFY
set -uo pipefail

RECTIFYD=${1:?rectifyd binary}
RECTIFY=${2:?rectify binary}
WORK=$(mktemp -d)
SERVER_PID=""
failures=0
checks=0

cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then kill -9 "$SERVER_PID"; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

start_server() {
  rm -f "$WORK/port"
  "$RECTIFYD" --db "$WORK/ledger.db" --listen 127.0.0.1:0 --port_file "$WORK/port" \
    --root_unit_name 机关党委 2>>"$WORK/server.log" &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    [ -s "$WORK/port" ] && break
    sleep 0.1
  done
  [ -s "$WORK/port" ] || { echo "rectifyd did not start:"; cat "$WORK/server.log"; exit 1; }
  PORT=$(cat "$WORK/port")
}

stop_server() {
  kill -TERM "$SERVER_PID"
  wait "$SERVER_PID"
  local code=$?
  SERVER_PID=""
  check "rectifyd exits 0 on SIGTERM" test "$code" -eq 0
}

# r ARGS...: the client with the admin token of the first start (root committee); rb: with the
# branch token of 第一支部 (张三); rg: with the branch token of 第一党小组 (王五).
unset RECTIFY_TOKEN
r() { "$RECTIFY" --server "127.0.0.1:$PORT" --token_file "$WORK/rectify-admin.token" "$@"; }
rb() { "$RECTIFY" --server "127.0.0.1:$PORT" --token_file "$WORK/branch.token" "$@"; }
rg() { "$RECTIFY" --server "127.0.0.1:$PORT" --token_file "$WORK/group.token" "$@"; }

check() {
  local what=$1
  shift
  checks=$((checks + 1))
  if "$@"; then
    echo "ok   $what"
  else
    echo "FAIL $what"
    failures=$((failures + 1))
  fi
}

# json EXPR: evaluates a Python expression over the JSON document on stdin (as d).
json() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

# exits CODE CMD...: the command exits with CODE and prints its error on stderr only.
exits() {
  local want=$1
  shift
  "$@" >"$WORK/out" 2>"$WORK/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "     exit $got, wanted $want: $(cat "$WORK/err")"
    return 1
  fi
  [ ! -s "$WORK/out" ]
}

start_server
check "first start wrote an owner-only admin token beside the database" \
  test "$(stat -c %a "$WORK/rectify-admin.token")" = 600
check "no token is UNAUTHENTICATED (exit 8)" \
  exits 8 env HOME="$WORK" "$RECTIFY" --server "127.0.0.1:$PORT" task show 1

# 1. The org tree, several levels deep (the root came with the first start); list and rename.
r unit create 第一支部 --parent 1 >/dev/null
r unit create 第二支部 --parent 1 >/dev/null
r unit create 第一党小组 --parent 2 >/dev/null
check "unit list shows the tree in order" \
  test "$(r --json unit list | json '[u["name"] for u in d["units"]]')" = \
  "['机关党委', '第一支部', '第一党小组', '第二支部']"
r unit rename 3 机关第二支部 >/dev/null
check "renamed unit keeps its id" test "$(r --json unit show 3 | json 'd["name"]')" = "机关第二支部"
check "a sibling with the same name is ALREADY_EXISTS (exit 5)" exits 5 r unit create 第一支部 --parent 1

# 2. A review, its problems, tasks with a deadline and long-term ones.
r review create "2021年党史学习教育专题组织生活会" --kind org-life --held-on 2021-12-20 --unit 1 >/dev/null
r cause add 1 "理论武装不够强" >/dev/null
r problem add 1 --area 在联系服务群众方面 --cause 1 "调研指导还不够深入" >/dev/null
r problem add 1 --area 在发挥先锋模范作用方面 "责任担当意识有待进一步增强" >/dev/null
check "problems list with their area" \
  test "$(r --json problem list 1 | json 'd["problems"][1]["area"]')" = "在发挥先锋模范作用方面"
r task create 1 --measure "每季度到联系点调研一次，形成调研报告" --owner-unit 2 --owner 张三 \
  --leader 李书记 --deadline 2099-12-31 >/dev/null
r task create 1 --measure "建立联系群众长效机制" --owner-unit 3 --owner 李四 --every 30 >/dev/null
r task create 2 --measure "开展专题学习" --owner-unit 4 --owner 王五 --deadline 2099-06-30 >/dev/null
check "task with a deadline starts OPEN (待整改)" \
  test "$(r --json task show 1 | json 'd["task"]["status"]')" = "OPEN"
check "task with a cadence is long-term (长期坚持)" \
  test "$(r --json task show 2 | json 'd["task"]["status"]')" = "ONGOING"
check "a deadline before today is refused naming the field (exit 3)" \
  exits 3 r task create 1 --measure x --owner-unit 2 --owner 张三 --deadline 2001-01-01
grep -q deadline "$WORK/err" || { echo "     error does not name deadline"; failures=$((failures + 1)); }

# Tokens for the branches, shown once, kept owner-only.
r --json token create --name 张三 --role branch --unit 2 2>/dev/null | json 'd["secret"]' >"$WORK/branch.token"
r --json token create --name 王五 --role branch --unit 4 2>/dev/null | json 'd["secret"]' >"$WORK/group.token"
chmod 600 "$WORK/branch.token" "$WORK/group.token"
check "whoami names the branch token" test "$(rb --json whoami | json 'd["name"] + " " + d["role"]')" = "张三 BRANCH"
no_secret_listed() { ! r --json token list | grep -q rfy_; }
check "token list never shows a secret" no_secret_listed
check "a token file others may read is refused (exit 2)" sh -c \
  "cp '$WORK/branch.token' '$WORK/open.token' && chmod 644 '$WORK/open.token' && \
   ! '$RECTIFY' --server 127.0.0.1:$PORT --token_file '$WORK/open.token' whoami 2>&1 | grep -q 张三"
check "a branch does not see its sibling's task (exit 4, as if it did not exist)" exits 4 rb task show 2
check "a branch may not close out (exit 8)" exits 8 rb task accept 1

# 3. The branch lists, reports progress with evidence, submits.
check "branch lists its subtree's tasks" \
  test "$(rb --json task list --unit 2 | json 'sorted(t["id"] for t in d["tasks"])')" = "['1', '3']"
check "filter by status" \
  test "$(r --json task list --status ongoing | json '[t["id"] for t in d["tasks"]]')" = "['2']"
check "filter by area" \
  test "$(rb --json task list --area 在发挥先锋模范作用方面 | json '[t["id"] for t in d["tasks"]]')" = "['3']"
check "filter by deadline range" \
  test "$(rb --json task list --due-from 2099-01-01 --due-to 2099-07-01 | json '[t["id"] for t in d["tasks"]]')" = "['3']"
printf '走访记录：三个社区\n' >"$WORK/走访记录.txt"
rb task progress 1 --text "已走访三个社区" --percent 40 --evidence "$WORK/走访记录.txt" >/dev/null
check "first progress report starts the task (整改中) at 40%" \
  test "$(rb --json task show 1 | json 'd["task"]["status"] + " " + str(d["task"]["progress_percent"])')" = "IN_PROGRESS 40"
check "evidence is kept with its SHA-256" \
  test "$(rb --json task show 1 | json 'd["progress"][0]["evidence"][0]["sha256"]')" = \
  "$(sha256sum "$WORK/走访记录.txt" | cut -d' ' -f1)"
check "percent outside 0-100 is refused before sending (exit 2)" \
  exits 2 rb task progress 1 --text x --percent 101
check "a stale expected version is ABORTED (exit 7)" \
  exits 7 rb task submit 1 --summary 完成 --expect-version 1
rb task submit 1 --summary "调研报告已定稿" >/dev/null
check "progress on a submitted task is FAILED_PRECONDITION (exit 6)" \
  exits 6 rb task progress 1 --text 补充 --percent 90

# 4. The committee returns, accepts (销号), reopens, marks long-term, cancels.
r task return 1 --reason "缺少整改成效佐证" >/dev/null
check "returned task is back in progress with the reason" \
  test "$(r --json task show 1 | json 'd["task"]["status"] + " " + d["task"]["status_note"]')" = "IN_PROGRESS 缺少整改成效佐证"
rb task submit 1 --summary "补充佐证材料" >/dev/null
r task accept 1 --note 同意销号 >/dev/null
check "accepted task is CLOSED (已销号) with a close time" \
  test "$(r --json task show 1 | json 'd["task"]["status"] + " " + str(bool(d["task"].get("close_time")))')" = "CLOSED True"
r task reopen 1 --reason "回头看发现问题反弹" >/dev/null
r task ongoing 1 --every 90 >/dev/null
check "reopened then long-term" test "$(r --json task show 1 | json 'd["task"]["status"]')" = "ONGOING"
r task cancel 2 --reason "并入任务1" >/dev/null
check "cancelled (已撤销)" test "$(r --json task show 2 | json 'd["task"]["status"]')" = "CANCELLED"
check "a cancelled task cannot be cancelled again (exit 6)" exits 6 r task cancel 2 --reason 再次
check "an unknown task is NOT_FOUND (exit 4)" exits 4 r task show 999

# 5. Extensions: request, approve moves the deadline; deny keeps it; history stays.
rg extension request 3 --to 2100-03-31 --reason "需协调经费" >/dev/null
check "only one pending request per task (exit 6)" exits 6 rg extension request 3 --to 2100-04-30 --reason 再申请
r extension approve 1 --note 同意 >/dev/null
check "approval moves the deadline and bumps the deadline version" \
  test "$(r --json task show 3 | json 'd["task"]["deadline"] + " " + str(d["task"]["deadline_version"])')" = "2100-03-31 2"
rg extension request 3 --to 2100-06-30 --reason "再延一次" >/dev/null
r extension deny 2 --note "理由不充分" >/dev/null
check "the whole extension history stays visible" \
  test "$(r --json task show 3 | json '[x["state"] for x in d["extensions"]]')" = \
  "['EXTENSION_APPROVED', 'EXTENSION_DENIED']"

# 6. The overdue list as of a date, grouped by owner unit, with days overdue.
# As of 2100-04-10 task 3 (due 2100-03-31) is 10 days late, and long-term task 1 has long missed
# its 90-day checkpoint; cancelled task 2 is never overdue.
check "overdue list as of 2100-04-10: tasks 1 and 3, grouped by unit in tree order" \
  test "$(r --json report overdue --as-of 2100-04-10 | json '[(g["unit_name"], i["task"]["id"]) for g in d["groups"] for i in g["items"]]')" = \
  "[('第一支部', '1'), ('第一党小组', '3')]"
check "days overdue counts from the day after the deadline" \
  test "$(r --json report overdue --as-of 2100-04-10 --unit 4 | json 'd["groups"][0]["items"][0]["days_overdue"]')" = "10"
check "human overdue report names the unit" sh -c "\"$RECTIFY\" --server 127.0.0.1:$PORT --token_file $WORK/rectify-admin.token report overdue --as-of 2100-04-10 | grep -q 第一党小组"

# Everything survives a restart; SIGTERM is a clean stop.
stop_server
start_server
check "the ledger survives a restart" \
  test "$(r --json task show 3 | json 'd["task"]["deadline"]')" = "2100-03-31"
check "server unreachable is exit 9" exits 9 "$RECTIFY" --server 127.0.0.1:1 --timeout 2 task show 1
stop_server

# The host's recovery as documented (docs/security.md): rectifyd --mint-admin-token FILE writes a
# new root committee token into an owner-only file, with an audit entry; the server then accepts it.
"$RECTIFYD" --db "$WORK/ledger.db" --mint-admin-token "$WORK/recovered.token" >"$WORK/mint.log" 2>&1
check "rectifyd --mint-admin-token exits 0" test $? -eq 0
check "the recovered token file is owner-only" test "$(stat -c %a "$WORK/recovered.token")" = 600
start_server
check "the recovered token is a root committee token" \
  test "$("$RECTIFY" --server "127.0.0.1:$PORT" --token_file "$WORK/recovered.token" --json whoami | json 'd["role"] + " " + d["unit_id"]')" = "COMMITTEE 1"
check "its minting is in the audit trail" \
  sh -c "\"$RECTIFY\" --server 127.0.0.1:$PORT --token_file $WORK/recovered.token audit list --method MintAdminToken | grep -q MintAdminToken"
stop_server
check "the server said where it listened and that it stopped" grep -q "已停止" "$WORK/server.log"

echo "$((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
