#!/usr/bin/env python3
"""Reads back what rectify's paperwork commands wrote (paperwork_test.sh drives it).

  paperwork_check.py xlsx FILE STATS_JSON OVERDUE_JSON
  paperwork_check.py csv FILE
  paperwork_check.py docx FILE STATS_JSON
  paperwork_check.py edit-xlsx IN OUT TASK:COLUMN=VALUE...
  paperwork_check.py edit-csv IN OUT TASK:COLUMN=VALUE...

Exits non-zero with the failed assertion's message.
"""
import csv
import datetime
import json
import re
import sys

import docx
import openpyxl
from docx.oxml.ns import qn
from docx.shared import Cm, Pt


def fail(message):
    print(message)
    sys.exit(1)


def expect(condition, message):
    if not condition:
        fail(message)


def columns(ws, header_row=3):
    return {cell.value: cell.column for cell in ws[header_row] if cell.value}


def data_rows(ws, first=4):
    for row in ws.iter_rows(min_row=first):
        if row[0].value is None or row[0].value == "合计":
            continue
        yield row


def rate_text(rate):
    return "%.1f%%" % (rate * 100)


def check_print_setup(ws):
    expect(ws.freeze_panes == "A4", f"{ws.title}: frozen below the header, got {ws.freeze_panes}")
    expect(ws.page_setup.orientation == "landscape", f"{ws.title}: landscape")
    expect(str(ws.page_setup.paperSize) == "9", f"{ws.title}: A4, got {ws.page_setup.paperSize}")
    expect(ws.sheet_properties.pageSetUpPr.fitToPage, f"{ws.title}: fit to page")
    expect(ws.page_setup.fitToWidth in (1, None) and ws.page_setup.fitToHeight == 0,
           f"{ws.title}: one page wide, any number tall")
    expect(ws.print_title_rows in ("$3:$3", "3:3"),
           f"{ws.title}: header repeated on every page, got {ws.print_title_rows}")
    expect(ws.auto_filter.ref and ws.auto_filter.ref.startswith("A3"),
           f"{ws.title}: autofilter on the header, got {ws.auto_filter.ref}")
    expect("&P" in (ws.oddFooter.center.text or ""), f"{ws.title}: page number in the footer")
    expect(ws["A2"].value.startswith("填报单位："), f"{ws.title}: title block names the unit")
    expect("截至日期：" in "".join(str(c.value) for c in ws[2] if c.value),
           f"{ws.title}: title block has the as-of date")


