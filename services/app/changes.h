// The changes a front end may ask of the ledger (services/app), each with the access rule it
// needs (access.h) applied before the domain runs (services/domain/ledger.h), so that no front end
// can reach a domain change without its rule. Run them inside the unit of work (app::Run, as
// Change::Apply): `tx` is its transaction.
//
// Ids outside the caller's subtree fail exactly like missing ones (NOT_FOUND); an id <= 0 passes
// the access rule and the domain names that field's mistake. AssignTask(s) need no reach rule
// here: the ledger treats a task or owner unit outside the actor's reach as missing, row by row;
// a row that files an extension request (extension_reason) is held to RequestExtension's rule.
//
// Thread safety: const methods over the caller's transaction; the Ledger is thread-safe.
#ifndef RECTIFY_SERVICES_APP_CHANGES_H_
#define RECTIFY_SERVICES_APP_CHANGES_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "services/domain/ledger.h"
#include "services/domain/transitions.h"
#include "services/model/actor.h"
#include "services/store/store.h"

namespace rectify::app {

// A task status change as a front end decoded it (start, submit, accept, return, mark
// long-term, reopen, cancel).
struct TaskCommand {
  TaskAction action = TaskAction::kStart;
  Id id = 0;
  int64_t expected_version = 0;
  std::string note;      // the summary, reason or note its rule names
  int cadence_days = 0;  // mark long-term only
};

class LedgerChanges {
 public:
  explicit LedgerChanges(const Ledger& ledger) : ledger_(ledger) {}

  // Units: a new root only by a root committee; a parent or unit in reach.
  absl::StatusOr<OrgUnit> CreateUnit(WriteTxn& tx, const Actor& actor, Id parent_id,
                                     const std::string& name) const;
  absl::StatusOr<OrgUnit> RenameUnit(WriteTxn& tx, const Actor& actor, Id id,
                                     const std::string& name, int64_t expected_version) const;

  // Reviews, root causes, problems, tasks: the review, problem, causes and owner unit in reach.
  absl::StatusOr<Review> CreateReview(WriteTxn& tx, const Actor& actor, const std::string& title,
                                      int kind, const std::string& held_on, Id unit_id,
                                      const std::string& source_document) const;
  absl::StatusOr<RootCause> CreateRootCause(WriteTxn& tx, const Actor& actor, Id review_id,
                                            const std::string& text) const;
  absl::StatusOr<Problem> CreateProblem(WriteTxn& tx, const Actor& actor, Id review_id,
                                        const std::string& area, const std::string& text,
                                        const std::vector<Id>& root_cause_ids) const;
  absl::StatusOr<Task> CreateTask(WriteTxn& tx, const Actor& actor, const NewTask& in) const;

  // The task's lifecycle: the rule of each action (transitions.h) names who may take it.
  absl::StatusOr<Task> ChangeTaskStatus(WriteTxn& tx, const Actor& actor,
                                        const TaskCommand& command) const;
  absl::StatusOr<std::pair<Task, ProgressReport>> ReportProgress(
      WriteTxn& tx, const Actor& actor, Id id, int64_t expected_version, const std::string& text,
      int percent, const std::vector<NewEvidence>& evidence) const;
  absl::StatusOr<ExtensionRequest> RequestExtension(WriteTxn& tx, const Actor& actor, Id task_id,
                                                    int64_t expected_version,
                                                    const std::string& requested_deadline,
                                                    const std::string& reason) const;
  // Separation of duties: never the asking unit or person.
  absl::StatusOr<ExtensionRequest> DecideExtension(WriteTxn& tx, const Actor& actor,
                                                   Id extension_id, bool approve,
                                                   const std::string& note) const;
  absl::StatusOr<Event> UrgeTask(WriteTxn& tx, const Actor& actor, Id id,
                                 const std::string& note) const;

  // Imports and their corrections.
  absl::StatusOr<ImportedReview> ImportReview(WriteTxn& tx, const Actor& actor,
                                              const ReviewImport& in) const;
  absl::StatusOr<Task> AssignTask(WriteTxn& tx, const Actor& actor, const TaskAssignment& in) const;
  absl::StatusOr<AssignmentOutcome> AssignTasks(WriteTxn& tx, const Actor& actor,
                                                const std::vector<AssignmentRow>& rows) const;
  absl::StatusOr<WithdrawnImport> WithdrawImport(WriteTxn& tx, const Actor& actor, Id review_id,
                                                 const std::string& reason) const;
  absl::StatusOr<Problem> CorrectProblem(WriteTxn& tx, const Actor& actor, Id problem_id,
                                         const std::string& text) const;
  absl::StatusOr<Task> CorrectDraftMeasure(WriteTxn& tx, const Actor& actor, Id task_id,
                                           int64_t expected_version,
                                           const std::string& measure) const;
  absl::StatusOr<Task> AddDraftMeasure(WriteTxn& tx, const Actor& actor, Id problem_id,
                                       const std::string& measure) const;

 private:
  const Ledger& ledger_;
};

}  // namespace rectify::app

#endif  // RECTIFY_SERVICES_APP_CHANGES_H_
