// 逾期清单: the overdue list, filtered, grouped and aged.
#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/civil.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"
#include "services/common/text.h"
#include "services/domain/flag_rules.h"
#include "services/domain/limits.h"
#include "services/domain/reports.h"

namespace rectify {
namespace {

// Tasks read per store call; the list itself is the report's result and stays in memory.
constexpr int kPageSize = 1000;
// A larger minimum than this means nothing (and would overflow the date arithmetic).
constexpr int kMaxMinDays = 36500;

absl::Status CheckQuery(const OverdueQuery& q) {
  RETURN_IF_ERROR(CheckText("area", q.area, 0, limits::kArea, /*multiline=*/false));
  RETURN_IF_ERROR(
      CheckText("owner_person", q.owner_person, 0, limits::kPersonName, /*multiline=*/false));
  if (q.min_days_overdue < 0 || q.min_days_overdue > kMaxMinDays) {
    return InvalidField("min_days_overdue", "须在 0 到 36500 天之间",
                        "must be between 0 and 36500 days");
  }
  if (q.review_id < 0) {
    return InvalidField("review_id", "必须是正整数编号", "must be a positive id");
  }
  if (q.group_by < 0 || q.group_by > static_cast<int>(OverdueGrouping::kArea)) {
    return InvalidField("group_by", absl::StrCat("未知的分组方式 ", q.group_by),
                        absl::StrCat("unknown grouping ", q.group_by));
  }
  return absl::OkStatus();
}

// The day the task became late: its deadline, or a long-term task's checkpoint.
absl::CivilDay DueDay(const Task& task) {
  return task.status == TaskStatus::kOngoing ? *task.checkpoint_due : *task.deadline;
}

std::string GroupKey(OverdueGrouping by, const OverdueLine& line) {
  switch (by) {
    case OverdueGrouping::kUnit:
      return line.task.owner_path;  // path order is tree order
    case OverdueGrouping::kOwnerPerson:
      return line.task.owner_person;
    case OverdueGrouping::kArea:
      return line.task.area;
  }
  return std::string();
}

}  // namespace

absl::StatusOr<OverdueReportData> RunOverdueReport(const Ledger& ledger, const OverdueQuery& q) {
  RETURN_IF_ERROR(CheckQuery(q));
  OverdueReportData report;
  ASSIGN_OR_RETURN(report.as_of, ResolveAsOf(ledger, q.as_of));
  report.group_by = static_cast<OverdueGrouping>(q.group_by);
  const LedgerSettings& settings = ledger.settings();
  // The report's instant: the start of the as-of day, when a task due the day before has just
  // become overdue. Escalation is judged at this instant, as the scheduler would have.
  const absl::Time as_of_start = StartOfDay(report.as_of, settings.time_zone);

  std::map<std::string, OverdueSection> sections;
  RETURN_IF_ERROR(ledger.store()->Read([&](ReadTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(report.scope, ResolveScope(tx, q.unit_id));
    if (q.review_id != 0) RETURN_IF_ERROR(tx.GetReview(q.review_id).status());
    TaskQuery query;
    query.subtree_path = report.scope.path;
    query.review_id = q.review_id;
    query.area = q.area;
    query.owner_person = q.owner_person;
    // Overdue by at least N days as of D means due before D - (N - 1): the store filters by
    // the minimum too, through the same index.
    query.overdue_as_of = report.as_of - (std::max(q.min_days_overdue, 1) - 1);
    query.limit = kPageSize;
    std::map<Id, std::string> unit_names;
    while (true) {
      ASSIGN_OR_RETURN(std::vector<Task> tasks, tx.ListTasks(query));
      if (tasks.empty()) break;
      const Id last_id = tasks.back().id;
      const absl::optional<absl::CivilDay> last_deadline = tasks.back().deadline;
      const bool last_page = static_cast<int>(tasks.size()) < query.limit;
      for (Task& task : tasks) {
        auto name = unit_names.find(task.owner_unit_id);
        if (name == unit_names.end()) {
          ASSIGN_OR_RETURN(OrgUnit unit, tx.GetUnit(task.owner_unit_id));
          name = unit_names.emplace(unit.id, unit.name).first;
        }
        OverdueLine line;
        line.owner_unit_name = name->second;
        line.days_overdue = static_cast<int>(report.as_of - DueDay(task));
        line.aging = AgingBucketOf(line.days_overdue);
        line.escalation_level = EvaluateTask(task, as_of_start, settings).escalation_level;
        line.task = std::move(task);
        const std::string key = GroupKey(report.group_by, line);
        OverdueSection& section = sections[key];
        if (section.lines.empty()) {
          section.label = report.group_by == OverdueGrouping::kUnit ? line.owner_unit_name : key;
          if (report.group_by == OverdueGrouping::kUnit) section.unit_id = line.task.owner_unit_id;
        }
        ++report.aging_counts[static_cast<int>(line.aging) - 1];
        ++report.total;
        section.lines.push_back(std::move(line));
      }
      if (last_page) break;
      query.after_id = last_id;
      query.after_deadline = last_deadline;
    }
    return absl::OkStatus();
  }));

  for (auto& [key, section] : sections) {
    std::sort(section.lines.begin(), section.lines.end(),
              [](const OverdueLine& a, const OverdueLine& b) {
                if (a.days_overdue != b.days_overdue) return a.days_overdue > b.days_overdue;
                return a.task.id < b.task.id;
              });
    report.sections.push_back(std::move(section));
  }
  if (report.group_by != OverdueGrouping::kUnit) {
    std::stable_sort(report.sections.begin(), report.sections.end(),
                     [](const OverdueSection& a, const OverdueSection& b) {
                       return a.lines.size() > b.lines.size();
                     });
  }
  return report;
}

}  // namespace rectify
