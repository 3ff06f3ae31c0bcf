// Who may do what (services/app): everything a caller must pass before the domain runs, in one
// place beside the permission table (services/auth/permissions.h), for every front end.
//
// - Authorize: the bearer token names a principal; the permission table lets its role call the
//   use case. UNAUTHENTICATED / PERMISSION_DENIED.
// - Reach: anything outside the caller's subtree answers exactly like something that does not
//   exist: NOT_FOUND with the store's message ("任务 12 不存在 / task 12 not found"), so that
//   asking reveals nothing. Lists and reports without a unit default to the caller's own unit, and
//   the store filters by path prefix, so that counts and pages are right.
// - A branch acts only on its own unit's tasks; separation of duties (职责分离) for close-outs and
//   extension decisions (below); a task action's rule names which of these applies
//   (TransitionRule::who, services/domain/transitions.h).
//
// Thread safety: free functions over the caller's transaction.
#ifndef RECTIFY_SERVICES_APP_ACCESS_H_
#define RECTIFY_SERVICES_APP_ACCESS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/domain/ledger.h"
#include "services/domain/transitions.h"
#include "services/model/actor.h"
#include "services/store/store.h"

namespace rectify::app {

// The principal named by `authorization` ("Bearer <token>"; empty: none), when the permission
// table lets its role call `method` ("/rectify.v1.LedgerService/SubmitTask"). Tokens are looked up
// in the ledger's store on every call (a revocation holds from the next call), expiry judged by
// its clock.
absl::StatusOr<Actor> Authorize(const Ledger& ledger, absl::string_view authorization,
                                absl::string_view method);
// The same for an actor already known (a test harness calling handlers in-process): the table
// still applies.
absl::Status AuthorizeKnown(const Actor& actor, absl::string_view method);

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
// The root cause, when its review is in reach.
absl::StatusOr<RootCause> RootCauseInReach(ReadTxn& tx, const Actor& actor, Id cause_id);
// The extension request, when its task is in reach.
absl::StatusOr<ExtensionRequest> ExtensionInReach(ReadTxn& tx, const Actor& actor, Id id);

// Checks of a mutation's arguments. An id <= 0 passes: the ledger names that field's mistake.
absl::Status CheckUnitArg(ReadTxn& tx, const Actor& actor, Id unit_id);
absl::Status CheckReviewArg(ReadTxn& tx, const Actor& actor, Id review_id);
absl::Status CheckProblemArg(ReadTxn& tx, const Actor& actor, Id problem_id);
absl::Status CheckTaskArg(ReadTxn& tx, const Actor& actor, Id task_id);
absl::Status CheckOwnTaskArg(ReadTxn& tx, const Actor& actor, Id task_id);
// Every linked root cause exists and is in reach (NOT_FOUND alike for both), so that naming
// another subtree's cause reads as naming none; whether it belongs to the same review is the
// ledger's check, for causes the caller may see.
absl::Status CheckRootCauseArgs(ReadTxn& tx, const Actor& actor, const std::vector<Id>& ids);
// A new unit's parent: in reach; a new root (parent 0) only for a root committee.
absl::Status CheckNewUnitParent(ReadTxn& tx, const Actor& actor, Id parent_id);
// AcceptTask: the task in reach; the caller may decide its owner unit's matters
// (CheckNotOwnerUnit) and, for a root's own task, did not submit it.
absl::Status CheckCloseOut(ReadTxn& tx, const Actor& actor, Id task_id);
// The check a task action's rule names (TransitionRule::who, services/domain/transitions.h):
// kOwner CheckOwnTaskArg, kCommittee CheckTaskArg, kDecider CheckCloseOut.
absl::Status CheckTaskActor(ReadTxn& tx, const Actor& actor, TaskActor who, Id task_id);
// DecideExtension: the request in reach; the caller may decide the asking unit's matters and
// did not ask.
absl::Status CheckDecision(ReadTxn& tx, const Actor& actor, Id extension_id);
// AssignTask(s) need no reach check here: Ledger::AssignTask treats a task or owner unit outside
// the actor's reach exactly as a missing one, row by row, in the order it checks missing ones (a
// row filing an extension request is also held to RequestExtension's rule: changes.cc).

// The unit a list, report, export or watch covers: the requested one when in reach, the actor's
// own unit for 0.
absl::StatusOr<Id> ScopeUnit(ReadTxn& tx, const Actor& actor, Id requested_unit_id);

// The same checks in a read snapshot of their own, for handlers that do not write.
template <typename Check>
absl::Status InReach(const Ledger& ledger, Check&& check) {
  return ledger.store()->Read([&](ReadTxn& tx) { return check(tx).status(); });
}
absl::StatusOr<Id> ScopeUnit(const Ledger& ledger, const Actor& actor, Id requested_unit_id);

// Separation of duties (职责分离, docs/security.md), bound to units, not to token names: a
// task's close-out (销号) or extension request is decided by a committee of a unit strictly above
// the owner unit that is neither the owner nor the unit that asked, whatever its token is called;
// where no such committee exists (the root unit's own task, or the root asked) by a supervisor
// (纪委/督查室) bound to the root unit. PERMISSION_DENIED, since the caller sees the task anyway.
// CheckCloseOut adds for the root's own tasks: never the person who submitted (elsewhere the
// decider is of another unit by construction); CheckNotRequester: never the one who asked.
absl::Status CheckNotOwnerUnit(const Actor& actor, const Task& task);
absl::Status CheckNotRequester(const Actor& actor, const Task& task,
                               const ExtensionRequest& request, const OrgUnit& asking_unit);

}  // namespace rectify::app

#endif  // RECTIFY_SERVICES_APP_ACCESS_H_
