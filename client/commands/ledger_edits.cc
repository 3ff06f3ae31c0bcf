#include "client/commands/ledger_edits.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "client/commands/draft_csv.h"
#include "services/common/labels.h"
#include "services/paperwork/workbook_reader.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

enum Column { kTask, kVersion, kUnit, kUnitId, kPerson, kLeader, kDeadline, kCadence, kColumns };

// Chinese and English headers of each column, as the xlsx and the CSV exports write them.
constexpr const char* kHeaders[kColumns][2] = {
    {"任务编号", "Task ID"},    {"版本", "Version"},
    {"责任单位", "Owner unit"}, {"责任单位编号", "Owner unit ID"},
    {"责任人", "Owner"},        {"责任领导", "Leader"},
    {"整改时限", "Deadline"},   {"长期坚持周期（天）", "Cadence (days)"}};

std::string Trim(const std::string& s) { return std::string(absl::StripAsciiWhitespace(s)); }

std::string LineError(int line, const std::string& zh, const std::string& en) {
  return absl::StrCat("第 ", line, " 行 / line ", line, ": ", zh, " / ", en);
}

// A whole number as a spreadsheet may store it: "12" or "12.0".
bool ParseWhole(const std::string& text, int64_t* out) {
  if (absl::SimpleAtoi(text, out)) return true;
  double d = 0;
  if (!absl::SimpleAtod(text, &d) || d != static_cast<double>(static_cast<int64_t>(d))) {
    return false;
  }
  *out = static_cast<int64_t>(d);
  return true;
}

std::string Or(const std::string& text, const char* empty) { return text.empty() ? empty : text; }

}  // namespace

LedgerFile ReadLedgerFile(const std::vector<LedgerFileRow>& rows, bool xlsx) {
  LedgerFile file;
  int column[kColumns];
  std::fill(column, column + kColumns, -1);
  size_t header = rows.size();
  for (size_t r = 0; r < rows.size() && header == rows.size(); ++r) {
    for (size_t c = 0; c < rows[r].cells.size(); ++c) {
      const std::string cell = Trim(rows[r].cells[c]);
      for (int k = 0; k < kColumns; ++k) {
        if (cell == kHeaders[k][0] || absl::EqualsIgnoreCase(cell, kHeaders[k][1])) {
          column[k] = static_cast<int>(c);
        }
      }
    }
    if (column[kTask] >= 0) header = r;
  }
  if (header == rows.size() || column[kPerson] < 0 || column[kUnit] < 0) {
    file.errors.push_back(
        "找不到表头：需要“任务编号”“责任单位”“责任人”列（请使用 rectify export 导出的文件）/ "
        "no header row with Task ID, Owner unit and Owner columns (use a file made by rectify "
        "export)");
    return file;
  }
  for (size_t r = header + 1; r < rows.size(); ++r) {
    const LedgerFileRow& row = rows[r];
    auto cell = [&](Column k) {
      const int c = column[k];
      if (c < 0 || static_cast<size_t>(c) >= row.cells.size()) return std::string();
      return Trim(row.cells[static_cast<size_t>(c)]);
    };
    const std::string id = cell(kTask);
    if (id.empty()) continue;  // a problem without a measure, or a total line
    LedgerEdit edit;
    edit.line = row.line;
    if (!ParseWhole(id, &edit.task_id) || edit.task_id <= 0) {
      file.errors.push_back(
          LineError(row.line, absl::StrCat("任务编号须为正整数（收到“", id, "”）"),
                    absl::StrCat("Task ID must be a positive number (got \"", id, "\")")));
      continue;
    }
    if (column[kVersion] >= 0 && !cell(kVersion).empty() &&
        !ParseWhole(cell(kVersion), &edit.version)) {
      file.errors.push_back(LineError(row.line, "版本须为整数，请勿修改",
                                      "Version must be a number; leave it as exported"));
    }
    edit.unit_name = cell(kUnit);
    edit.has_unit_id = column[kUnitId] >= 0 && !cell(kUnitId).empty();
    if (edit.has_unit_id && !ParseWhole(cell(kUnitId), &edit.unit_id)) {
      file.errors.push_back(
          LineError(row.line, "责任单位编号须为整数", "Owner unit ID must be a number"));
    }
    edit.person = cell(kPerson);
    edit.has_leader = column[kLeader] >= 0;
    edit.leader = cell(kLeader);
    edit.has_deadline = column[kDeadline] >= 0;
    const std::string deadline = cell(kDeadline);
    if (!deadline.empty()) {
      std::optional<std::string> day;
      if (xlsx) day = paperwork::ExcelSerialToDay(deadline);
      int cadence = 0;
      if (day.has_value()) {
        edit.deadline = *day;
      } else if (!ParseDeadlineCell(deadline, &edit.deadline, &cadence)) {
        file.errors.push_back(
            LineError(row.line, absl::StrCat("整改时限“", deadline, "”不是日期（如 2022-03-31）"),
                      absl::StrCat("Deadline \"", deadline, "\" is not a date (e.g. 2022-03-31)")));
      } else if (cadence > 0) {
        edit.cadence_days = cadence;
      }
    }
    edit.has_cadence = column[kCadence] >= 0;
    const std::string cadence = cell(kCadence);
    int64_t days = 0;
    if (!cadence.empty()) {
      if (!ParseWhole(cadence, &days) || days < 1 || days > 366) {
        file.errors.push_back(
            LineError(row.line, "长期坚持周期须为 1-366 天", "Cadence must be 1-366 days"));
      } else {
        edit.cadence_days = static_cast<int>(days);
      }
    }
    file.rows.push_back(std::move(edit));
  }
  return file;
}

