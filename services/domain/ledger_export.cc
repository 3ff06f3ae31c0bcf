// 整改台账: the ledger export, a keyset page at a time.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"
#include "services/domain/limits.h"
#include "services/domain/reports.h"

namespace rectify {

absl::Status ExportLedger(const Ledger& ledger, const ExportQuery& q,
                          const std::function<absl::Status(const LedgerEntry&)>& emit) {
  if (q.review_id < 0) {
    return InvalidField("review_id", "必须是正整数编号", "must be a positive id");
  }
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
      if (!q.with_history) return absl::OkStatus();
      for (LedgerEntry& entry : page) {
        if (!entry.task.has_value()) continue;
        ASSIGN_OR_RETURN(entry.progress, tx.ListProgress(entry.task->id));
        ASSIGN_OR_RETURN(entry.extensions, tx.ListExtensions(entry.task->id));
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
