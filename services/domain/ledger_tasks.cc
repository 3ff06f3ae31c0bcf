// Ledger: task creation and every status transition (整改状态流转), extensions (延期).
#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/civil.h"
#include "services/common/errors.h"
#include "services/common/labels.h"
#include "services/common/sha256.h"
#include "services/common/status_macros.h"
#include "services/common/text.h"
#include "services/domain/flag_rules.h"
#include "services/domain/ledger.h"
#include "services/domain/limits.h"
#include "services/domain/notices.h"
#include "services/domain/transitions.h"

namespace rectify {
namespace {

absl::Status CheckTaskId(Id id) {
  if (id <= 0) return InvalidField("id", "必须是正整数编号", "must be a positive id");
  return absl::OkStatus();
}

absl::Status CheckCadence(int days) {
  if (days < 1 || days > limits::kMaxCadenceDays) {
    return InvalidField("cadence_days", "报告周期须在 1 到 366 天之间",
                        "must be between 1 and 366 days");
  }
  return absl::OkStatus();
}

std::string GuessMediaType(const std::string& file_name) {
  static constexpr std::pair<const char*, const char*> kTypes[] = {
      {".pdf", "application/pdf"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".png", "image/png"},
      {".gif", "image/gif"},
      {".txt", "text/plain"},
      {".md", "text/markdown"},
      {".csv", "text/csv"},
      {".doc", "application/msword"},
      {".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {".xls", "application/vnd.ms-excel"},
      {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {".zip", "application/zip"},
  };
  const std::string lower = absl::AsciiStrToLower(file_name);
  for (const auto& [ext, type] : kTypes) {
    if (absl::EndsWith(lower, ext)) return type;
  }
  return "application/octet-stream";
}

// An evidence file is saved under its name when someone exports it (on Windows too): a name
// that is a path, a directory (".", ".."), a device (CON, NUL, COM1.txt ...), or that Windows
// would silently change (a trailing dot or space, <>:"|?*) is refused rather than renamed.
absl::Status CheckEvidenceFileName(const std::string& name) {
  auto bad = [](absl::string_view zh, absl::string_view en) {
    return InvalidField("evidence.file_name", zh, en);
  };
  if (name.find_first_of("/\\") != std::string::npos) {
    return bad("文件名不能包含路径分隔符", "must not contain path separators");
  }
  if (name.find_first_of("<>:\"|?*") != std::string::npos) {
    return bad("文件名不能包含 < > : \" | ? * 等字符", "must not contain < > : \" | ? *");
  }
  if (name.find_first_not_of(". ") == std::string::npos) {
    return bad("文件名不能只由点和空格组成（如 . 或 ..）",
               "must not consist of dots and spaces only (such as . or ..)");
  }
  if (name.back() == '.' || name.back() == ' ') {
    return bad("文件名不能以点或空格结尾", "must not end with a dot or a space");
  }
  // Windows reserves these device names with any extension ("con.txt" too).
  const std::string stem =
      absl::AsciiStrToUpper(absl::StripTrailingAsciiWhitespace(name.substr(0, name.find('.'))));
  static const char* const kDevices[] = {"CON", "PRN", "AUX", "NUL"};
  bool device = false;
  for (const char* d : kDevices) device = device || stem == d;
  if ((absl::StartsWith(stem, "COM") || absl::StartsWith(stem, "LPT")) && stem.size() == 4 &&
      stem[3] >= '1' && stem[3] <= '9') {
    device = true;
  }
  if (device) {
    return bad(absl::StrCat("“", name, "”是系统保留的设备名，请换一个文件名"),
               absl::StrCat("\"", name, "\" is a reserved device name; rename the file"));
  }
  return absl::OkStatus();
}

// A task that no longer has a deadline to move (closed out, cancelled, submitted, made long-term)
// leaves no pending extension request behind: it is withdrawn (已撤回), with `why` as the note and
// no decider, since nobody decided it.
absl::Status WithdrawPendingExtension(WriteTxn& tx, Id task_id, const std::string& why,
                                      absl::Time now) {
  ASSIGN_OR_RETURN(absl::optional<ExtensionRequest> pending, tx.FindPendingExtension(task_id));
  if (!pending.has_value()) return absl::OkStatus();
  pending->state = ExtensionState::kWithdrawn;
  pending->decided_by.clear();
  pending->decide_time = now;
  pending->decision_note = why;
  return tx.UpdateExtension(*pending);
}

}  // namespace

absl::Status Ledger::AppendTaskEvent(WriteTxn& tx, const Actor& actor, const Task& task,
                                     EventKind kind, const std::string& detail, absl::Time now,
                                     absl::optional<TaskStatus> from, absl::optional<TaskStatus> to,
                                     Event* appended) const {
  Event ev;
  ev.kind = kind;
  ev.task_id = task.id;
  ev.unit_id = task.owner_unit_id;
  ev.unit_path = task.owner_path;
  ev.actor = actor.name;
  ev.time = now;
  ev.from_status = from;
  ev.to_status = to;
  ev.detail = detail;
  RETURN_IF_ERROR(tx.AppendEvent(ev));
  if (appended != nullptr) *appended = std::move(ev);
  return absl::OkStatus();
}

absl::StatusOr<Task> Ledger::LoadForChange(WriteTxn& tx, Id id, int64_t expected_version) const {
  RETURN_IF_ERROR(CheckTaskId(id));
  if (expected_version < 0) {
    return InvalidField("expected_version", "不能为负数", "must not be negative");
  }
  ASSIGN_OR_RETURN(Task task, tx.GetTask(id));
  if (expected_version != 0 && expected_version != task.version) {
    return absl::AbortedError(absl::StrCat(
        "任务 ", id, " 已被他人修改（当前版本 ", task.version, "，你提交的是 ", expected_version,
        "），请刷新后重试 / task ", id, " was changed by someone else (version ", task.version,
        ", you sent ", expected_version, "); reload and retry"));
  }
  return task;
}

std::string TransitionDetail(TaskStatus from, TaskStatus to, const std::string& note) {
  std::string detail = absl::StrCat(TaskStatusLabel(static_cast<int>(from)), " → ",
                                    TaskStatusLabel(static_cast<int>(to)));
  if (!note.empty()) absl::StrAppend(&detail, "：", note);
  return detail;
}

absl::Status Ledger::Transition(WriteTxn& tx, const Actor& actor, Task& task, TaskStatus to,
                                const std::string& note, absl::Time now) const {
  const TaskStatus from = task.status;
  task.status = to;
  task.status_note = note;
  ++task.version;
  task.update_time = now;
  // The light, escalation and next check follow from the new state: set them now, so that the
  // row is written once (ReconcileTask below then finds them current and only keeps the flags).
  const TaskEvaluation evaluated = EvaluateTask(task, now, settings_);
  task.light = evaluated.light;
  task.escalation_level = evaluated.escalation_level;
  task.next_check_time = evaluated.next_check_time;
  RETURN_IF_ERROR(tx.UpdateTask(task));
  if (from != to) {
    const std::string detail = TransitionDetail(from, to, note);
    Event ev;
    RETURN_IF_ERROR(
        AppendTaskEvent(tx, actor, task, EventKind::kTransition, detail, now, from, to, &ev));
    // A return (退回) and a close-out (销号) are news for the owner unit.
    if (from == TaskStatus::kSubmitted && to == TaskStatus::kInProgress) {
      RETURN_IF_ERROR(EnqueueTaskNotice(tx, NoticeTopic::kReturned, task, ev, 0, note));
    } else if (to == TaskStatus::kClosed) {
      RETURN_IF_ERROR(EnqueueTaskNotice(tx, NoticeTopic::kClosed, task, ev, 0, note));
    }
  }
  return ReconcileTask(tx, task, now, settings_).status();
}

absl::StatusOr<Task> Ledger::CreateTask(WriteTxn& tx, const Actor& actor, const NewTask& in) const {
  if (in.problem_id <= 0) {
    return InvalidField("problem_id", "必须是正整数编号", "must be a positive id");
  }
  RETURN_IF_ERROR(CheckText("measure", in.measure, 1, limits::kLongText));
  if (in.owner_unit_id <= 0) {
    return InvalidField("owner_unit_id", "请指定责任单位", "must name the responsible unit");
  }
  RETURN_IF_ERROR(
      CheckText("owner_person", in.owner_person, 1, limits::kPersonName, /*multiline=*/false));
  RETURN_IF_ERROR(CheckText("leader", in.leader, 0, limits::kPersonName, /*multiline=*/false));
  const absl::Time now = Now();
  Task task;
  if (!in.deadline.empty() && in.cadence_days != 0) {
    return InvalidField("deadline", "整改时限与长期坚持的报告周期只能二选一",
                        "give either a deadline or cadence_days, not both");
  }
  if (in.deadline.empty() && in.cadence_days == 0) {
    return InvalidField("deadline", "请填写整改时限（YYYY-MM-DD），或长期坚持的报告周期",
                        "give a deadline (YYYY-MM-DD) or cadence_days for a long-term task");
  }
  if (!in.deadline.empty()) {
    ASSIGN_OR_RETURN(absl::CivilDay deadline, ParseDay("deadline", in.deadline));
    const absl::CivilDay today = DayOf(now, settings_.time_zone);
    if (deadline < today) {
      return InvalidField(
          "deadline", absl::StrCat("整改时限 ", in.deadline, " 早于今天（", FormatDay(today), "）"),
          absl::StrCat("deadline ", in.deadline, " is before today (", FormatDay(today), ")"));
    }
    task.deadline = deadline;
    task.status = TaskStatus::kOpen;
  } else {
    RETURN_IF_ERROR(CheckCadence(in.cadence_days));
    task.cadence_days = in.cadence_days;
    task.status = TaskStatus::kOngoing;
    task.ongoing_since = now;
    task.checkpoint_due = DayOf(now, settings_.time_zone) + in.cadence_days;
  }
  ASSIGN_OR_RETURN(Problem problem, tx.GetProblem(in.problem_id));
  ASSIGN_OR_RETURN(OrgUnit owner, tx.GetUnit(in.owner_unit_id));
  task.problem_id = problem.id;
  task.review_id = problem.review_id;
  task.area = problem.area;
  task.measure = in.measure;
  task.owner_unit_id = owner.id;
  task.owner_path = owner.path;
  task.owner_person = in.owner_person;
  task.leader = in.leader;
  task.create_time = now;
  task.update_time = now;
  task.light = WarningLight::kGreen;
  RETURN_IF_ERROR(tx.InsertTask(task));
  RETURN_IF_ERROR(AppendTaskEvent(
      tx, actor, task, EventKind::kCreated,
      absl::StrCat("下达整改任务，责任单位“", owner.name, "”，责任人", task.owner_person,
                   task.deadline ? absl::StrCat("，整改时限 ", FormatDay(*task.deadline))
                                 : absl::StrCat("，长期坚持，每 ", task.cadence_days, " 天报告")),
      now, absl::nullopt, task.status));
  RETURN_IF_ERROR(ReconcileTask(tx, task, now, settings_).status());
  return task;
}

absl::StatusOr<Task> Ledger::ApplyTaskAction(WriteTxn& tx, const Actor& actor, TaskAction action,
                                             Id id, int64_t expected_version,
                                             const std::string& note, int cadence_days) const {
  const TransitionRule& rule = RuleFor(action);
  if (rule.effect == TaskEffect::kOwnMethod) {
    return absl::InternalError(
        absl::StrCat("ApplyTaskAction: ", TaskActionLabel(action, true), " has its own method"));
  }
  RETURN_IF_ERROR(CheckTaskId(id));
  if (rule.effect == TaskEffect::kLongTerm) RETURN_IF_ERROR(CheckCadence(cadence_days));
  if (rule.note_field != nullptr) {
    RETURN_IF_ERROR(CheckText(rule.note_field, note, rule.note_required ? 1 : 0, rule.max_note));
  }
  ASSIGN_OR_RETURN(Task task, LoadForChange(tx, id, expected_version));
  if (rule.needs_assignment) RETURN_IF_ERROR(RequireAssigned(task));
  ASSIGN_OR_RETURN(TaskStatus to, NextStatus(task.status, action));
  const absl::Time now = Now();
  if (rule.withdraws_extension != nullptr) {
    RETURN_IF_ERROR(WithdrawPendingExtension(tx, task.id, rule.withdraws_extension, now));
  }
  std::string recorded = rule.note_field != nullptr ? note : "";
  switch (rule.effect) {
    case TaskEffect::kClose:
      task.close_time = now;
      task.close_day = DayOf(now, settings_.time_zone);
      task.progress_percent = 100;
      break;
    case TaskEffect::kLongTerm:
      task.cadence_days = cadence_days;
      task.ongoing_since = now;
      task.checkpoint_due = DayOf(now, settings_.time_zone) + cadence_days;
      ++task.deadline_version;  // from now on the checkpoint, not the date, is what can be missed
      if (recorded.empty()) recorded = absl::StrCat("每 ", cadence_days, " 天报告一次");
      break;
    case TaskEffect::kReopen:
      task.close_time.reset();
      task.close_day.reset();
      break;
    case TaskEffect::kNone:
    case TaskEffect::kOwnMethod:
      break;
  }
  RETURN_IF_ERROR(Transition(tx, actor, task, to, recorded, now));
  return task;
}

absl::StatusOr<Task> Ledger::StartTask(WriteTxn& tx, const Actor& actor, Id id,
                                       int64_t expected_version) const {
  return ApplyTaskAction(tx, actor, TaskAction::kStart, id, expected_version, "");
}

absl::StatusOr<std::pair<Task, ProgressReport>> Ledger::ReportProgress(
    WriteTxn& tx, const Actor& actor, Id id, int64_t expected_version, const std::string& text,
    int percent, const std::vector<NewEvidence>& evidence) const {
  RETURN_IF_ERROR(CheckTaskId(id));
  RETURN_IF_ERROR(CheckText("text", text, 1, limits::kLongText));
  if (percent < 0 || percent > 100) {
    return InvalidField("percent", absl::StrCat("进度须在 0 到 100 之间（收到 ", percent, "）"),
                        absl::StrCat("must be between 0 and 100 (got ", percent, ")"));
  }
  if (evidence.size() > static_cast<size_t>(limits::kMaxEvidenceFiles)) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "evidence: 每次最多附 ", limits::kMaxEvidenceFiles, " 个证明材料 / evidence: at most ",
        limits::kMaxEvidenceFiles, " files per report"));
  }
  ProgressReport report;
  for (const NewEvidence& in : evidence) {
    RETURN_IF_ERROR(CheckText("evidence.file_name", in.file_name, 1, limits::kFileName,
                              /*multiline=*/false));
    RETURN_IF_ERROR(CheckEvidenceFileName(in.file_name));
    RETURN_IF_ERROR(CheckText("evidence.media_type", in.media_type, 0, limits::kMediaType,
                              /*multiline=*/false));
    if (static_cast<int64_t>(in.content.size()) > settings_.max_evidence_bytes) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "evidence.content: 证明材料“", in.file_name, "”超过 ", settings_.max_evidence_bytes,
          " 字节的上限 / evidence.content: \"", in.file_name, "\" exceeds the limit of ",
          settings_.max_evidence_bytes, " bytes"));
    }
    Evidence e;
    e.file_name = in.file_name;
    e.media_type = in.media_type.empty() ? GuessMediaType(in.file_name) : in.media_type;
    e.size_bytes = static_cast<int64_t>(in.content.size());
    e.sha256_hex = Sha256Hex(in.content);
    e.content = in.content;
    report.evidence.push_back(std::move(e));
  }
  ASSIGN_OR_RETURN(Task task, LoadForChange(tx, id, expected_version));
  RETURN_IF_ERROR(RequireAssigned(task));
  ASSIGN_OR_RETURN(TaskStatus to, NextStatus(task.status, TaskAction::kReportProgress));
  const absl::Time now = Now();
  report.task_id = task.id;
  report.reporter = actor.name;
  report.report_time = now;
  report.text = text;
  report.percent = percent;
  RETURN_IF_ERROR(tx.InsertProgress(report));

  task.progress_percent = percent;
  task.latest_progress = text;
  task.last_report_time = now;
  if (task.status == TaskStatus::kOngoing) {
    // The checkpoint is a long-term task's deadline: a report moves it, and flags of the old
    // checkpoint belong to the old deadline version.
    task.checkpoint_due = DayOf(now, settings_.time_zone) + task.cadence_days;
    ++task.deadline_version;
  }
  RETURN_IF_ERROR(AppendTaskEvent(
      tx, actor, task, EventKind::kProgress,
      absl::StrCat("进度 ", percent, "%：", text,
                   report.evidence.empty()
                       ? ""
                       : absl::StrCat("（附证明材料 ", report.evidence.size(), " 个）")),
      now));
  RETURN_IF_ERROR(Transition(tx, actor, task, to, task.status_note, now));
  for (Evidence& e : report.evidence) e.content.clear();  // callers get metadata only
  return std::make_pair(task, report);
}

