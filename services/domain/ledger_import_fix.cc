// Ledger: correcting an import after the fact (导入后修正) — withdrawing a mistaken import as a
// whole, correcting a problem's or a draft measure's text, and giving one problem several
// measures. Each works on drafts only: once a task is assigned, its owner has committed to it
// and a change is the committee's decision through the ordinary task actions.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"
#include "services/common/text.h"
#include "services/domain/flag_rules.h"
#include "services/domain/ledger.h"
#include "services/domain/limits.h"

namespace rectify {
namespace {

// More tasks than one review can have (500 problems, a few measures each).
constexpr int kMaxReviewTasks = 10000;
constexpr absl::string_view kWithdrawnMark = "（已撤回）";

absl::StatusOr<std::vector<Task>> TasksOfReview(WriteTxn& tx, Id review_id) {
  TaskQuery query;
  query.review_id = review_id;
  query.limit = kMaxReviewTasks;
  return tx.ListTasks(query);
}

// FAILED_PRECONDITION naming the assigned tasks among `tasks` (cancelled ones aside), if any.
absl::Status RequireAllDrafts(const std::vector<Task>& tasks, absl::string_view what_zh,
                              absl::string_view what_en) {
  std::vector<Id> assigned;
  for (const Task& t : tasks) {
    if (!t.draft && t.status != TaskStatus::kCancelled) assigned.push_back(t.id);
  }
  if (assigned.empty()) return absl::OkStatus();
  const std::string ids = absl::StrJoin(assigned, "、");
  return absl::FailedPreconditionError(
      absl::StrCat("任务 ", ids, " 已指派，", what_zh,
                   "只适用于全部仍是草稿的导入；已指派的任务请逐个撤销 / task(s) ",
                   absl::StrJoin(assigned, ", "), " already assigned: ", what_en,
                   " applies only while every task is a draft; cancel assigned tasks one by one"));
}

}  // namespace

absl::StatusOr<WithdrawnImport> Ledger::WithdrawImport(WriteTxn& tx, const Actor& actor,
                                                       Id review_id,
                                                       const std::string& reason) const {
  if (review_id <= 0) return InvalidField("review_id", "必须是正整数编号", "must be a positive id");
  RETURN_IF_ERROR(CheckText("reason", reason, 1, limits::kReason));
  ASSIGN_OR_RETURN(Review review, tx.GetReview(review_id));
  if (review.source_sha256.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("检视 ", review.id, " 不是导入的材料，或已撤回 / review ", review.id,
                     " was not imported from a document, or was withdrawn already"));
  }
  ASSIGN_OR_RETURN(std::vector<Task> tasks, TasksOfReview(tx, review.id));
  RETURN_IF_ERROR(RequireAllDrafts(tasks, "撤回导入", "withdrawing an import"));
  const absl::Time now = Now();
  WithdrawnImport out;
  for (Task& task : tasks) {
    if (task.status == TaskStatus::kCancelled) continue;
    RETURN_IF_ERROR(Transition(tx, actor, task, TaskStatus::kCancelled,
                               absl::StrCat("撤回导入：", reason), now));
    out.cancelled_task_ids.push_back(task.id);
  }
  // The review stays (its ids are in the audit trail and the events); its title says it was
  // withdrawn, and clearing its source lets the corrected document be imported again.
  std::string title = absl::StrCat(kWithdrawnMark, review.title);
  if (CheckText("title", title, 1, limits::kReviewTitle).ok()) review.title = title;
  RETURN_IF_ERROR(tx.WithdrawReviewSource(review.id, review.title));
  review.source_sha256.clear();
  out.review = review;
  return out;
}