LedgerPlan PlanLedgerChanges(const LedgerFile& file, const std::map<int64_t, v1::Task>& tasks,
                             const std::vector<v1::OrgUnit>& units) {
  LedgerPlan plan;
  plan.errors = file.errors;
  std::map<int64_t, int> seen;
  for (const LedgerEdit& e : file.rows) {
    if (!seen.emplace(e.task_id, e.line).second) {
      plan.errors.push_back(LineError(
          e.line, absl::StrCat("任务 ", e.task_id, " 重复出现（第 ", seen[e.task_id], " 行）"),
          absl::StrCat("task ", e.task_id, " appears twice")));
      continue;
    }
    auto it = tasks.find(e.task_id);
    if (it == tasks.end()) {
      plan.errors.push_back(LineError(e.line, absl::StrCat("任务 ", e.task_id, " 不存在"),
                                      absl::StrCat("task ", e.task_id, " not found")));
      continue;
    }
    const v1::Task& t = it->second;
    LedgerChange change;
    change.line = e.line;
    change.task_id = t.id();
    // The owner unit: by name when the name was edited, else by id when the id was edited.
    int64_t unit_id = t.owner_unit_id();
    std::string unit_name = t.owner_unit_name();
    if (!e.unit_name.empty() && e.unit_name != t.owner_unit_name()) {
      int matches = 0;
      for (const v1::OrgUnit& u : units) {
        if (u.name() == e.unit_name) {
          ++matches;
          unit_id = u.id();
        }
      }
      if (matches != 1) {
        plan.errors.push_back(LineError(
            e.line,
            matches == 0 ? absl::StrCat("找不到责任单位“", e.unit_name, "”")
                         : absl::StrCat("责任单位“", e.unit_name, "”重名，请填写责任单位编号"),
            matches == 0 ? absl::StrCat("no unit named \"", e.unit_name, "\"")
                         : absl::StrCat("several units are named \"", e.unit_name,
                                        "\"; give the owner unit ID")));
        continue;
      }
      unit_name = e.unit_name;
    } else if (e.has_unit_id && e.unit_id != t.owner_unit_id()) {
      unit_id = e.unit_id;
      unit_name = absl::StrCat("#", e.unit_id);
      for (const v1::OrgUnit& u : units) {
        if (u.id() == e.unit_id) unit_name = u.name();
      }
    }
    if (unit_id != t.owner_unit_id()) {
      change.diffs.push_back(
          absl::StrCat("责任单位：", Or(t.owner_unit_name(), "（空）"), " → ", unit_name));
    }
    if (e.person.empty() && !t.owner_person().empty()) {
      plan.errors.push_back(LineError(e.line, "责任人不能为空", "Owner must not be empty"));
      continue;
    }
    if (e.person != t.owner_person()) {
      change.diffs.push_back(
          absl::StrCat("责任人：", Or(t.owner_person(), "（空）"), " → ", e.person));
    }
    const std::string leader = e.has_leader ? e.leader : t.leader();
    if (leader != t.leader()) {
      change.diffs.push_back(
          absl::StrCat("责任领导：", Or(t.leader(), "（空）"), " → ", Or(leader, "（空）")));
    }
    // The export shows no date for a long-term task, only its cadence.
    const std::string old_deadline = t.status() == v1::ONGOING ? "" : t.deadline();
    const std::string deadline = e.has_deadline ? e.deadline : old_deadline;
    const int cadence = e.has_cadence || e.cadence_days > 0 ? e.cadence_days : t.cadence_days();
    const bool cadence_changes = cadence != t.cadence_days();
    const bool owner_changes = !change.diffs.empty();
    // An assigned task's deadline moves only through the extension rules: a later date becomes
    // an extension request (申请延期), filed with the file's other changes.
    change.extension = deadline != old_deadline && !t.draft();
    if (change.extension) {
      change.diffs.push_back(absl::StrCat("申请延期 → ", Or(deadline, "（空）")));
    } else if (deadline != old_deadline) {
      change.diffs.push_back(
          absl::StrCat("整改时限：", Or(old_deadline, "（空）"), " → ", Or(deadline, "（空）")));
    }
    if (cadence_changes) {
      change.diffs.push_back(
          absl::StrCat("长期坚持周期：", t.cadence_days(), " → ", cadence, " 天"));
    }
    if (change.diffs.empty()) {
      ++plan.unchanged;
      continue;
    }
    // Owners change on OPEN tasks only; an extension may be asked for a task in progress too.
    const bool status_allows = t.status() == v1::OPEN || (t.status() == v1::IN_PROGRESS &&
                                                          change.extension && !owner_changes);
    if (!status_allows) {
      plan.errors.push_back(LineError(
          e.line,
          absl::StrCat("任务 ", t.id(), " 当前为“", TaskStatusLabel(static_cast<int>(t.status())),
                       "”，只能调整待整改（含草稿）任务的责任单位、责任人、责任领导",
                       t.status() == v1::IN_PROGRESS ? "，整改中的任务只能申请延期" : ""),
          absl::StrCat("task ", t.id(), " is ", TaskStatusName(static_cast<int>(t.status())),
                       "; only OPEN tasks (drafts included) can be reassigned",
                       t.status() == v1::IN_PROGRESS
                           ? ", and a task in progress can only be given a later deadline"
                           : "")));
      continue;
    }
    if (!t.draft() && (cadence_changes || (change.extension && deadline.empty()))) {
      plan.errors.push_back(LineError(
          e.line,
          absl::StrCat("任务 ", t.id(),
                       " 已指派，表格中不能清空其整改时限或改为长期坚持（转为长期坚持须由党委"
                       "办理：rectify task ongoing）"),
          absl::StrCat("task ", t.id(),
                       " is assigned; its deadline cannot be cleared or made long-term from "
                       "the sheet (the committee marks it long-term: rectify task ongoing)")));
      continue;
    }
    if (change.extension) {
      if (deadline <= old_deadline) {
        plan.errors.push_back(LineError(
            e.line,
            absl::StrCat("任务 ", t.id(), " 已指派，整改时限只能经延期申请推后，须晚于现有时限 ",
                         old_deadline),
            absl::StrCat("task ", t.id(),
                         " is assigned; its deadline can only be extended, to a day after ",
                         old_deadline)));
        continue;
      }
      change.extension_to = deadline;
    }
    v1::TaskAssignmentRow& row = change.row;
    row.set_line(e.line);
    row.set_id(t.id());
    row.set_expected_version(e.version != 0 ? e.version : t.version());
    row.set_owner_unit_id(unit_id);
    row.set_owner_person(e.person);
    row.set_leader(leader);
    if (!deadline.empty()) {
      row.set_deadline(deadline);
    } else {
      row.set_cadence_days(cadence);
    }
    if (change.extension) ++plan.extensions;
    plan.changes.push_back(std::move(change));
  }
  return plan;
}

}  // namespace rectify::client
