#include "services/api/scope.h"

#include "services/common/errors.h"
#include "services/common/status_macros.h"

namespace rectify::api {

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
  return CheckNotOwnerUnit(actor, task);
}

absl::Status CheckDecision(ReadTxn& tx, const Actor& actor, Id extension_id) {
  if (extension_id <= 0) return absl::OkStatus();
  ASSIGN_OR_RETURN(ExtensionRequest request, ExtensionInReach(tx, actor, extension_id));
  return CheckNotRequester(actor, request);
}

absl::Status CheckAssignment(ReadTxn& tx, const Actor& actor, Id task_id, Id owner_unit_id) {
  if (task_id > 0) {
    absl::StatusOr<Task> task = tx.GetTask(task_id);
    if (task.ok() && !actor.Reaches(task->owner_path)) return NotFound("任务", "task", task_id);
    if (!task.ok() && !absl::IsNotFound(task.status())) return task.status();
  }
  if (owner_unit_id > 0) {
    absl::StatusOr<OrgUnit> unit = tx.GetUnit(owner_unit_id);
    if (unit.ok() && !actor.Reaches(unit->path)) return NotFound("单位", "unit", owner_unit_id);
    if (!unit.ok() && !absl::IsNotFound(unit.status())) return unit.status();
  }
  return absl::OkStatus();
}

absl::Status CheckNotOwnerUnit(const Actor& actor, const Task& task) {
  if (actor.unit_id != 0 && actor.unit_id == task.owner_unit_id) {
    return absl::PermissionDeniedError(
        "职责分离：责任单位不能为自己的任务销号 / separation of duties: a principal of the owner "
        "unit may not close out its own task");
  }
  return absl::OkStatus();
}

absl::Status CheckNotRequester(const Actor& actor, const ExtensionRequest& request) {
  if (actor.name == request.requested_by) {
    return absl::PermissionDeniedError(
        "职责分离：延期申请不能由申请人本人审批 / separation of duties: an extension request "
        "may not be decided by the one who asked");
  }
  return absl::OkStatus();
}

}  // namespace rectify::api
