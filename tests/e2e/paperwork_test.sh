#!/usr/bin/env bash
# End to end: the paperwork that goes upward. Starts the real rectifyd, builds a small ledger with
# every status, then reads back with python3-openpyxl and python3-docx what `rectify export
# --format xlsx|csv` and `rectify report document` wrote, and loads edited files back with
# `rectify import-ledger` (dry run, apply, all or nothing). Checks live in paperwork_check.py.
# Usage: paperwork_test.sh RECTIFYD RECTIFY
set -uo pipefail

RECTIFYD=${1:?rectifyd binary}
RECTIFY=${2:?rectify binary}
CHECK="$(dirname "$0")/paperwork_check.py"
# Debian's interpreter, where python3-openpyxl and python3-docx live (a pyenv on PATH has not).
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
WORK=$(mktemp -d)
SERVER_PID=""
failures=0
checks=0
AS_OF=2100-04-10

cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

for module in openpyxl docx; do
  "$PY" -c "import $module" 2>/dev/null || { echo "python3-$module is missing"; exit 1; }
done

"$RECTIFYD" --db "$WORK/ledger.db" --listen 127.0.0.1:0 --port_file "$WORK/port" \
  --root_unit_name 机关党委 2>>"$WORK/server.log" &
SERVER_PID=$!
for _ in $(seq 1 100); do
  [ -s "$WORK/port" ] && break
  sleep 0.1
done
[ -s "$WORK/port" ] || { echo "rectifyd did not start:"; cat "$WORK/server.log"; exit 1; }
PORT=$(cat "$WORK/port")
unset RECTIFY_TOKEN
r() { "$RECTIFY" --server "127.0.0.1:$PORT" --token_file "$WORK/rectify-admin.token" "$@"; }

check() {
  local what=$1
  shift
  checks=$((checks + 1))
  if "$@" >"$WORK/check.out" 2>&1; then
    echo "ok   $what"
  else
    echo "FAIL $what"
    sed 's/^/     /' "$WORK/check.out"
    failures=$((failures + 1))
  fi
}

# The ledger: four units, two reviews held by the committee. Review 1: four problems (one
# without a measure), nine tasks that end up closed (with a close-out summary and an acceptance
# note), long-term, in progress (extended), open (three, overdue as of the date), open and due
# two days after the date (yellow), submitted (待验收) and cancelled. Review 2: one problem, two
# tasks (one overdue as of the date), so that the unit's figures differ from review 1's.
r unit create 第一支部 --parent 1 >/dev/null
r unit create 第二支部 --parent 1 >/dev/null
r unit create 第一党小组 --parent 2 >/dev/null
r review create "2021年党史学习教育专题组织生活会" --kind org-life --held-on 2021-12-20 --unit 1 >/dev/null
r problem add 1 --area 在理论学习方面 "调研指导还不够深入" >/dev/null
r problem add 1 --area 在发挥先锋模范作用方面 "责任担当意识有待进一步增强" >/dev/null
r problem add 1 --area 在发挥先锋模范作用方面 "联系服务群众不够经常" >/dev/null
r problem add 1 --area 在理论学习方面 "学习笔记记录不够规范" >/dev/null
r task create 1 --measure "每季度到联系点调研一次，形成调研报告" --owner-unit 2 --owner 张三 \
  --leader 李书记 --deadline 2099-12-31 >/dev/null
r task create 1 --measure "建立联系群众长效机制" --owner-unit 3 --owner 李四 --every 30 >/dev/null
r task create 2 --measure "开展专题学习" --owner-unit 4 --owner 王五 --deadline 2099-06-30 >/dev/null
r task create 3 --measure "每月走访群众不少于两次" --owner-unit 2 --owner 赵六 --deadline 2099-09-30 >/dev/null
r task create 3 --measure "建立群众意见台账" --owner-unit 3 --owner 钱七 --deadline 2099-10-31 >/dev/null
r task create 3 --measure "重复的措施" --owner-unit 2 --owner 赵六 --deadline 2099-11-30 >/dev/null
r task create 2 --measure "制定岗位责任清单" --owner-unit 4 --owner 孙八 --deadline 2099-08-31 >/dev/null
r task create 4 --measure "每周检查学习笔记" --owner-unit 3 --owner 钱七 --deadline 2100-04-12 >/dev/null
r task create 4 --measure "补齐学习笔记" --owner-unit 2 --owner 张三 --deadline 2100-06-30 >/dev/null
r review create "2021年度民主生活会" --kind democratic-life --held-on 2021-12-28 --unit 1 >/dev/null
r problem add 2 --area 在担当作为方面 "攻坚克难的勇气不足" >/dev/null
r task create 5 --measure "主动认领攻坚任务" --owner-unit 2 --owner 张三 --deadline 2099-05-31 >/dev/null
r task create 5 --measure "建立攻坚任务台账" --owner-unit 3 --owner 李四 --deadline 2100-12-31 >/dev/null
printf '走访记录：三个社区\n' >"$WORK/走访记录.txt"
r task progress 1 --text "已走访三个社区，形成调研报告" --percent 100 --evidence "$WORK/走访记录.txt" >/dev/null
r task submit 1 --summary "调研报告已定稿" >/dev/null
r task accept 1 --note 同意销号 >/dev/null
r task progress 3 --text "已组织两次专题学习" --percent 50 >/dev/null
# The branch asks for more time and the committee approves (never the same person).
r --json token create --name 王五 --role branch --unit 4 2>/dev/null |
  "$PY" -c 'import json,sys; print(json.load(sys.stdin)["secret"])' >"$WORK/group.token"
