// 整改台账: the ledger export, a keyset page at a time.
#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/civil.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"
#include "services/domain/flag_rules.h"
#include "services/domain/limits.h"
#include "services/domain/reports.h"

namespace rectify {

std::string SubmitSummary(const Task& task, const std::vector<Event>& events) {
  if (task.status != TaskStatus::kSubmitted && task.status != TaskStatus::kClosed &&
      task.status != TaskStatus::kOngoing) {
    return "";
  }
  std::string summary;
  for (const Event& e : events) {
    if (e.kind != EventKind::kTransition || !e.from_status || !e.to_status) continue;
    if (*e.to_status == TaskStatus::kSubmitted) {
      // The detail is TransitionDetail(from, SUBMITTED, summary): the summary follows its prefix.
      const std::string prefix = TransitionDetail(*e.from_status, *e.to_status, "") + "：";
      summary = absl::StartsWith(e.detail, prefix) ? e.detail.substr(prefix.size()) : "";
    } else if (*e.to_status == TaskStatus::kInProgress) {
      summary.clear();  // returned or reopened: that close-out did not stand
    }
  }
  return summary;
}

absl::Status ExportLedger(const Ledger& ledger, const ExportQuery& q,
                          const std::function<absl::Status(const LedgerEntry&)>& emit) {
  if (q.review_id < 0) {
    return InvalidField("review_id", "必须是正整数编号", "must be a positive id");
  }
  ASSIGN_OR_RETURN(const absl::CivilDay as_of, ResolveAsOf(ledger, q.as_of));
  // The instant the overdue report judges escalation at: a task due the day before is overdue.
  const absl::Time as_of_start = StartOfDay(as_of, ledger.settings().time_zone);
  LedgerEntryQuery query;
  query.review_id = q.review_id;
  query.limit = std::max(1, std::min(q.page_size, limits::kMaxPageSize));
  RETURN_IF_ERROR(ledger.store()->Read([&](ReadTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(ReportScope scope, ResolveScope(tx, q.unit_id));
    query.subtree_path = scope.path;
    if (q.review_id != 0) RETURN_IF_ERROR(tx.GetReview(q.review_id).status());
    return absl::OkStatus();
  }));
  while (true) {
    std::vector<LedgerEntry> page;
    RETURN_IF_ERROR(ledger.store()->Read([&](ReadTxn& tx) -> absl::Status {
      ASSIGN_OR_RETURN(page, tx.ListLedgerEntries(query));
      for (LedgerEntry& entry : page) {
        if (!entry.task.has_value()) continue;
        const Task& task = *entry.task;
        entry.light_as_of = EvaluateTask(task, as_of_start, ledger.settings()).light;
        if (!q.with_history) continue;
        ASSIGN_OR_RETURN(entry.progress, tx.ListProgress(task.id));
        ASSIGN_OR_RETURN(entry.extensions, tx.ListExtensions(task.id));
        if (task.status == TaskStatus::kSubmitted || task.status == TaskStatus::kClosed ||
            task.status == TaskStatus::kOngoing) {
          ASSIGN_OR_RETURN(std::vector<Event> events, tx.ListTaskEvents(task.id));
          entry.submit_summary = SubmitSummary(task, events);
        }
      }
      return absl::OkStatus();
    }));
    for (const LedgerEntry& entry : page) RETURN_IF_ERROR(emit(entry));
    if (static_cast<int>(page.size()) < query.limit) return absl::OkStatus();
    const LedgerEntry& last = page.back();
    query.after_review_id = last.problem.review_id;
    query.after_problem_seq = last.problem.seq;
    query.after_task_id = last.task.has_value() ? last.task->id : 0;
  }
}

}  // namespace rectify
