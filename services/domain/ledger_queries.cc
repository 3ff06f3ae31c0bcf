// Ledger: reading tasks, their history, and the overdue list (逾期清单).
#include <algorithm>
#include <map>

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
  ASSIGN_OR_RETURN(std::vector<std::string> cursor, DecodePageToken("tasks", filter.page_token, 2));
  if (!cursor.empty()) {
    if (!absl::SimpleAtoi(cursor[0], &query.after_id) || query.after_id <= 0) {
      return InvalidField("page_token", "分页标记无效", "invalid page token");
    }
    if (!cursor[1].empty()) {
      ASSIGN_OR_RETURN(query.after_deadline, ParseDay("page_token", cursor[1]));
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

absl::StatusOr<OverdueList> Ledger::OverdueReport(Id unit_id, const std::string& as_of) const {
  OverdueList list;
  if (as_of.empty()) {
    list.as_of = Today();
  } else {
    ASSIGN_OR_RETURN(list.as_of, ParseDay("as_of", as_of));
  }
  std::map<std::string, OverdueUnitGroup> by_path;  // path order is tree order
  RETURN_IF_ERROR(store_->Read([&](ReadTxn& tx) -> absl::Status {
    TaskQuery query;
    ASSIGN_OR_RETURN(query.subtree_path, SubtreePath(tx, unit_id));
    query.overdue_as_of = list.as_of;
    query.limit = 1000;
    while (true) {
      ASSIGN_OR_RETURN(std::vector<Task> tasks, tx.ListTasks(query));
      for (Task& task : tasks) {
        auto it = by_path.find(task.owner_path);
        if (it == by_path.end()) {
          ASSIGN_OR_RETURN(OrgUnit unit, tx.GetUnit(task.owner_unit_id));
          it = by_path.emplace(task.owner_path, OverdueUnitGroup{unit, {}}).first;
        }
        const absl::CivilDay due =
            task.status == TaskStatus::kOngoing ? *task.checkpoint_due : *task.deadline;
        it->second.entries.push_back(OverdueEntry{task, static_cast<int>(list.as_of - due)});
      }
      if (static_cast<int>(tasks.size()) < query.limit) break;
      query.after_id = tasks.back().id;
      query.after_deadline = tasks.back().deadline;
    }
    return absl::OkStatus();
  }));
  for (auto& [path, group] : by_path) {
    std::stable_sort(group.entries.begin(), group.entries.end(),
                     [](const OverdueEntry& a, const OverdueEntry& b) {
                       return a.days_overdue > b.days_overdue;
                     });
    list.total += static_cast<int>(group.entries.size());
    list.groups.push_back(std::move(group));
  }
  return list;
}

}  // namespace rectify
