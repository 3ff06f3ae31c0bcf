// Ledger: assigning an owner and a deadline to OPEN tasks (指派责任人和整改时限), one at a time or
// a whole spreadsheet at once. This is how an imported draft becomes a task.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/civil.h"
#include "services/common/errors.h"
#include "services/common/labels.h"
#include "services/common/status_macros.h"
#include "services/common/text.h"
#include "services/domain/flag_rules.h"
#include "services/domain/ledger.h"
#include "services/domain/limits.h"

namespace rectify {
namespace {

// The checks that need no transaction, as CreateTask makes them. Returns the deadline, if any.
absl::StatusOr<absl::optional<absl::CivilDay>> CheckAssignment(const TaskAssignment& in,
                                                               absl::CivilDay today) {
  if (in.id <= 0) return InvalidField("id", "必须是正整数编号", "must be a positive id");
  if (in.expected_version < 0) {
    return InvalidField("expected_version", "不能为负数", "must not be negative");
  }
  if (in.owner_unit_id <= 0) {
    return InvalidField("owner_unit_id", "请指定责任单位", "must name the responsible unit");
  }
  RETURN_IF_ERROR(
      CheckText("owner_person", in.owner_person, 1, limits::kPersonName, /*multiline=*/false));
  RETURN_IF_ERROR(CheckText("leader", in.leader, 0, limits::kPersonName, /*multiline=*/false));
  RETURN_IF_ERROR(CheckText("measure", in.measure, 0, limits::kLongText, /*multiline=*/true));
  RETURN_IF_ERROR(CheckText("extension_reason", in.extension_reason, 0, limits::kReason));
  if (!in.deadline.empty() && in.cadence_days != 0) {
    return InvalidField("deadline", "整改时限与长期坚持的报告周期只能二选一",
                        "give either a deadline or cadence_days, not both");
  }
  if (in.deadline.empty() && in.cadence_days == 0) {
    return InvalidField("deadline", "请填写整改时限（YYYY-MM-DD），或长期坚持的报告周期",
                        "give a deadline (YYYY-MM-DD) or cadence_days for a long-term task");
  }
  if (in.deadline.empty()) {
    if (in.cadence_days < 1 || in.cadence_days > limits::kMaxCadenceDays) {
      return InvalidField("cadence_days", "报告周期须在 1 到 366 天之间",
                          "must be between 1 and 366 days");
    }
    return absl::optional<absl::CivilDay>();
  }
  ASSIGN_OR_RETURN(absl::CivilDay deadline, ParseDay("deadline", in.deadline));
  if (deadline < today) {
    return InvalidField(
        "deadline", absl::StrCat("整改时限 ", in.deadline, " 早于今天（", FormatDay(today), "）"),
        absl::StrCat("deadline ", in.deadline, " is before today (", FormatDay(today), ")"));
  }
  return absl::optional<absl::CivilDay>(deadline);
}

// True when the task already has exactly what `in` asks for.
bool AlreadyAssigned(const Task& task, const TaskAssignment& in,
                     const absl::optional<absl::CivilDay>& deadline) {
  return !task.draft && (in.measure.empty() || in.measure == task.measure) &&
         task.owner_unit_id == in.owner_unit_id && task.owner_person == in.owner_person &&
         task.leader == in.leader && task.deadline == deadline &&
         task.cadence_days == (deadline ? 0 : in.cadence_days);
}

std::string AssignmentDetail(const Task& task, const OrgUnit& owner, bool was_draft,
                             bool measure_changed) {
  std::string detail = absl::StrCat(was_draft ? "草稿转为正式任务：" : "重新指派：", "责任单位“",
                                    owner.name, "”，责任人", task.owner_person);
  if (measure_changed) absl::StrAppend(&detail, "，整改措施改为“", task.measure, "”");
  if (!task.leader.empty()) absl::StrAppend(&detail, "，责任领导", task.leader);
  if (task.deadline.has_value()) {
    absl::StrAppend(&detail, "，整改时限 ", FormatDay(*task.deadline));
  } else {
    absl::StrAppend(&detail, "，长期坚持，每 ", task.cadence_days, " 天报告");
  }
  return detail;
}

// Errors that say something about one row (and so belong in the row report) as opposed to the
// storage failing under the whole call, which is returned as it is.
bool IsRowError(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kAlreadyExists:
      return true;
    default:
      return false;
  }
}

// Collects the failures of a bulk assignment, one per row, and makes them one status.
class RowErrors {
 public:
  void Add(int line, const absl::Status& status) {
    if (status.code() == absl::StatusCode::kFailedPrecondition ||
        status.code() == absl::StatusCode::kAborted) {
      stale_ = true;
    }
    if (status.code() != absl::StatusCode::kNotFound) all_missing_ = false;
    lines_.push_back(
        {line, absl::StrCat("第 ", line, " 行 / line ", line, ": ", status.message())});
  }
  bool empty() const { return lines_.empty(); }