absl::StatusOr<Task> Ledger::SubmitTask(WriteTxn& tx, const Actor& actor, Id id,
                                        int64_t expected_version,
                                        const std::string& summary) const {
  return ApplyTaskAction(tx, actor, TaskAction::kSubmit, id, expected_version, summary);
}

absl::StatusOr<Task> Ledger::AcceptTask(WriteTxn& tx, const Actor& actor, Id id,
                                        int64_t expected_version, const std::string& note) const {
  return ApplyTaskAction(tx, actor, TaskAction::kAccept, id, expected_version, note);
}

absl::StatusOr<Task> Ledger::ReturnTask(WriteTxn& tx, const Actor& actor, Id id,
                                        int64_t expected_version, const std::string& reason) const {
  return ApplyTaskAction(tx, actor, TaskAction::kReturn, id, expected_version, reason);
}

absl::StatusOr<Task> Ledger::MarkOngoing(WriteTxn& tx, const Actor& actor, Id id,
                                         int64_t expected_version, int cadence_days,
                                         const std::string& note) const {
  return ApplyTaskAction(tx, actor, TaskAction::kMarkOngoing, id, expected_version, note,
                         cadence_days);
}

absl::StatusOr<Task> Ledger::ReopenTask(WriteTxn& tx, const Actor& actor, Id id,
                                        int64_t expected_version, const std::string& reason) const {
  return ApplyTaskAction(tx, actor, TaskAction::kReopen, id, expected_version, reason);
}

