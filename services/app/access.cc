#include "services/app/access.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/auth/permissions.h"
#include "services/auth/tokens.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"

namespace rectify::app {

absl::StatusOr<Actor> Authorize(const Ledger& ledger, absl::string_view authorization,
                                absl::string_view method) {
  ASSIGN_OR_RETURN(Actor actor, auth::Authenticate(*ledger.store(), ledger.Now(), authorization));
  RETURN_IF_ERROR(auth::CheckRole(actor, method));
  return actor;
}

absl::Status AuthorizeKnown(const Actor& actor, absl::string_view method) {
  return auth::CheckRole(actor, method);
}

absl::StatusOr<OrgUnit> UnitInReach(ReadTxn& tx, const Actor& actor, Id unit_id) {
  ASSIGN_OR_RETURN(OrgUnit unit, tx.GetUnit(unit_id));
  if (!actor.Reaches(unit.path)) return NotFound("单位", "unit", unit_id);
  return unit;
}

absl::StatusOr<Task> TaskInReach(ReadTxn& tx, const Actor& actor, Id task_id) {
  ASSIGN_OR_RETURN(Task task, tx.GetTask(task_id));
  if (!actor.Reaches(task.owner_path)) return NotFound("任务", "task", task_id);
  return task;
}

absl::StatusOr<Task> OwnTaskInReach(ReadTxn& tx, const Actor& actor, Id task_id) {
  ASSIGN_OR_RETURN(Task task, TaskInReach(tx, actor, task_id));
  if (actor.role == Role::kBranch && task.owner_unit_id != actor.unit_id) {
    // A 总支 sees its 支部' tasks but acts only on its own: the refusal is about the role.
    return absl::PermissionDeniedError(
        "权限不足：支部只能处理本单位的任务 / permission denied: a branch acts only on its own "
        "unit's tasks");
  }
  return task;
}

absl::StatusOr<Review> ReviewInReach(ReadTxn& tx, const Actor& actor, Id review_id) {
  ASSIGN_OR_RETURN(Review review, tx.GetReview(review_id));
  ASSIGN_OR_RETURN(OrgUnit unit, tx.GetUnit(review.unit_id));
  if (!actor.Reaches(unit.path)) return NotFound("检视", "review", review_id);
  return review;
}

absl::StatusOr<Problem> ProblemInReach(ReadTxn& tx, const Actor& actor, Id problem_id) {
  ASSIGN_OR_RETURN(Problem problem, tx.GetProblem(problem_id));
  if (!ReviewInReach(tx, actor, problem.review_id).ok()) {
    return NotFound("问题", "problem", problem_id);
  }
  return problem;
}

absl::StatusOr<RootCause> RootCauseInReach(ReadTxn& tx, const Actor& actor, Id cause_id) {
  ASSIGN_OR_RETURN(RootCause cause, tx.GetRootCause(cause_id));
  if (!ReviewInReach(tx, actor, cause.review_id).ok()) {
    return NotFound("根源", "root cause", cause_id);
  }
  return cause;
}

absl::Status CheckRootCauseArgs(ReadTxn& tx, const Actor& actor, const std::vector<Id>& ids) {
  for (Id id : ids) {
    if (id > 0) RETURN_IF_ERROR(RootCauseInReach(tx, actor, id).status());
  }
  return absl::OkStatus();
}

absl::StatusOr<ExtensionRequest> ExtensionInReach(ReadTxn& tx, const Actor& actor, Id id) {
  ASSIGN_OR_RETURN(ExtensionRequest request, tx.GetExtension(id));
  if (!TaskInReach(tx, actor, request.task_id).ok()) {
    return NotFound("延期申请", "extension request", id);
  }
  return request;
}

absl::StatusOr<Id> ScopeUnit(ReadTxn& tx, const Actor& actor, Id requested_unit_id) {
  if (requested_unit_id == 0) return actor.unit_id;  // 0 for the server itself: everything
  ASSIGN_OR_RETURN(OrgUnit unit, UnitInReach(tx, actor, requested_unit_id));
  return unit.id;
}

absl::StatusOr<Id> ScopeUnit(const Ledger& ledger, const Actor& actor, Id requested_unit_id) {
  Id scope = 0;
  RETURN_IF_ERROR(ledger.store()->Read([&](ReadTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(scope, ScopeUnit(tx, actor, requested_unit_id));
    return absl::OkStatus();
  }));
  return scope;
}

absl::Status CheckUnitArg(ReadTxn& tx, const Actor& actor, Id unit_id) {
  return unit_id <= 0 ? absl::OkStatus() : UnitInReach(tx, actor, unit_id).status();
}

absl::Status CheckReviewArg(ReadTxn& tx, const Actor& actor, Id review_id) {
  return review_id <= 0 ? absl::OkStatus() : ReviewInReach(tx, actor, review_id).status();
}

absl::Status CheckProblemArg(ReadTxn& tx, const Actor& actor, Id problem_id) {
  return problem_id <= 0 ? absl::OkStatus() : ProblemInReach(tx, actor, problem_id).status();
}

absl::Status CheckTaskArg(ReadTxn& tx, const Actor& actor, Id task_id) {
  return task_id <= 0 ? absl::OkStatus() : TaskInReach(tx, actor, task_id).status();
}

absl::Status CheckOwnTaskArg(ReadTxn& tx, const Actor& actor, Id task_id) {
  return task_id <= 0 ? absl::OkStatus() : OwnTaskInReach(tx, actor, task_id).status();
}

absl::Status CheckTaskActor(ReadTxn& tx, const Actor& actor, TaskActor who, Id task_id) {
  switch (who) {
    case TaskActor::kOwner:
      return CheckOwnTaskArg(tx, actor, task_id);
    case TaskActor::kCommittee:
      return CheckTaskArg(tx, actor, task_id);
    case TaskActor::kDecider:
      return CheckCloseOut(tx, actor, task_id);
  }
  return absl::InternalError("CheckTaskActor: unknown TaskActor");
}

absl::Status CheckNewUnitParent(ReadTxn& tx, const Actor& actor, Id parent_id) {
  if (parent_id == 0 && !actor.unit_path.empty() && !actor.AtRoot()) {
    return absl::PermissionDeniedError(
        "权限不足：只有根单位的党委令牌可以建立根单位 / permission denied: only a committee of the "
        "root unit may create a root unit");
  }
  return CheckUnitArg(tx, actor, parent_id);
}

absl::Status CheckCloseOut(ReadTxn& tx, const Actor& actor, Id task_id) {
  if (task_id <= 0) return absl::OkStatus();
  ASSIGN_OR_RETURN(Task task, TaskInReach(tx, actor, task_id));
  RETURN_IF_ERROR(CheckNotOwnerUnit(actor, task));
  // A root's own task is closed out inside the unit that submitted it (by its supervisor), so
  // the person matters there; elsewhere the unit above is another unit by construction.
  if (task.owner_path.size() != 12) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::vector<Event> events, tx.ListTaskEvents(task.id));
  std::string submitter;
  for (const Event& e : events) {
    if (e.kind == EventKind::kTransition && e.to_status == TaskStatus::kSubmitted) {
      submitter = e.actor;
    }
  }
  if (!submitter.empty() && submitter == actor.name) {
    return absl::PermissionDeniedError(
        "职责分离：提交销号申请的人不能验收自己的申请 / separation of duties: the person who "
        "submitted a task may not close it out");
  }
  return absl::OkStatus();
}