  // INVALID_ARGUMENT when every bad row is wrong in itself (a field, an unknown id: fix the
  // file); NOT_FOUND when every bad row names a task or unit that does not exist (or lies outside
  // the caller's reach, which reads the same); FAILED_PRECONDITION when any row clashes with the
  // ledger's state (a task no longer OPEN, changed since the export: export again). One code for
  // the call, every row in the text.
  absl::Status ToStatus() const {
    std::vector<std::pair<int, std::string>> sorted = lines_;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::set<int> rows;
    for (const auto& [line, text] : sorted) rows.insert(line);
    const std::string text = absl::StrCat(
        "共 ", rows.size(), " 行有误，未做任何修改 / ", rows.size(),
        rows.size() == 1 ? " row has" : " rows have", " errors; nothing was changed\n",
        absl::StrJoin(sorted, "\n",
                      [](std::string* out, const auto& entry) { out->append(entry.second); }));
    if (stale_) return absl::FailedPreconditionError(text);
    return all_missing_ ? absl::NotFoundError(text) : absl::InvalidArgumentError(text);
  }

 private:
  bool all_missing_ = true;
  std::vector<std::pair<int, std::string>> lines_;  // (line, message)
  bool stale_ = false;
};

}  // namespace

absl::Status RequireAssigned(const Task& task) {
  if (!task.draft) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("任务 ", task.id, " 是导入的草稿，请先指派责任人和整改时限 / task ", task.id,
                   " is an imported draft; assign an owner and a deadline first"));
}

absl::StatusOr<Task> Ledger::AssignTask(WriteTxn& tx, const Actor& actor,
                                        const TaskAssignment& in) const {
  return AssignOne(tx, actor, in, nullptr);
}

absl::StatusOr<Task> Ledger::AssignOne(WriteTxn& tx, const Actor& actor, const TaskAssignment& in,
                                       absl::optional<ExtensionRequest>* filed) const {
  ASSIGN_OR_RETURN(absl::optional<absl::CivilDay> deadline, CheckAssignment(in, Today()));
  // Asking for what the task already has changes nothing, whatever version the caller saw: so
  // loading the same spreadsheet twice is harmless.
  ASSIGN_OR_RETURN(Task current, LoadForChange(tx, in.id, /*expected_version=*/0));
  // Outside the actor's reach reads exactly like missing (same place, same words).
  if (!actor.Reaches(current.owner_path)) return NotFound("任务", "task", in.id);
  ASSIGN_OR_RETURN(OrgUnit owner, tx.GetUnit(in.owner_unit_id));
  if (!actor.Reaches(owner.path)) return NotFound("单位", "unit", in.owner_unit_id);
  // With a reason, an assigned task's new deadline goes through the extension rules: the rest
  // of the row is assigned with the deadline it has, and the new one is asked for below.
  absl::optional<absl::CivilDay> extend_to;
  if (!in.extension_reason.empty() && !current.draft && deadline.has_value() &&
      current.deadline.has_value() && *deadline != *current.deadline) {
    extend_to = deadline;
    deadline = current.deadline;
  }
  if (!extend_to.has_value()) {
    if (AlreadyAssigned(current, in, deadline)) return current;
    return Reassign(tx, actor, in, deadline, owner);
  }
  int64_t expected_version = in.expected_version;
  if (!AlreadyAssigned(current, in, deadline)) {
    RETURN_IF_ERROR(Reassign(tx, actor, in, deadline, owner).status());
    expected_version = 0;  // checked by the reassignment, which moved it
  }
  ASSIGN_OR_RETURN(ExtensionRequest request,
                   RequestExtension(tx, actor, in.id, expected_version, FormatDay(*extend_to),
                                    in.extension_reason));
  if (filed != nullptr) *filed = request;
  return tx.GetTask(in.id);  // as the request left it (its version moved)
}