absl::StatusOr<Task> Ledger::CancelTask(WriteTxn& tx, const Actor& actor, Id id,
                                        int64_t expected_version, const std::string& reason) const {
  return ApplyTaskAction(tx, actor, TaskAction::kCancel, id, expected_version, reason);
}

absl::StatusOr<ExtensionRequest> Ledger::RequestExtension(WriteTxn& tx, const Actor& actor,
                                                          Id task_id, int64_t expected_version,
                                                          const std::string& requested_deadline,
                                                          const std::string& reason) const {
  RETURN_IF_ERROR(CheckTaskId(task_id));
  ASSIGN_OR_RETURN(absl::CivilDay wanted, ParseDay("requested_deadline", requested_deadline));
  RETURN_IF_ERROR(CheckText("reason", reason, 1, limits::kReason));
  ASSIGN_OR_RETURN(Task task, LoadForChange(tx, task_id, expected_version));
  RETURN_IF_ERROR(NextStatus(task.status, TaskAction::kRequestExtension).status());
  if (!task.deadline.has_value()) {
    return absl::FailedPreconditionError(
        "该任务没有整改时限，无需申请延期 / the task has no deadline to extend");
  }
  if (wanted <= *task.deadline) {
    return InvalidField(
        "requested_deadline", absl::StrCat("申请的时限须晚于现有时限 ", FormatDay(*task.deadline)),
        absl::StrCat("must be later than the current deadline ", FormatDay(*task.deadline)));
  }
  ASSIGN_OR_RETURN(absl::optional<ExtensionRequest> pending, tx.FindPendingExtension(task.id));
  if (pending.has_value()) {
    return absl::FailedPreconditionError(absl::StrCat("任务已有待审批的延期申请（编号 ",
                                                      pending->id,
                                                      "），请等待审批 / the task already has a "
                                                      "pending extension request (id ",
                                                      pending->id, ")"));
  }
  const absl::Time now = Now();
  ExtensionRequest request;
  request.task_id = task.id;
  request.old_deadline = task.deadline;
  request.requested_deadline = wanted;
  request.reason = reason;
  request.requested_by = actor.name;
  request.requester_unit_id = actor.unit_id;
  request.request_time = now;
  request.state = ExtensionState::kPending;
  RETURN_IF_ERROR(tx.InsertExtension(request));
  ++task.version;
  task.update_time = now;
  RETURN_IF_ERROR(tx.UpdateTask(task));
  RETURN_IF_ERROR(AppendTaskEvent(tx, actor, task, EventKind::kExtensionRequested,
                                  absl::StrCat("申请延期至 ", requested_deadline, "（原时限 ",
                                               FormatDay(*task.deadline), "）：", reason),
                                  now));
  return request;
}