def check_xlsx(path, stats_path, overdue_path):
    stats = json.load(open(stats_path, encoding="utf-8"))
    overdue = json.load(open(overdue_path, encoding="utf-8"))
    wb = openpyxl.load_workbook(path)
    expect(wb.sheetnames == ["整改台账", "逾期清单", "统计"], f"sheets: {wb.sheetnames}")
    for ws in wb.worksheets:
        check_print_setup(ws)

    ws = wb["整改台账"]
    col = columns(ws)
    for name in ["序号", "任务编号", "整改时限", "长期坚持周期（天）", "进度", "预警", "逾期天数",
                 "督办", "最新进展", "完成日期", "责任单位", "责任人", "责任领导"]:
        expect(name in col, f"整改台账 has a {name} column")
    width = ws.column_dimensions[openpyxl.utils.get_column_letter(col["整改措施"])].width
    expect(width >= 20, f"the measure column is wide enough for Chinese text ({width})")
    fills = {"绿灯": "C6EFCE", "黄灯": "FFEB9C", "红灯": "FFC7CE"}
    by_task = {}
    statuses = {}
    for row in data_rows(ws):
        task = row[col["任务编号"] - 1].value
        if task is None:
            continue
        by_task[int(task)] = row
        status = row[col["状态"] - 1].value
        statuses[status] = statuses.get(status, 0) + 1
        progress = row[col["进度"] - 1]
        expect(isinstance(progress.value, (int, float)) and progress.number_format == "0%",
               f"progress is a number shown as a percentage: {progress.value!r} {progress.number_format}")
        light = row[col["预警"] - 1]
        if light.value:
            rgb = light.fill.fgColor.rgb or ""
            expect(rgb.endswith(fills[light.value]), f"{light.value} is filled {fills[light.value]}, got {rgb}")
    # The light is the one as of the title block's date, by the scheduler's rule: never green
    # beside days overdue. As of 2100-04-10 task 4 (due 2099-09-30) is red, task 8 (due
    # 2100-04-12) yellow, task 9 (submitted) green, the closed task 1 has none.
    def light(task):
        cell = by_task[task][col["预警"] - 1]
        return cell.value, (cell.fill.fgColor.rgb or "")[-6:]
    expect(light(4) == ("红灯", fills["红灯"]), f"task 4 is red as of the date: {light(4)}")
    expect(light(8) == ("黄灯", fills["黄灯"]), f"task 8 is yellow as of the date: {light(8)}")
    expect(light(9) == ("绿灯", fills["绿灯"]), f"task 9 is green: {light(9)}")
    expect(not light(1)[0], f"a closed task has no light: {light(1)}")
    for task, row in by_task.items():
        days = row[col["逾期天数"] - 1].value
        if days:
            expect(row[col["预警"] - 1].value == "红灯",
                   f"task {task} is {days} days overdue but reads {row[col['预警'] - 1].value}")
    deadline = by_task[4][col["整改时限"] - 1].value
    expect(isinstance(deadline, datetime.datetime) and deadline.date() == datetime.date(2099, 9, 30),
           f"the deadline is a real date: {deadline!r}")
    expect(by_task[2][col["长期坚持周期（天）"] - 1].value == 30, "the cadence has a column of its own")
    expect(by_task[2][col["整改时限"] - 1].value is None, "a long-term task has no date")
    closed = by_task[1][col["完成日期"] - 1].value
    expect(isinstance(closed, datetime.datetime), f"the completion date is a date: {closed!r}")
    expect(by_task[3][col["逾期天数"] - 1].value == 10, "task 3 is 10 days overdue as of the date")
    expect(by_task[3][col["督办"] - 1].value, "an overdue task shows its escalation level")
    expect(by_task[3][col["最新进展"] - 1].value == "已组织两次专题学习", "latest progress")
    total = stats["total"]["counts"]
    get = lambda key: int(total.get(key, 0))
    expect(len(by_task) == get("total"), f"ledger rows {len(by_task)} = statistics total {get('total')}")
    expect(statuses.get("已销号", 0) == get("closed"), "closed tasks match the statistics")
    expect(statuses.get("长期坚持", 0) == get("ongoing"), "long-term tasks match the statistics")

    ws = wb["逾期清单"]
    rows = list(data_rows(ws))
    expect(len(rows) == int(overdue["total"]), f"overdue rows {len(rows)} = report total {overdue['total']}")
    # Of the same scope as the ledger sheet: every overdue task is one of its rows.
    overdue_col = columns(ws)
    listed = {int(r[overdue_col["任务编号"] - 1].value) for r in rows}
    expect(listed <= set(by_task), f"overdue tasks {sorted(listed - set(by_task))} are not in the ledger sheet")
    want_ids = {int(item["task"]["id"]) for g in overdue.get("groups", []) for item in g["items"]}
    expect(listed == want_ids, f"overdue tasks {sorted(listed)} = report overdue {sorted(want_ids)}")

    ws = wb["统计"]
    col = columns(ws)
    last = [r for r in ws.iter_rows(min_row=4) if r[0].value == "合计"]
    expect(len(last) == 1, "the statistics sheet ends with a total row")
    t = last[0]
    want = {"总数": get("total"), "已完成": get("closed"), "基本完成持续整改": get("ongoing"),
            "未完成": get("in_progress") + get("submitted"), "已撤销": get("cancelled"),
            "其中逾期": get("overdue")}
    for name, value in want.items():
        expect(t[col[name] - 1].value == value, f"统计 合计 {name}: {t[col[name] - 1].value} != {value}")
    rate = t[col["整改完成率"] - 1]
    expect(abs(rate.value - stats["total"]["completion_rate"]) < 1e-9 and "%" in rate.number_format,
           f"completion rate is a number formatted as a percentage: {rate.value} {rate.number_format}")