chmod 600 "$WORK/group.token"
"$RECTIFY" --server "127.0.0.1:$PORT" --token_file "$WORK/group.token" \
  extension request 3 --to 2100-03-31 --reason "需协调上级党校师资" >/dev/null
r extension approve 1 --note 同意 >/dev/null
r task cancel 6 --reason "并入任务4" >/dev/null
# Submitted for close-out, waiting for the committee: the report says so, with its summary.
r task progress 9 --text "已补齐全部学习笔记" --percent 100 >/dev/null
r task submit 9 --summary "学习笔记已补齐并装订成册" >/dev/null

r --json report stats --as-of "$AS_OF" >"$WORK/stats.json"
r --json report overdue --as-of "$AS_OF" >"$WORK/overdue.json"
r --json report stats --review 1 --as-of "$AS_OF" >"$WORK/stats-1.json"
r --json report overdue --review 1 --as-of "$AS_OF" >"$WORK/overdue-1.json"
check "report stats --review counts that review alone" \
  "$PY" -c 'import json,sys; a,b=(json.load(open(f))["total"]["counts"]["total"] for f in sys.argv[1:]); sys.exit(0 if (a,b)==(11,9) else f"{a} {b}")' \
  "$WORK/stats.json" "$WORK/stats-1.json"

# The workbook.
r export --format xlsx --as-of "$AS_OF" -o "$WORK/整改台账.xlsx" 2>/dev/null
check "export --format xlsx writes a workbook" test -s "$WORK/整改台账.xlsx"
check "workbook: sheets, types, fills, frozen header, print setup, totals = report stats" \
  "$PY" "$CHECK" xlsx "$WORK/整改台账.xlsx" "$WORK/stats.json" "$WORK/overdue.json"
r export --format xlsx --review 1 --as-of "$AS_OF" -o "$WORK/检视1.xlsx" 2>/dev/null
check "workbook of review 1: every sheet = report stats/overdue --review 1, lights as of the date" \
  "$PY" "$CHECK" xlsx "$WORK/检视1.xlsx" "$WORK/stats-1.json" "$WORK/overdue-1.json"
check "xlsx to a terminal is refused, to a pipe it is written" \
  sh -c "'$RECTIFY' --server 127.0.0.1:$PORT --token_file '$WORK/rectify-admin.token' export --format xlsx | head -c 2 | grep -q PK"

# The CSV.
r export --format csv -o "$WORK/整改台账.csv" 2>/dev/null
check "csv: BOM, ids, dates and cadences apart, numbers bare" \
  "$PY" "$CHECK" csv "$WORK/整改台账.csv"

# The written report.
r report document 1 --as-of "$AS_OF" >"$WORK/报告.docx"
check "docx: styles, page, headings, totals = report stats --review 1, each problem once" \
  "$PY" "$CHECK" docx "$WORK/报告.docx" "$WORK/stats-1.json"

# field TASK KEY...: fields of a task, space-separated.
field() {
  local id=$1
  shift
  r --json task show "$id" | "$PY" -c "import json,sys; t=json.load(sys.stdin)['task']; print(*[t.get(k, '') for k in sys.argv[1:]])" "$@"
}
owner() { field "$1" owner_person owner_unit_name; }

# Round trip: three owners edited in the workbook (one by a new unit), as a committee would.
check "edit three owners in the workbook with openpyxl" \
  "$PY" "$CHECK" edit-xlsx "$WORK/整改台账.xlsx" "$WORK/edited.xlsx" \
  '4:责任人=周九' '5:责任单位=第一党小组' '7:责任人=吴十'
r import-ledger "$WORK/edited.xlsx" --dry-run >"$WORK/dry.out" 2>&1
check "dry run shows each change row by row" \
  sh -c "grep -q '任务 4  责任人：赵六 → 周九' '$WORK/dry.out' && grep -q '任务 5  责任单位：第二支部 → 第一党小组' '$WORK/dry.out' && grep -q '任务 7  责任人：孙八 → 吴十' '$WORK/dry.out' && grep -q '预演' '$WORK/dry.out'"
