// Reports for supervisors (督查): the overdue list (逾期清单), the statistics (整改进度统计) and
// the ledger export (整改台账). Read-only; each reads through the Ledger's store and settings.
//
//   OverdueQuery q;
//   q.unit_id = 3;
//   q.as_of = "2022-01-05";
//   q.group_by = static_cast<int>(OverdueGrouping::kArea);
//   ASSIGN_OR_RETURN(OverdueReportData report, RunOverdueReport(ledger, q));
//
// "As of" dates move the date arithmetic only (days overdue, escalation level, overdue counts):
// statuses and deadlines are the current ones, as the ledger keeps no snapshots.
//
// Thread safety: the functions are safe to call from any thread (the Ledger and the Store are).
#ifndef RECTIFY_SERVICES_DOMAIN_REPORTS_H_
#define RECTIFY_SERVICES_DOMAIN_REPORTS_H_

#include <array>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/types/optional.h"
#include "services/domain/ledger.h"
#include "services/model/model.h"
#include "services/store/store.h"

namespace rectify {

// Values equal the proto enums' numbers (reports.proto).
enum class OverdueGrouping { kUnit = 0, kOwnerPerson = 1, kArea = 2 };
enum class AgingBucket { k1To7Days = 1, k8To30Days = 2, k31To90Days = 3, kOver90Days = 4 };
inline constexpr int kAgingBucketCount = 4;

// The aging bucket (逾期账龄) of a task `days_overdue` (>= 1) days overdue.
AgingBucket AgingBucketOf(int days_overdue);

// The top of a report: the unit whose subtree it covers.
struct ReportScope {
  Id unit_id = 0;    // 0: every unit
  std::string path;  // "" for every unit
  std::string name;  // "" for every unit
  int depth = 0;     // the unit's depth; 0 for every unit
};

// INVALID_ARGUMENT naming unit_id when negative, NOT_FOUND when unknown.
absl::StatusOr<ReportScope> ResolveScope(ReadTxn& tx, Id unit_id);
// `as_of` ("YYYY-MM-DD"; INVALID_ARGUMENT naming as_of), or today in the organisation's zone.
absl::StatusOr<absl::CivilDay> ResolveAsOf(const Ledger& ledger, const std::string& as_of);

// ---------------------------------------------------------------------------------------------
// 逾期清单

struct OverdueQuery {
  Id unit_id = 0;            // subtree; 0 for all
  std::string as_of;         // "" for today
  std::string area;          // exact; "" for all
  std::string owner_person;  // exact; "" for all
  int min_days_overdue = 0;  // 0 or 1: every overdue task
  int group_by = 0;          // an OverdueGrouping number, validated
  Id review_id = 0;          // only this review's tasks (NOT_FOUND when unknown); 0 for all
};

struct OverdueLine {
  Task task;
  std::string owner_unit_name;
  int days_overdue = 0;
  AgingBucket aging = AgingBucket::k1To7Days;
  int escalation_level = 0;  // as of the report date
};

struct OverdueSection {
  std::string label;               // the unit's name, the person or the area
  Id unit_id = 0;                  // kUnit only
  std::vector<OverdueLine> lines;  // most overdue first, then by task id
};

struct OverdueReportData {
  absl::CivilDay as_of;
  OverdueGrouping group_by = OverdueGrouping::kUnit;
  ReportScope scope;
  // kUnit: in tree order. kOwnerPerson, kArea: most lines first, then by label.
  std::vector<OverdueSection> sections;
  int total = 0;
  std::array<int, kAgingBucketCount> aging_counts{};  // [bucket - 1]
};

// Tasks overdue as of the date (a task due D is overdue as of D+1 and after; a long-term task
// by its checkpoint), filtered and grouped as asked.
absl::StatusOr<OverdueReportData> RunOverdueReport(const Ledger& ledger, const OverdueQuery& q);

// ---------------------------------------------------------------------------------------------
// 整改进度统计

enum class StatisticsDimension { kUnit = 0, kArea = 1 };

struct StatisticsQuery {
  Id unit_id = 0;     // subtree; 0 for all
  std::string as_of;  // "" for today: the day overdue is counted as of
  int by = 0;         // a StatisticsDimension number, validated
  // Only this review's tasks (NOT_FOUND when unknown), counted from its tasks; 0 for all, from
  // the counts the store keeps.
  Id review_id = 0;
};

struct StatisticsLine {
  Id unit_id = 0;  // kUnit
  std::string unit_name;
  int depth = 0;     // below the scope's top
  std::string area;  // kArea
  TaskCounts counts;
  absl::optional<double> completion_rate;  // 整改完成率
  absl::optional<double> on_time_rate;     // 按期完成率
};

struct StatisticsData {
  absl::CivilDay as_of;
  StatisticsDimension by = StatisticsDimension::kUnit;
  ReportScope scope;
  // kUnit: every unit of the scope in tree order, each counting its whole subtree.
  // kArea: every area with tasks, most tasks first, then by name.
  std::vector<StatisticsLine> lines;
  StatisticsLine total;
};

// 整改完成率 = closed / (total - cancelled): withdrawn tasks are not work left to do.
// Absent when nothing is left to count.
absl::optional<double> CompletionRate(const TaskCounts& c);
// 按期完成率 = closed_on_time / closed. Absent when nothing is closed.
absl::optional<double> OnTimeRate(const TaskCounts& c);

// Counts aggregated by the store (one row per owner unit or area, whatever the number of
// tasks), then rolled up the unit tree in memory. With a review, the store aggregates that
// review's tasks (CountReviewTasks) and the roll-up is the same.
absl::StatusOr<StatisticsData> RunStatistics(const Ledger& ledger, const StatisticsQuery& q);

// ---------------------------------------------------------------------------------------------
// 整改台账

struct ExportQuery {
  Id unit_id = 0;    // subtree; 0 for all
  Id review_id = 0;  // 0 for all
  int page_size = 200;
  // Also read each task's progress reports and extension requests, and its last close-out
  // summary (LedgerEntry::submit_summary), in the page's snapshot.
  bool with_history = false;
  // The day LedgerEntry::light_as_of is judged as of ("" for today; INVALID_ARGUMENT naming
  // as_of otherwise when not a date).
  std::string as_of;
};

// Calls `emit` for every entry of the ledger in (review, problem, task) order: tasks owned in the
// subtree, and problems without any task of reviews held in it. Each task's light_as_of is
// EvaluateTask's light at the start of the as-of day, the instant the overdue report judges
// escalation at, so a row never reads green while it is overdue as of that day. Reads a page at a
// time, each in its own snapshot, and calls `emit` outside the store, so a slow reader holds
// neither memory nor a database connection. A non-OK status from `emit` stops the export and is
// returned. An entry committed while the export runs appears if it sorts after the page being read;
// none appears twice.
absl::Status ExportLedger(const Ledger& ledger, const ExportQuery& q,
                          const std::function<absl::Status(const LedgerEntry&)>& emit);

// The close-out summary (完成情况) given at the task's last submission (SubmitTask), read from its
// events in order, if it still stands: the task is SUBMITTED, CLOSED or ONGOING and was not
// returned or reopened (back to IN_PROGRESS) since. "" otherwise.
std::string SubmitSummary(const Task& task, const std::vector<Event>& events);

}  // namespace rectify

#endif  // RECTIFY_SERVICES_DOMAIN_REPORTS_H_