absl::StatusOr<ExtensionRequest> Ledger::DecideExtension(WriteTxn& tx, const Actor& actor,
                                                         Id extension_id, bool approve,
                                                         const std::string& note) const {
  if (extension_id <= 0) {
    return InvalidField("extension_id", "必须是正整数编号", "must be a positive id");
  }
  RETURN_IF_ERROR(CheckText("note", note, 0, limits::kReason));
  ASSIGN_OR_RETURN(ExtensionRequest request, tx.GetExtension(extension_id));
  if (request.state == ExtensionState::kWithdrawn) {
    return absl::FailedPreconditionError(
        absl::StrCat("延期申请 ", extension_id, " 已撤回（", request.decision_note,
                     "），不能审批 / extension request ", extension_id,
                     " was withdrawn and can no longer be decided"));
  }
  if (request.state != ExtensionState::kPending) {
    return absl::FailedPreconditionError(absl::StrCat(
        "延期申请 ", extension_id, " 已审批（",
        ExtensionStateLabel(static_cast<int>(request.state)),
        "），不能再次审批 / extension request ", extension_id, " was decided already"));
  }
  ASSIGN_OR_RETURN(Task task, tx.GetTask(request.task_id));
  // A request left pending by an older version on a task that has since been submitted, made
  // long-term, closed or cancelled: there is no deadline left to move.
  if (!task.deadline.has_value() ||
      (task.status != TaskStatus::kOpen && task.status != TaskStatus::kInProgress)) {
    return absl::FailedPreconditionError(
        absl::StrCat("任务 ", task.id, " 状态为“", TaskStatusLabel(static_cast<int>(task.status)),
                     "”，延期申请 ", extension_id, " 已不适用，不能审批 / extension request ",
                     extension_id, " no longer applies: task ", task.id, " is ",
                     TaskStatusLabel(static_cast<int>(task.status), Lang::kEn)));
  }
  const absl::Time now = Now();
  request.state = approve ? ExtensionState::kApproved : ExtensionState::kDenied;
  request.decided_by = actor.name;
  request.decide_time = now;
  request.decision_note = note;
  RETURN_IF_ERROR(tx.UpdateExtension(request));
  std::string detail = approve ? absl::StrCat("批准延期，整改时限 ",
                                              task.deadline ? FormatDay(*task.deadline) : "无",
                                              " → ", FormatDay(request.requested_deadline))
                               : "不批准延期";
  if (!note.empty()) absl::StrAppend(&detail, "：", note);
  if (approve) {
    task.deadline = request.requested_deadline;
    ++task.deadline_version;
  }
  ++task.version;
  task.update_time = now;
  RETURN_IF_ERROR(tx.UpdateTask(task));
  Event ev;
  RETURN_IF_ERROR(AppendTaskEvent(tx, actor, task, EventKind::kExtensionDecided, detail, now,
                                  absl::nullopt, absl::nullopt, &ev));
  RETURN_IF_ERROR(
      EnqueueTaskNotice(tx, NoticeTopic::kExtensionDecided, task, ev, approve ? 1 : 0, note));
  RETURN_IF_ERROR(ReconcileTask(tx, task, now, settings_).status());
  return request;
}

}  // namespace rectify