check "dry run changes nothing" test "$(owner 4)" = "赵六 第一支部"
check "import-ledger applies the edited workbook" r import-ledger "$WORK/edited.xlsx"
check "the three owners changed" sh -c "test \"$(owner 4)|$(owner 5)|$(owner 7)\" = '周九 第一支部|钱七 第一党小组|吴十 第一党小组'"

# All or nothing: one good row and one row of a task in progress: nothing is applied.
r export --format xlsx --as-of "$AS_OF" -o "$WORK/second.xlsx" 2>/dev/null
"$PY" "$CHECK" edit-xlsx "$WORK/second.xlsx" "$WORK/bad.xlsx" '4:责任人=郑十一' '3:责任人=冯十二' >/dev/null
r import-ledger "$WORK/bad.xlsx" >"$WORK/bad.out" 2>&1
code=$?
check "a file with a bad row is refused (exit 3) naming the row and the status" \
  sh -c "test $code -eq 3 && grep -q '任务 3 当前为“整改中”' '$WORK/bad.out'"
check "... and its good row is not applied either" sh -c "test \"$(owner 4)\" = '周九 第一支部'"
# A later deadline of an assigned task goes through the extension rules: asked for, with a
# reason, in the same all-or-nothing call as the file's other changes.
"$PY" "$CHECK" edit-xlsx "$WORK/second.xlsx" "$WORK/deadline.xlsx" \
  '4:整改时限=2099-12-25' '5:责任人=周十三' >/dev/null
r import-ledger "$WORK/deadline.xlsx" --dry-run >"$WORK/deadline-dry.out" 2>&1
check "dry run lists the later deadline as an extension request" \
  sh -c "grep -q '任务 4  申请延期 → 2099-12-25' '$WORK/deadline-dry.out' && grep -q -- '--reason' '$WORK/deadline-dry.out'"
r import-ledger "$WORK/deadline.xlsx" >"$WORK/deadline.out" 2>&1
code=$?
check "without --reason nothing is applied (usage, exit 2)" \
  sh -c "test $code -eq 2 && grep -q -- '--reason' '$WORK/deadline.out' && test \"$(owner 5)\" = '钱七 第一党小组'"
"$PY" "$CHECK" edit-xlsx "$WORK/second.xlsx" "$WORK/deadline-bad.xlsx" \
  '4:整改时限=2099-12-25' '3:责任人=冯十二' >/dev/null
r import-ledger "$WORK/deadline-bad.xlsx" --reason "需协调上级党校师资" >"$WORK/deadline-bad.out" 2>&1
code=$?
pending() { r --json task show "$1" | "$PY" -c 'import json,sys; print(sum(1 for x in json.load(sys.stdin).get("extensions", []) if x.get("state") == "EXTENSION_PENDING"))'; }
check "a bad row refuses the file: no extension request is filed either" \
  sh -c "test $code -eq 3 && test \"$(pending 4)\" = 0"
r import-ledger "$WORK/deadline.xlsx" --reason "需协调上级党校师资" >"$WORK/deadline-ok.out" 2>&1
check "with --reason the owner change applies and the extension is filed, pending" \
  sh -c "grep -q '已申请延期至 2099-12-25' '$WORK/deadline-ok.out' && test \"$(owner 5)|$(pending 4)|$(field 4 deadline)\" = '周十三 第一党小组|1|2099-09-30'"
ext=$(r --json task show 4 | "$PY" -c 'import json,sys; print([x["id"] for x in json.load(sys.stdin)["extensions"] if x.get("state") == "EXTENSION_PENDING"][0])')
r extension approve "$ext" --note 同意 >"$WORK/approve-self.out" 2>&1
code=$?
check "the committee that asked may not decide its own request (separation of duties)" \
  sh -c "test $code -eq 8 && test \"$(pending 4)\" = 1"
r --json token create --name 纪委督查室 --role supervisor --unit 1 2>/dev/null |
  "$PY" -c 'import json,sys; print(json.load(sys.stdin)["secret"])' >"$WORK/supervisor.token"
chmod 600 "$WORK/supervisor.token"
"$RECTIFY" --server "127.0.0.1:$PORT" --token_file "$WORK/supervisor.token" \
  extension approve "$ext" --note 同意 >/dev/null 2>&1
check "the root's supervisor approves it and the deadline moves" test "$(field 4 deadline)" = 2099-12-25

# Round trip through the CSV: the leader of task 7 (exported afresh: its version moved).
r export --format csv -o "$WORK/整改台账.csv" 2>/dev/null
"$PY" "$CHECK" edit-csv "$WORK/整改台账.csv" "$WORK/edited.csv" '7:责任领导=陈书记' >/dev/null
r import-ledger "$WORK/edited.csv" >/dev/null 2>"$WORK/csv.err"
check "import-ledger takes the CSV too" test "$(field 7 leader)" = 陈书记

echo "$((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
