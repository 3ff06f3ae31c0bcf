#include "services/app/reads.h"

#include "services/app/access.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"

namespace rectify::app {

absl::StatusOr<Id> LedgerReads::Scope(const Actor& actor, Id requested_unit_id) const {
  return ScopeUnit(ledger_, actor, requested_unit_id);
}

absl::Status LedgerReads::CheckReviewFilter(const Actor& actor, Id review_id) const {
  return InReach(ledger_, [&](ReadTxn& tx) -> absl::StatusOr<Id> {
    RETURN_IF_ERROR(CheckReviewArg(tx, actor, review_id));
    return review_id;
  });
}

absl::StatusOr<OrgUnit> LedgerReads::GetUnit(const Actor& actor, Id id) const {
  ASSIGN_OR_RETURN(OrgUnit unit, ledger_.GetUnit(id));
  if (!actor.Reaches(unit.path)) return NotFound("单位", "unit", id);
  return unit;
}

absl::StatusOr<std::pair<std::vector<OrgUnit>, std::string>> LedgerReads::ListUnits(
    const Actor& actor, Id subtree_of, int page_size, const std::string& page_token) const {
  ASSIGN_OR_RETURN(Id scope, Scope(actor, subtree_of));
  return ledger_.ListUnits(scope, page_size, page_token);
}

absl::StatusOr<Review> LedgerReads::GetReview(const Actor& actor, Id id) const {
  RETURN_IF_ERROR(InReach(ledger_, [&](ReadTxn& tx) { return ReviewInReach(tx, actor, id); }));
  return ledger_.GetReview(id);
}

absl::StatusOr<std::pair<std::vector<Review>, std::string>> LedgerReads::ListReviews(
    const Actor& actor, Id unit_id, int page_size, const std::string& page_token) const {
  ASSIGN_OR_RETURN(Id scope, Scope(actor, unit_id));
  return ledger_.ListReviews(scope, page_size, page_token);
}

absl::StatusOr<Ledger::ProblemPage> LedgerReads::ListProblems(const Actor& actor, Id review_id,
                                                              int page_size,
                                                              const std::string& page_token) const {
  RETURN_IF_ERROR(CheckReviewFilter(actor, review_id));
  return ledger_.ListProblems(review_id, page_size, page_token);
}

absl::StatusOr<Task> LedgerReads::GetTask(const Actor& actor, Id id) const {
  ASSIGN_OR_RETURN(Task task, ledger_.GetTask(id));
  if (!actor.Reaches(task.owner_path)) return NotFound("任务", "task", id);
  return task;
}

absl::StatusOr<TaskPage> LedgerReads::ListTasks(const Actor& actor, TaskFilter filter) const {
  ASSIGN_OR_RETURN(filter.unit_id, Scope(actor, filter.unit_id));
  return ledger_.ListTasks(filter);
}

absl::StatusOr<TaskHistory> LedgerReads::GetTaskHistory(const Actor& actor, Id id) const {
  ASSIGN_OR_RETURN(TaskHistory history, ledger_.GetTaskHistory(id));
  if (!actor.Reaches(history.task.owner_path)) return NotFound("任务", "task", id);
  return history;
}

absl::StatusOr<Evidence> LedgerReads::GetEvidence(const Actor& actor, Id task_id,
                                                  Id evidence_id) const {
  if (task_id <= 0) return InvalidField("task_id", "必须是正整数编号", "must be a positive id");
  ASSIGN_OR_RETURN(Task task, GetTask(actor, task_id));
  return ledger_.GetEvidence(task.id, evidence_id);
}

absl::StatusOr<absl::optional<Review>> LedgerReads::FindImportedReview(
    const Actor& actor, Id unit_id, const std::string& sha256) const {
  RETURN_IF_ERROR(InReach(ledger_, [&](ReadTxn& tx) { return UnitInReach(tx, actor, unit_id); }));
  return ledger_.FindImportedReview(unit_id, sha256);
}

}  // namespace rectify::app