absl::StatusOr<Task> Ledger::Reassign(WriteTxn& tx, const Actor& actor, const TaskAssignment& in,
                                      const absl::optional<absl::CivilDay>& deadline,
                                      const OrgUnit& owner) const {
  ASSIGN_OR_RETURN(Task task, LoadForChange(tx, in.id, in.expected_version));
  if (task.status != TaskStatus::kOpen) {
    return absl::FailedPreconditionError(
        absl::StrCat("任务 ", task.id, " 状态为“", TaskStatusLabel(static_cast<int>(task.status)),
                     "”，只有待整改的任务可以指派责任人和时限 / task ", task.id, " is ",
                     TaskStatusLabel(static_cast<int>(task.status), Lang::kEn),
                     "; only OPEN tasks can be assigned"));
  }
  const bool measure_changes = !in.measure.empty() && in.measure != task.measure;
  if (measure_changes && !task.draft) {
    // The measure of an assigned task is what its owner committed to; changing it belongs to
    // the committee's decision, not to a spreadsheet round.
    return absl::FailedPreconditionError(
        absl::StrCat("任务 ", task.id,
                     " 已指派，表格中修改的整改措施未采用：已指派任务的措施不能在表格中修改 "
                     "/ task ",
                     task.id,
                     " is already assigned; the measure changed in the sheet was not "
                     "applied: an assigned task's measure cannot be changed from the sheet"));
  }
  const bool deadline_changes =
      task.deadline != deadline || task.cadence_days != (deadline ? 0 : in.cadence_days);
  if (deadline_changes && !task.draft) {
    // An extension asks to move the old date; moving it underneath would make the request
    // meaningless. The committee decides it first.
    ASSIGN_OR_RETURN(absl::optional<ExtensionRequest> pending, tx.FindPendingExtension(task.id));
    if (pending.has_value()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "任务 ", task.id, " 有待审批的延期申请（编号 ", pending->id,
          "），请先审批再改时限 / task ", task.id, " has a pending extension request (id ",
          pending->id, "); decide it before changing the deadline"));
    }
  }
  const absl::Time now = Now();
  const bool was_draft = task.draft;
  const TaskStatus from = task.status;
  task.owner_unit_id = owner.id;
  task.owner_path = owner.path;
  task.owner_person = in.owner_person;
  task.leader = in.leader;
  if (measure_changes) task.measure = in.measure;
  task.deadline = deadline;
  if (deadline.has_value()) {
    task.cadence_days = 0;
  } else {
    task.cadence_days = in.cadence_days;
    task.status = TaskStatus::kOngoing;
    task.ongoing_since = now;
    task.checkpoint_due = DayOf(now, settings_.time_zone) + in.cadence_days;
  }
  if (was_draft) {
    // A draft had no deadline, so no flag can hang on its deadline version: its first deadline
    // is version 1, as for a task created with one. It is assigned (下达) now, which is where
    // its schedule (序时进度) starts.
    task.draft = false;
    task.create_time = now;
  } else if (deadline_changes) {
    ++task.deadline_version;
  }
  ++task.version;
  task.update_time = now;
  RETURN_IF_ERROR(tx.UpdateTask(task));
  RETURN_IF_ERROR(AppendTaskEvent(
      tx, actor, task, EventKind::kUpdated,
      AssignmentDetail(task, owner, was_draft, measure_changes), now,
      from != task.status ? absl::optional<TaskStatus>(from) : absl::nullopt,
      from != task.status ? absl::optional<TaskStatus>(task.status) : absl::nullopt));
  RETURN_IF_ERROR(ReconcileTask(tx, task, now, settings_).status());
  return task;
}

absl::StatusOr<AssignmentOutcome> Ledger::AssignTasks(
    WriteTxn& tx, const Actor& actor, const std::vector<AssignmentRow>& rows) const {
  if (rows.empty()) return InvalidField("rows", "没有要指派的行", "no rows to assign");
  if (rows.size() > static_cast<size_t>(kMaxAssignmentRows)) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "rows: 一次最多指派 ", kMaxAssignmentRows, " 行（收到 ", rows.size(), "） / rows: at most ",
        kMaxAssignmentRows, " rows per call (got ", rows.size(), ")"));
  }
  // First every row on its own (fields, a task listed twice), then every row that passed against
  // the ledger, so that one call reports every bad row of the file. A row applied here stays
  // only if all rows pass: any failure rolls the whole transaction back. Rows are distinct
  // tasks, so one row's change cannot mislead the checks of another.
  RowErrors errors;
  std::vector<bool> passed(rows.size(), false);
  std::map<Id, int> line_of_task;
  const absl::CivilDay today = Today();
  auto line_of = [&](size_t i) {
    return rows[i].line > 0 ? rows[i].line : static_cast<int>(i) + 1;
  };
  for (size_t i = 0; i < rows.size(); ++i) {
    const TaskAssignment& in = rows[i].assignment;
    absl::Status status = CheckAssignment(in, today).status();
    if (!status.ok()) {
      errors.Add(line_of(i), status);
      continue;
    }
    auto [it, inserted] = line_of_task.emplace(in.id, line_of(i));
    if (!inserted) {
      errors.Add(line_of(i),
                 InvalidField("id", absl::StrCat("任务 ", in.id, " 已在第 ", it->second, " 行出现"),
                              absl::StrCat("task ", in.id, " is already on line ", it->second)));
      continue;
    }
    passed[i] = true;
  }

  AssignmentOutcome outcome;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!passed[i]) continue;
    const int line = line_of(i);
    absl::StatusOr<Task> before = tx.GetTask(rows[i].assignment.id);
    absl::optional<ExtensionRequest> filed;
    absl::StatusOr<Task> task =
        before.ok() ? AssignOne(tx, actor, rows[i].assignment, &filed) : before.status();
    if (task.ok()) {
      if (task->version != before->version) ++outcome.changed;
      outcome.tasks.push_back(*std::move(task));
      if (filed.has_value()) outcome.extensions.push_back(*std::move(filed));
    } else if (IsRowError(task.status().code())) {
      errors.Add(line, task.status());
    } else {
      return task.status();  // the store, not the row: UNAVAILABLE and the like
    }
  }
  if (!errors.empty()) return errors.ToStatus();
  return outcome;
}

}  // namespace rectify
