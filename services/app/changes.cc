#include "services/app/changes.h"

#include "services/app/access.h"
#include "services/common/status_macros.h"

namespace rectify::app {

absl::StatusOr<OrgUnit> LedgerChanges::CreateUnit(WriteTxn& tx, const Actor& actor, Id parent_id,
                                                  const std::string& name) const {
  RETURN_IF_ERROR(CheckNewUnitParent(tx, actor, parent_id));
  return ledger_.CreateUnit(tx, actor, parent_id, name);
}

absl::StatusOr<OrgUnit> LedgerChanges::RenameUnit(WriteTxn& tx, const Actor& actor, Id id,
                                                  const std::string& name,
                                                  int64_t expected_version) const {
  RETURN_IF_ERROR(CheckUnitArg(tx, actor, id));
  return ledger_.RenameUnit(tx, actor, id, name, expected_version);
}

absl::StatusOr<Review> LedgerChanges::CreateReview(WriteTxn& tx, const Actor& actor,
                                                   const std::string& title, int kind,
                                                   const std::string& held_on, Id unit_id,
                                                   const std::string& source_document) const {
  RETURN_IF_ERROR(CheckUnitArg(tx, actor, unit_id));
  return ledger_.CreateReview(tx, actor, title, kind, held_on, unit_id, source_document);
}

absl::StatusOr<RootCause> LedgerChanges::CreateRootCause(WriteTxn& tx, const Actor& actor,
                                                         Id review_id,
                                                         const std::string& text) const {
  RETURN_IF_ERROR(CheckReviewArg(tx, actor, review_id));
  return ledger_.CreateRootCause(tx, actor, review_id, text);
}

absl::StatusOr<Problem> LedgerChanges::CreateProblem(WriteTxn& tx, const Actor& actor, Id review_id,
                                                     const std::string& area,
                                                     const std::string& text,
                                                     const std::vector<Id>& root_cause_ids) const {
  RETURN_IF_ERROR(CheckReviewArg(tx, actor, review_id));
  RETURN_IF_ERROR(CheckRootCauseArgs(tx, actor, root_cause_ids));
  return ledger_.CreateProblem(tx, actor, review_id, area, text, root_cause_ids);
}

absl::StatusOr<Task> LedgerChanges::CreateTask(WriteTxn& tx, const Actor& actor,
                                               const NewTask& in) const {
  RETURN_IF_ERROR(CheckProblemArg(tx, actor, in.problem_id));
  RETURN_IF_ERROR(CheckUnitArg(tx, actor, in.owner_unit_id));
  return ledger_.CreateTask(tx, actor, in);
}

absl::StatusOr<Task> LedgerChanges::ChangeTaskStatus(WriteTxn& tx, const Actor& actor,
                                                     const TaskCommand& command) const {
  RETURN_IF_ERROR(CheckTaskActor(tx, actor, RuleFor(command.action).who, command.id));
  return ledger_.ApplyTaskAction(tx, actor, command.action, command.id, command.expected_version,
                                 command.note, command.cadence_days);
}

absl::StatusOr<std::pair<Task, ProgressReport>> LedgerChanges::ReportProgress(
    WriteTxn& tx, const Actor& actor, Id id, int64_t expected_version, const std::string& text,
    int percent, const std::vector<NewEvidence>& evidence) const {
  RETURN_IF_ERROR(CheckTaskActor(tx, actor, RuleFor(TaskAction::kReportProgress).who, id));
  return ledger_.ReportProgress(tx, actor, id, expected_version, text, percent, evidence);
}

absl::StatusOr<ExtensionRequest> LedgerChanges::RequestExtension(
    WriteTxn& tx, const Actor& actor, Id task_id, int64_t expected_version,
    const std::string& requested_deadline, const std::string& reason) const {
  RETURN_IF_ERROR(CheckTaskActor(tx, actor, RuleFor(TaskAction::kRequestExtension).who, task_id));
  return ledger_.RequestExtension(tx, actor, task_id, expected_version, requested_deadline, reason);
}

absl::StatusOr<ExtensionRequest> LedgerChanges::DecideExtension(WriteTxn& tx, const Actor& actor,
                                                                Id extension_id, bool approve,
                                                                const std::string& note) const {
  RETURN_IF_ERROR(CheckDecision(tx, actor, extension_id));
  return ledger_.DecideExtension(tx, actor, extension_id, approve, note);
}

absl::StatusOr<Event> LedgerChanges::UrgeTask(WriteTxn& tx, const Actor& actor, Id id,
                                              const std::string& note) const {
  RETURN_IF_ERROR(CheckTaskArg(tx, actor, id));
  return ledger_.UrgeTask(tx, actor, id, note);
}

absl::StatusOr<ImportedReview> LedgerChanges::ImportReview(WriteTxn& tx, const Actor& actor,
                                                           const ReviewImport& in) const {
  RETURN_IF_ERROR(CheckUnitArg(tx, actor, in.unit_id));
  return ledger_.ImportReview(tx, actor, in);
}

namespace {

// A row that may file an extension request (extension_reason) needs the caller to be one who
// may ask for the task's extension (RequestExtension's rule). A refusal by role refuses the
// call; a task missing or out of reach is the ledger's to report with the row.
absl::Status CheckExtensionAsker(ReadTxn& tx, const Actor& actor, const TaskAssignment& in) {
  if (in.extension_reason.empty() || in.id <= 0) return absl::OkStatus();
  absl::Status s = CheckTaskActor(tx, actor, RuleFor(TaskAction::kRequestExtension).who, in.id);
  return s.code() == absl::StatusCode::kPermissionDenied ? s : absl::OkStatus();
}

}  // namespace

absl::StatusOr<Task> LedgerChanges::AssignTask(WriteTxn& tx, const Actor& actor,
                                               const TaskAssignment& in) const {
  RETURN_IF_ERROR(CheckExtensionAsker(tx, actor, in));
  return ledger_.AssignTask(tx, actor, in);
}

absl::StatusOr<AssignmentOutcome> LedgerChanges::AssignTasks(
    WriteTxn& tx, const Actor& actor, const std::vector<AssignmentRow>& rows) const {
  for (const AssignmentRow& row : rows) {
    RETURN_IF_ERROR(CheckExtensionAsker(tx, actor, row.assignment));
  }
  return ledger_.AssignTasks(tx, actor, rows);
}

absl::StatusOr<WithdrawnImport> LedgerChanges::WithdrawImport(WriteTxn& tx, const Actor& actor,
                                                              Id review_id,
                                                              const std::string& reason) const {
  RETURN_IF_ERROR(CheckReviewArg(tx, actor, review_id));
  return ledger_.WithdrawImport(tx, actor, review_id, reason);
}

absl::StatusOr<Problem> LedgerChanges::CorrectProblem(WriteTxn& tx, const Actor& actor,
                                                      Id problem_id,
                                                      const std::string& text) const {
  RETURN_IF_ERROR(CheckProblemArg(tx, actor, problem_id));
  return ledger_.CorrectProblem(tx, actor, problem_id, text);
}

absl::StatusOr<Task> LedgerChanges::CorrectDraftMeasure(WriteTxn& tx, const Actor& actor,
                                                        Id task_id, int64_t expected_version,
                                                        const std::string& measure) const {
  RETURN_IF_ERROR(CheckTaskArg(tx, actor, task_id));
  return ledger_.CorrectDraftMeasure(tx, actor, task_id, expected_version, measure);
}

absl::StatusOr<Task> LedgerChanges::AddDraftMeasure(WriteTxn& tx, const Actor& actor, Id problem_id,
                                                    const std::string& measure) const {
  RETURN_IF_ERROR(CheckProblemArg(tx, actor, problem_id));
  return ledger_.AddDraftMeasure(tx, actor, problem_id, measure);
}

}  // namespace rectify::app
