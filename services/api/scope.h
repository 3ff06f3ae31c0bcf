// Subtree checks of issue 4: what a caller may reach, after the permission table allowed the
// method (auth_interceptor.h).
//
// Anything outside the caller's subtree answers exactly like something that does not exist:
// NOT_FOUND with the store's message ("任务 12 不存在 / task 12 not found"), so that asking
// reveals nothing. Lists and reports without a unit default to the caller's own unit, and the
// store filters by path prefix, so that counts and pages are right.
//
// Thread safety: free functions over the caller's transaction.
#ifndef RECTIFY_SERVICES_API_SCOPE_H_
#define RECTIFY_SERVICES_API_SCOPE_H_

#include "absl/status/statusor.h"
#include "services/domain/actor.h"
#include "services/domain/ledger.h"
#include "services/store/store.h"

namespace rectify::api {

// The unit, when it lies in the actor's subtree.
absl::StatusOr<OrgUnit> UnitInReach(ReadTxn& tx, const Actor& actor, Id unit_id);
// The task, when its owner unit lies in the actor's subtree.
absl::StatusOr<Task> TaskInReach(ReadTxn& tx, const Actor& actor, Id task_id);
// A task the actor may act on as its owner (start, report, submit, ask for more time): a branch
// only on its own unit's tasks, a committee in its subtree.
absl::StatusOr<Task> OwnTaskInReach(ReadTxn& tx, const Actor& actor, Id task_id);
// The review, when the unit that held it lies in the actor's subtree.
absl::StatusOr<Review> ReviewInReach(ReadTxn& tx, const Actor& actor, Id review_id);
// The problem, when its review is in reach.
absl::StatusOr<Problem> ProblemInReach(ReadTxn& tx, const Actor& actor, Id problem_id);
// The extension request, when its task is in reach.
absl::StatusOr<ExtensionRequest> ExtensionInReach(ReadTxn& tx, const Actor& actor, Id id);

// Checks of a mutation's arguments. An id <= 0 passes: the ledger names that field's mistake.
absl::Status CheckUnitArg(ReadTxn& tx, const Actor& actor, Id unit_id);
absl::Status CheckReviewArg(ReadTxn& tx, const Actor& actor, Id review_id);
absl::Status CheckProblemArg(ReadTxn& tx, const Actor& actor, Id problem_id);
absl::Status CheckTaskArg(ReadTxn& tx, const Actor& actor, Id task_id);
absl::Status CheckOwnTaskArg(ReadTxn& tx, const Actor& actor, Id task_id);
// A new unit's parent: in reach; a new root (parent 0) only for a root committee.
absl::Status CheckNewUnitParent(ReadTxn& tx, const Actor& actor, Id parent_id);
// AcceptTask: the task in reach and the caller not bound to its owner unit.
absl::Status CheckCloseOut(ReadTxn& tx, const Actor& actor, Id task_id);
// DecideExtension: the request in reach and not the caller's own.
absl::Status CheckDecision(ReadTxn& tx, const Actor& actor, Id extension_id);
// AssignTask(s): the task and its new owner unit in reach. An id the store does not know passes
// too: AssignTasks reports every bad row by its line, and the ledger names it there.
absl::Status CheckAssignment(ReadTxn& tx, const Actor& actor, Id task_id, Id owner_unit_id);

// The unit a list, report, export or watch covers: the requested one when in reach, the actor's
// own unit for 0.
absl::StatusOr<Id> ScopeUnit(ReadTxn& tx, const Actor& actor, Id requested_unit_id);

// The same checks in a read snapshot of their own, for handlers that do not write.
template <typename Check>
absl::Status InReach(const Ledger& ledger, Check&& check) {
  return ledger.store()->Read([&](ReadTxn& tx) { return check(tx).status(); });
}
absl::StatusOr<Id> ScopeUnit(const Ledger& ledger, const Actor& actor, Id requested_unit_id);

// Separation of duties (职责分离): a task is never closed out (销号) by a principal bound to its
// owner unit. PERMISSION_DENIED, since the caller sees the task anyway.
absl::Status CheckNotOwnerUnit(const Actor& actor, const Task& task);
// An extension request is never decided by the one who asked: the same name (the actor recorded
// as requested_by), whichever token carried it.
absl::Status CheckNotRequester(const Actor& actor, const ExtensionRequest& request);

}  // namespace rectify::api

#endif  // RECTIFY_SERVICES_API_SCOPE_H_