absl::StatusOr<Problem> Ledger::CorrectProblem(WriteTxn& tx, const Actor& actor, Id problem_id,
                                               const std::string& text) const {
  if (problem_id <= 0) {
    return InvalidField("problem_id", "必须是正整数编号", "must be a positive id");
  }
  RETURN_IF_ERROR(CheckText("text", text, 1, limits::kLongText, /*multiline=*/true));
  ASSIGN_OR_RETURN(Problem problem, tx.GetProblem(problem_id));
  ASSIGN_OR_RETURN(std::vector<Task> tasks, TasksOfReview(tx, problem.review_id));
  std::vector<Task> own;
  for (const Task& t : tasks) {
    if (t.problem_id == problem.id) own.push_back(t);
  }
  RETURN_IF_ERROR(RequireAllDrafts(own, "更正问题文字", "correcting a problem's text"));
  if (text == problem.text) return problem;
  RETURN_IF_ERROR(tx.UpdateProblemText(problem.id, text));
  problem.text = text;
  const absl::Time now = Now();
  // Events belong to tasks: each draft of the problem records the correction.
  for (const Task& t : own) {
    RETURN_IF_ERROR(AppendTaskEvent(tx, actor, t, EventKind::kUpdated,
                                    absl::StrCat("问题 ", problem.seq, " 的文字更正为“", text, "”"),
                                    now));
  }
  return problem;
}

absl::StatusOr<Task> Ledger::CorrectDraftMeasure(WriteTxn& tx, const Actor& actor, Id task_id,
                                                 int64_t expected_version,
                                                 const std::string& measure) const {
  if (task_id <= 0) return InvalidField("id", "必须是正整数编号", "must be a positive id");
  RETURN_IF_ERROR(CheckText("measure", measure, 1, limits::kLongText, /*multiline=*/true));
  ASSIGN_OR_RETURN(Task task, LoadForChange(tx, task_id, expected_version));
  if (!task.draft) {
    return absl::FailedPreconditionError(
        absl::StrCat("任务 ", task.id, " 已指派，整改措施只能在草稿阶段更正 / task ", task.id,
                     " is already assigned; only a draft's measure can be corrected"));
  }
  if (task.measure == measure) return task;
  const absl::Time now = Now();
  task.measure = measure;
  ++task.version;
  task.update_time = now;
  RETURN_IF_ERROR(tx.UpdateTask(task));
  RETURN_IF_ERROR(AppendTaskEvent(tx, actor, task, EventKind::kUpdated,
                                  absl::StrCat("草稿整改措施更正为“", measure, "”"), now));
  return task;
}

absl::StatusOr<Task> Ledger::AddDraftMeasure(WriteTxn& tx, const Actor& actor, Id problem_id,
                                             const std::string& measure) const {
  if (problem_id <= 0) {
    return InvalidField("problem_id", "必须是正整数编号", "must be a positive id");
  }
  RETURN_IF_ERROR(CheckText("measure", measure, 1, limits::kLongText, /*multiline=*/true));
  ASSIGN_OR_RETURN(Problem problem, tx.GetProblem(problem_id));
  ASSIGN_OR_RETURN(Review review, tx.GetReview(problem.review_id));
  ASSIGN_OR_RETURN(OrgUnit unit, tx.GetUnit(review.unit_id));
  const absl::Time now = Now();
  Task task;
  task.problem_id = problem.id;
  task.review_id = review.id;
  task.area = problem.area;
  task.measure = measure;
  task.owner_unit_id = unit.id;
  task.owner_path = unit.path;
  task.status = TaskStatus::kOpen;
  task.draft = true;
  task.light = WarningLight::kGreen;
  task.create_time = now;
  task.update_time = now;
  RETURN_IF_ERROR(tx.InsertTask(task));
  RETURN_IF_ERROR(AppendTaskEvent(
      tx, actor, task, EventKind::kCreated,
      absl::StrCat("为问题 ", problem.seq, " 增加整改措施（草稿），待指定责任人和整改时限"), now,
      absl::nullopt, task.status));
  RETURN_IF_ERROR(ReconcileTask(tx, task, now, settings_).status());
  return task;
}

}  // namespace rectify
