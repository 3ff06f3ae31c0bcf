// LedgerTxn: tasks, task listing and the scheduler's queue.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/civil.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"
#include "services/store/sql/ledger_txn.h"
#include "services/store/sql/row_codec.h"

namespace rectify {
namespace sql {

const char kTaskColumns[] =
    "id, problem_id, review_id, area, measure, owner_unit_id, owner_path, owner_person, leader, "
    "deadline, cadence_days, status, progress_percent, version, deadline_version, light, "
    "escalation_level, status_note, latest_progress, create_time, update_time, close_time, "
    "last_report_time, ongoing_since, checkpoint_due, next_check_time, draft, close_day";

std::string TasksDueForCheckSql() {
  // ORDER BY matches the index (next_check_time, then the rowid id), so no sort is needed.
  return absl::StrCat("SELECT ", kTaskColumns,
                      " FROM tasks WHERE next_check_time <= $1 ORDER BY next_check_time, id "
                      "LIMIT $2");
}

std::string NextCheckTimeSql() {
  return "SELECT next_check_time FROM tasks WHERE next_check_time IS NOT NULL "
         "ORDER BY next_check_time LIMIT 1";
}

absl::StatusOr<Task> ReadTask(const Statement& s) {
  RowReader r(s);
  Task t;
  t.id = r.Int64();
  t.problem_id = r.Int64();
  t.review_id = r.Int64();
  t.area = r.Text();
  t.measure = r.Text();
  t.owner_unit_id = r.Int64();
  t.owner_path = r.Text();
  t.owner_person = r.Text();
  t.leader = r.Text();
  t.deadline = r.OptionalDay("tasks.deadline");
  t.cadence_days = r.Int();
  t.status = r.Enum<TaskStatus>(1, kMaxTaskStatus, "tasks.status");
  t.progress_percent = r.Int();
  t.version = r.Int64();
  t.deadline_version = r.Int64();
  t.light = r.Enum<WarningLight>(0, static_cast<int>(WarningLight::kRed), "tasks.light");
  t.escalation_level = r.Int();
  t.status_note = r.Text();
  t.latest_progress = r.Text();
  t.create_time = r.Time();
  t.update_time = r.Time();
  t.close_time = r.OptionalTime();
  t.last_report_time = r.OptionalTime();
  t.ongoing_since = r.OptionalTime();
  t.checkpoint_due = r.OptionalDay("tasks.checkpoint_due");
  t.next_check_time = r.OptionalTime();
  t.draft = r.Int() != 0;
  t.close_day = r.OptionalDay("tasks.close_day");
  RETURN_IF_ERROR(r.status());
  return t;
}

namespace {

// Binds the mutable fields in the order of the UPDATE and INSERT below. create_time is one of
// them: a draft's restarts when it is assigned (the schedule, 序时进度, counts from then).
void BindMutableTaskFields(Params& p, const Task& t) {
  p.Text(t.area)
      .Text(t.measure)
      .Int64(t.owner_unit_id)
      .Text(t.owner_path)
      .Text(t.owner_person)
      .Text(t.leader)
      .OptionalDay(t.deadline)
      .Int(t.cadence_days)
      .Enum(t.status)
      .Int(t.progress_percent)
      .Int64(t.version)
      .Int64(t.deadline_version)
      .Enum(t.light)
      .Int(t.escalation_level)
      .Text(t.status_note)
      .Text(t.latest_progress)
      .Time(t.update_time)
      .OptionalTime(t.close_time)
      .OptionalTime(t.last_report_time)
      .OptionalTime(t.ongoing_since)
      .OptionalDay(t.checkpoint_due)
      .OptionalTime(t.next_check_time)
      .Int(t.draft ? 1 : 0)
      .Time(t.create_time)
      .OptionalDay(t.close_day);
}

}  // namespace

absl::StatusOr<std::vector<Task>> LedgerTxn::ReadTasks(Statement& s) {
  std::vector<Task> tasks;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return tasks;
    ASSIGN_OR_RETURN(Task t, ReadTask(s));
    tasks.push_back(std::move(t));
  }
}

absl::StatusOr<Task> LedgerTxn::GetTask(Id id) {
  auto cached = tasks_.find(id);
  if (cached != tasks_.end()) return cached->second;
  ASSIGN_OR_RETURN(Statement s,
                   Sql(absl::StrCat("SELECT ", kTaskColumns, " FROM tasks WHERE id = $1")));
  s.BindInt64(1, id);
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return NotFound("任务", "task", id);
  ASSIGN_OR_RETURN(Task task, ReadTask(s));
  tasks_[id] = task;
  return task;
}

absl::StatusOr<std::vector<Task>> LedgerTxn::ListTasks(const TaskQuery& q) {
  Conditions where;
  if (!q.subtree_path.empty()) {
    ASSIGN_OR_RETURN(PathRange range, SubtreeRange(q.subtree_path, "subtree_path"));
    where.Add(absl::StrCat("owner_path >= ", where.Value(range.lo)));
    where.Add(absl::StrCat("owner_path < ", where.Value(range.hi)));
  }
  if (!q.statuses.empty()) {
    std::vector<std::string> placeholders;
    for (TaskStatus status : q.statuses) {
      placeholders.push_back(where.Value(static_cast<int64_t>(status)));
    }
    where.Add(absl::StrCat("status IN (", absl::StrJoin(placeholders, ", "), ")"));
  }
  if (q.deadline_from.has_value()) {
    where.Add(absl::StrCat("deadline >= ", where.Value(FormatDay(*q.deadline_from))));
  }
  if (q.deadline_to.has_value()) {
    where.Add(absl::StrCat("deadline <= ", where.Value(FormatDay(*q.deadline_to))));
  }
  if (!q.area.empty()) where.Add(absl::StrCat("area = ", where.Value(q.area)));
  if (!q.owner_person.empty()) {
    where.Add(absl::StrCat("owner_person = ", where.Value(q.owner_person)));
  }
  if (q.review_id != 0) where.Add(absl::StrCat("review_id = ", where.Value(q.review_id)));
  if (q.overdue_as_of.has_value()) {
    const std::string day = where.Value(FormatDay(*q.overdue_as_of));
    // A NULL deadline or checkpoint compares as unknown, which leaves the task out: right, as
    // such a task cannot be late.
    where.Add(absl::StrCat("((status IN (", static_cast<int>(TaskStatus::kOpen), ", ",
                           static_cast<int>(TaskStatus::kInProgress), ") AND deadline < ", day,
                           ") OR (status = ", static_cast<int>(TaskStatus::kOngoing),
                           " AND checkpoint_due < ", day, "))"));
  }
  if (q.extension_pending) {
    // The pending requests are few and indexed (extensions_one_pending): the query is driven
    // by them, each a lookup by task id.
    where.Add(absl::StrCat("id IN (SELECT task_id FROM extensions WHERE state = ",
                           static_cast<int>(ExtensionState::kPending), ")"));
  }
  if (q.after_id != 0) {
    // Keyset continuation in the order (deadline NULLS LAST, id).
    // Values in order of first appearance in the term (see Conditions).
    if (q.after_deadline.has_value()) {
      const std::string day = where.Value(FormatDay(*q.after_deadline));
      const std::string id = where.Value(q.after_id);
      where.Add(absl::StrCat("(deadline > ", day, " OR (deadline = ", day, " AND id > ", id,
                             ") OR deadline IS NULL)"));
    } else {
      where.Add(absl::StrCat("(deadline IS NULL AND id > ", where.Value(q.after_id), ")"));
    }
  }
  const std::string limit = where.Value(ClampLimit(q.limit));
  ASSIGN_OR_RETURN(Statement s,
                   Sql(absl::StrCat("SELECT ", kTaskColumns, " FROM tasks", where.Where(),
                                    " ORDER BY deadline ASC NULLS LAST, id ASC LIMIT ", limit)));
  where.BindAll(s);
  return ReadTasks(s);
}

absl::StatusOr<std::vector<Task>> LedgerTxn::ListTasksDueForCheck(absl::Time now, int limit) {
  ASSIGN_OR_RETURN(Statement s, Sql(TasksDueForCheckSql()));
  Params(s).Time(now).Int64(ClampLimit(limit));
  return ReadTasks(s);
}

absl::StatusOr<absl::optional<absl::Time>> LedgerTxn::NextCheckTime() {
  ASSIGN_OR_RETURN(Statement s, Sql(NextCheckTimeSql()));
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return absl::optional<absl::Time>();
  return absl::optional<absl::Time>(absl::FromUnixMicros(s.ColumnInt64(0)));
}

absl::Status LedgerTxn::InsertTask(Task& task) {
  ASSIGN_OR_RETURN(
      Statement s,
      Sql("INSERT INTO tasks (area, measure, owner_unit_id, owner_path, owner_person, leader, "
          "deadline, cadence_days, status, progress_percent, version, deadline_version, light, "
          "escalation_level, status_note, latest_progress, update_time, close_time, "
          "last_report_time, ongoing_since, checkpoint_due, next_check_time, draft, create_time, "
          "close_day, problem_id, review_id) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
          "$18, $19, $20, $21, $22, $23, $24, $25, $26, $27) RETURNING id"));
  Params p(s);
  BindMutableTaskFields(p, task);
  p.Int64(task.problem_id).Int64(task.review_id);
  ASSIGN_OR_RETURN(task.id, InsertReturningId(s));
  changed_.push_back(RowRef{RowRef::Kind::kTask, task.id, task.id});
  return absl::OkStatus();
}

absl::Status LedgerTxn::UpdateTask(const Task& task) {
  ASSIGN_OR_RETURN(
      Statement s,
      Sql(absl::StrCat(
          "UPDATE tasks SET area = $1, measure = $2, owner_unit_id = $3, owner_path = $4, "
          "owner_person = $5, leader = $6, deadline = $7, cadence_days = $8, status = $9, "
          "progress_percent = $10, version = $11, deadline_version = $12, light = $13, "
          "escalation_level = $14, status_note = $15, latest_progress = $16, "
          "update_time = $17, close_time = $18, last_report_time = $19, ongoing_since = $20, "
          "checkpoint_due = $21, next_check_time = $22, draft = $23, create_time = $24, "
          "close_day = $25 WHERE id = $26 RETURNING ",
          kTaskColumns)));
  Params p(s);
  BindMutableTaskFields(p, task);
  p.Int64(task.id);
  // The row as stored comes back with the update (instants at the store's microseconds), so
  // that later reads in this write need not select it again.
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return NotFound("任务", "task", task.id);
  ASSIGN_OR_RETURN(Task stored, ReadTask(s));
  RETURN_IF_ERROR(s.Run());
  tasks_[task.id] = std::move(stored);
  changed_.push_back(RowRef{RowRef::Kind::kTask, task.id, task.id});
  return absl::OkStatus();
}

}  // namespace sql
}  // namespace rectify
