// Ledger: reading tasks, their history, and the overdue list (逾期清单).
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/civil.h"
#include "services/common/errors.h"
#include "services/common/page_token.h"
#include "services/common/status_macros.h"
#include "services/common/text.h"
#include "services/domain/flag_rules.h"
#include "services/domain/ledger.h"
#include "services/domain/limits.h"
#include "services/domain/reports.h"

namespace rectify {

bool Ledger::IsOverdueNow(const Task& task) const { return IsOverdue(task, Now(), settings_); }

absl::StatusOr<Task> Ledger::GetTask(Id id) const {
  if (id <= 0) return InvalidField("id", "必须是正整数编号", "must be a positive id");
  Task task;
  RETURN_IF_ERROR(store_->Read([&](ReadTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(task, tx.GetTask(id));
    return absl::OkStatus();
  }));
  return task;
}

absl::StatusOr<TaskPage> Ledger::ListTasks(const TaskFilter& filter) const {
  TaskQuery query;
  ASSIGN_OR_RETURN(query.limit, EffectivePageSize(filter.page_size, limits::kDefaultPageSize));
  for (int s : filter.statuses) {
    if (s < 1 || s > kMaxTaskStatus) {
      return InvalidField("statuses", absl::StrCat("未知的整改状态 ", s),
                          absl::StrCat("unknown task status ", s));
    }
    query.statuses.push_back(static_cast<TaskStatus>(s));
  }
  if (!filter.deadline_from.empty()) {
    ASSIGN_OR_RETURN(query.deadline_from, ParseDay("deadline_from", filter.deadline_from));
  }
  if (!filter.deadline_to.empty()) {
    ASSIGN_OR_RETURN(query.deadline_to, ParseDay("deadline_to", filter.deadline_to));
  }
  RETURN_IF_ERROR(CheckText("area", filter.area, 0, limits::kArea, /*multiline=*/false));
  RETURN_IF_ERROR(CheckText("owner_person", filter.owner_person, 0, limits::kPersonName, false));
  if (filter.review_id < 0) {
    return InvalidField("review_id", "必须是正整数编号", "must be a positive id");
  }
  query.area = filter.area;
  query.owner_person = filter.owner_person;
  query.review_id = filter.review_id;
  if (filter.overdue_only) query.overdue_as_of = Today();
  query.extension_pending = filter.extension_pending;
  ASSIGN_OR_RETURN(std::vector<std::string> cursor, DecodePageToken("tasks", filter.page_token, 2));
  if (!cursor.empty()) {
    if (!absl::SimpleAtoi(cursor[0], &query.after_id) || query.after_id <= 0) {
      return InvalidField("page_token", "分页标记无效", "invalid page token");
    }
    if (!cursor[1].empty()) {
      // The token's own wording is never echoed: it is whatever bytes the caller sent.
      absl::StatusOr<absl::CivilDay> day = ParseDay("page_token", cursor[1]);
      if (!day.ok()) return InvalidField("page_token", "分页标记无效", "invalid page token");
      query.after_deadline = *day;
    }
  }
  const int limit = query.limit;
  query.limit = limit + 1;
  TaskPage page;
  RETURN_IF_ERROR(store_->Read([&](ReadTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(query.subtree_path, SubtreePath(tx, filter.unit_id));
    ASSIGN_OR_RETURN(page.tasks, tx.ListTasks(query));
    return absl::OkStatus();
  }));
  if (static_cast<int>(page.tasks.size()) > limit) {
    page.tasks.resize(limit);
    const Task& last = page.tasks.back();
    page.next_page_token = EncodePageToken(
        "tasks", {absl::StrCat(last.id), last.deadline ? FormatDay(*last.deadline) : ""});
  }
  return page;
}

absl::StatusOr<TaskHistory> Ledger::GetTaskHistory(Id id) const {
  if (id <= 0) return InvalidField("id", "必须是正整数编号", "must be a positive id");
  TaskHistory history;
  RETURN_IF_ERROR(store_->Read([&](ReadTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(history.task, tx.GetTask(id));
    ASSIGN_OR_RETURN(history.problem, tx.GetProblem(history.task.problem_id));
    ASSIGN_OR_RETURN(history.events, tx.ListTaskEvents(id));
    ASSIGN_OR_RETURN(history.progress, tx.ListProgress(id));
    ASSIGN_OR_RETURN(history.extensions, tx.ListExtensions(id));
    return absl::OkStatus();
  }));
  return history;
}

absl::StatusOr<Evidence> Ledger::GetEvidence(Id task_id, Id evidence_id) const {
  if (evidence_id <= 0) {
    return InvalidField("evidence_id", "必须是正整数编号", "must be a positive id");
  }
  Evidence evidence;
  RETURN_IF_ERROR(store_->Read([&](ReadTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<ProgressReport> reports, tx.ListProgress(task_id));
    for (const ProgressReport& report : reports) {
      for (const Evidence& e : report.evidence) {
        if (e.id != evidence_id) continue;
        ASSIGN_OR_RETURN(evidence, tx.GetEvidence(evidence_id));
        return absl::OkStatus();
      }
    }
    return NotFound("证明材料", "evidence", evidence_id);
  }));
  return evidence;
}

absl::StatusOr<OverdueList> Ledger::OverdueReport(Id unit_id, const std::string& as_of) const {
  // The grouped-by-unit view of the full report (reports.h), kept for callers of the Ledger.
  OverdueQuery query;
  query.unit_id = unit_id;
  query.as_of = as_of;
  ASSIGN_OR_RETURN(OverdueReportData report, RunOverdueReport(*this, query));
  OverdueList list;
  list.as_of = report.as_of;
  list.total = report.total;
  RETURN_IF_ERROR(store_->Read([&](ReadTxn& tx) -> absl::Status {
    for (OverdueSection& section : report.sections) {
      OverdueUnitGroup group;
      ASSIGN_OR_RETURN(group.unit, tx.GetUnit(section.unit_id));
      for (OverdueLine& line : section.lines) {
        group.entries.push_back(OverdueEntry{std::move(line.task), line.days_overdue});
      }
      list.groups.push_back(std::move(group));
    }
    return absl::OkStatus();
  }));
  return list;
}

}  // namespace rectify