def check_csv(path):
    raw = open(path, "rb").read()
    expect(raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    expect(rows, "rows")
    for row in rows:
        for numeric in ["检视编号", "问题编号", "任务编号", "进度（%）", "长期坚持周期（天）", "版本"]:
            value = row[numeric]
            expect(value == "" or value.isdigit(), f"{numeric} is a bare number: {value!r}")
        expect(row["整改时限"] == "" or re.fullmatch(r"\d{4}-\d\d-\d\d", row["整改时限"]),
               f"deadline is a bare date: {row['整改时限']!r}")
        expect(not row["检视"].startswith("#"), "no #id prefix on the review")
    ongoing = [r for r in rows if r["任务编号"] == "2"][0]
    expect(ongoing["长期坚持周期（天）"] == "30" and ongoing["整改时限"] == "", "cadence apart from dates")


def check_docx(path, stats_path):
    stats = json.load(open(stats_path, encoding="utf-8"))
    d = docx.Document(path)
    paragraphs = d.paragraphs
    expect(paragraphs[0].style.name == "Title", f"first paragraph is the title: {paragraphs[0].style.name}")
    expect(paragraphs[0].text == "关于2021年党史学习教育专题组织生活会整改落实情况的报告",
           f"title: {paragraphs[0].text}")
    c = stats["total"]["counts"]
    get = lambda key: int(c.get(key, 0))
    opening = paragraphs[1].text
    want = (f"共查摆问题4个、制定整改措施{get('total')}项，已完成{get('closed')}项、"
            f"基本完成并持续整改{get('ongoing')}项、未完成{get('in_progress') + get('submitted')}项")
    expect(want in opening, f"opening totals: want {want!r} in {opening!r}")
    expect(f"整改完成率{rate_text(stats['total']['completion_rate'])}" in opening,
           f"completion rate as report stats: {opening}")
    headings1 = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    expect(headings1[:2] == ["一、在理论学习方面", "二、在发挥先锋模范作用方面"], f"areas: {headings1}")
    expect(any(h.endswith("长期坚持的整改措施") for h in headings1), "closing with long-term measures")
    headings2 = [p.text for p in paragraphs if p.style.name == "Heading 2"]
    for problem in ["调研指导还不够深入", "责任担当意识有待进一步增强", "联系服务群众不够经常",
                    "学习笔记记录不够规范"]:
        n = sum(1 for h in headings2 if h.endswith(problem))
        expect(n == 1, f"problem {problem} appears once, got {n}")
    text = "\n".join(p.text for p in paragraphs)
    for phrase in ["佐证材料：走访记录.txt",
                   # closed: what was done (the summary at SubmitTask), then the acceptance note
                   "验收销号。完成情况：调研报告已定稿。验收意见：同意销号。",
                   # submitted: said to be so, with its summary, not as unfinished
                   "已申请销号，完成情况：学习笔记已补齐并装订成册。",
                   "未完成原因：需协调上级党校师资", "新的整改时限为2100年3月31日", "每 30 天报告一次进展"]:
        expect(phrase in text, f"the report says {phrase!r}")
    expect("未完成原因：学习笔记已补齐" not in text, "a submitted task has no 未完成原因")
    # Only review 1: review 2's problem is not in it.
    expect("攻坚克难的勇气不足" not in text, "the report is of its review only")
    styles = d.styles

    def east_asia(style):
        return style.element.rPr.rFonts.get(qn("w:eastAsia"))

    expect(east_asia(styles["Normal"]) == "仿宋_GB2312" and styles["Normal"].font.size == Pt(16),
           "body 仿宋_GB2312 三号")
    expect(east_asia(styles["Title"]) == "方正小标宋简体" and styles["Title"].font.size == Pt(22),
           "title 方正小标宋简体 二号")
    expect(east_asia(styles["Heading 1"]) == "黑体", "heading 1 黑体")
    expect(east_asia(styles["Heading 2"]) == "楷体_GB2312", "heading 2 楷体_GB2312")
    s = d.sections[0]
    expect(abs(s.page_width - Cm(21)) < Cm(0.05) and abs(s.page_height - Cm(29.7)) < Cm(0.05), "A4")
    for name, want_cm in [("top_margin", 3.7), ("bottom_margin", 3.5), ("left_margin", 2.8),
                          ("right_margin", 2.6)]:
        expect(abs(getattr(s, name) - Cm(want_cm)) < Cm(0.01), f"{name} {want_cm} cm")


def parse_edits(args):
    edits = []
    for arg in args:
        task, rest = arg.split(":", 1)
        column, value = rest.split("=", 1)
        edits.append((task, column, value))
    return edits


def edit_xlsx(src, dst, args):
    wb = openpyxl.load_workbook(src)
    ws = wb["整改台账"]
    col = columns(ws)
    for task, column, value in parse_edits(args):
        rows = [r for r in data_rows(ws) if str(r[col["任务编号"] - 1].value) == task]
        expect(len(rows) == 1, f"task {task} in the sheet")
        cell = rows[0][col[column] - 1]
        if column == "整改时限":
            cell.value = datetime.datetime.strptime(value, "%Y-%m-%d")
        else:
            cell.value = value
    wb.save(dst)


def edit_csv(src, dst, args):
    text = open(src, encoding="utf-8-sig").read()
    rows = list(csv.reader(text.splitlines()))
    header = rows[0]
    for task, column, value in parse_edits(args):
        for row in rows[1:]:
            if row[header.index("任务编号")] == task:
                row[header.index(column)] = value
    with open(dst, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)


def main():
    what = sys.argv[1]
    if what == "xlsx":
        check_xlsx(*sys.argv[2:5])
    elif what == "csv":
        check_csv(sys.argv[2])
    elif what == "docx":
        check_docx(*sys.argv[2:4])
    elif what == "edit-xlsx":
        edit_xlsx(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif what == "edit-csv":
        edit_csv(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        fail(f"unknown check {what}")


if __name__ == "__main__":
    main()