absl::Status CheckDecision(ReadTxn& tx, const Actor& actor, Id extension_id) {
  if (extension_id <= 0) return absl::OkStatus();
  ASSIGN_OR_RETURN(ExtensionRequest request, ExtensionInReach(tx, actor, extension_id));
  ASSIGN_OR_RETURN(Task task, tx.GetTask(request.task_id));
  // Requests recorded before the asking unit was kept were asked by (or for) the owner unit.
  const Id asking_unit_id =
      request.requester_unit_id != 0 ? request.requester_unit_id : task.owner_unit_id;
  ASSIGN_OR_RETURN(OrgUnit asking_unit, tx.GetUnit(asking_unit_id));
  return CheckNotRequester(actor, task, request, asking_unit);
}

namespace {

// Who may decide a matter (a close-out, an extension request) about a task owned by the unit at
// `owner_path`, asked for by `asking_unit` (nullptr: the owner). A committee of a unit strictly
// above the owner that is neither the owner nor the asking unit, whatever its token's name; where
// no such committee can exist (the task is the root unit's own, or the root asked), a supervisor
// (纪委/督查室) bound to the root unit. `what_zh`/`what_en` name the matter for the refusal.
absl::Status CheckDecider(const Actor& actor, const std::string& owner_path, Id owner_unit_id,
                          const OrgUnit* asking_unit, absl::string_view what_zh,
                          absl::string_view what_en) {
  const bool root_owner = owner_path.size() == 12;  // "/0000000001/": a unit without a parent
  const Id asking_id = asking_unit != nullptr ? asking_unit->id : owner_unit_id;
  if (actor.role == Role::kSupervisor) {
    if (actor.AtRoot() && (actor.unit_id == owner_unit_id || actor.unit_id == asking_id)) {
      return absl::OkStatus();
    }
    return absl::PermissionDeniedError(
        absl::StrCat("权限不足：督查令牌只能审定根单位自己的", what_zh,
                     " / permission denied: a supervisor token decides ", what_en,
                     " only where the root unit is the party"));
  }
  if (root_owner) {
    return absl::PermissionDeniedError(absl::StrCat(
        "职责分离：根单位自己的", what_zh,
        "由根单位的督查（纪委/督查室）令牌审定，"
        "不能由根单位的党委令牌自行审定 / separation of duties: where the root unit is the party, ",
        what_en, " is decided by a supervisor token of the root unit, never by its committee"));
  }
  const bool strictly_above = actor.unit_path.empty() ||
                              (owner_path.size() > actor.unit_path.size() &&
                               owner_path.compare(0, actor.unit_path.size(), actor.unit_path) == 0);
  if (actor.unit_id == owner_unit_id || actor.unit_id == asking_id || !strictly_above) {
    return absl::PermissionDeniedError(
        absl::StrCat("职责分离：", what_zh,
                     "须由上级单位的党委审定，责任单位或申请单位的任何令牌（无论名称）"
                     "都不能自行审定 / separation of duties: ",
                     what_en,
                     " is decided by a committee of a unit "
                     "above, never by a token of the owner or asking unit, whatever its name"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckNotOwnerUnit(const Actor& actor, const Task& task) {
  return CheckDecider(actor, task.owner_path, task.owner_unit_id, nullptr, "任务的验收销号",
                      "the close-out of a task");
}

absl::Status CheckNotRequester(const Actor& actor, const Task& task,
                               const ExtensionRequest& request, const OrgUnit& asking_unit) {
  if (actor.name == request.requested_by) {
    return absl::PermissionDeniedError(
        "职责分离：延期申请不能由申请人本人审批 / separation of duties: an extension request "
        "may not be decided by the one who asked");
  }
  return CheckDecider(actor, task.owner_path, task.owner_unit_id, &asking_unit, "延期申请",
                      "an extension request");
}

}  // namespace rectify::app
