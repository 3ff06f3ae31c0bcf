// Ledger: every operation of the rectification ledger (整改台账), on top of a Store.
//
// Each mutation validates its input first (INVALID_ARGUMENT naming the field), then runs inside
// the caller's write transaction: it loads what it needs, checks existence (NOT_FOUND), the
// expected version (ABORTED), the state machine (FAILED_PRECONDITION), applies the change, bumps
// the version, appends an event, and reconciles the task's lights and flags. A non-OK result
// leaves the transaction to be rolled back, so a refused call changes nothing.
//
// Mutations take the WriteTxn so that the API layer can make a call idempotent (request_id) in
// the same transaction; reads open their own snapshot.
//
// Thread safety: a Ledger is immutable after construction and safe to share between threads.
#ifndef RECTIFY_SERVICES_DOMAIN_LEDGER_H_
#define RECTIFY_SERVICES_DOMAIN_LEDGER_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/types/optional.h"
#include "services/common/clock.h"
#include "services/domain/drafts.h"
#include "services/domain/settings.h"
#include "services/domain/transitions.h"
#include "services/model/actor.h"
#include "services/model/model.h"
#include "services/store/store.h"

namespace rectify {

struct NewTask {
  Id problem_id = 0;
  std::string measure;
  Id owner_unit_id = 0;
  std::string owner_person;
  std::string leader;
  std::string deadline;  // "YYYY-MM-DD", or empty with cadence_days > 0
  int cadence_days = 0;
};

struct NewEvidence {
  std::string file_name;
  std::string media_type;  // guessed from the file name when empty
  std::string content;
};

struct TaskHistory {
  Task task;
  Problem problem;
  std::vector<Event> events;
  std::vector<ProgressReport> progress;
  std::vector<ExtensionRequest> extensions;
};

// Filters of ListTasks as the API gives them (dates still as text, to be validated here).
struct TaskFilter {
  Id unit_id = 0;
  std::vector<int> statuses;  // raw enum numbers, validated here
  std::string deadline_from;
  std::string deadline_to;
  std::string area;
  std::string owner_person;
  Id review_id = 0;
  bool overdue_only = false;
  bool extension_pending = false;
  int page_size = 0;
  std::string page_token;
};

struct TaskPage {
  std::vector<Task> tasks;
  std::string next_page_token;
};

struct OverdueEntry {
  Task task;
  int days_overdue = 0;
};

struct OverdueUnitGroup {
  OrgUnit unit;
  std::vector<OverdueEntry> entries;  // most overdue first
};

struct OverdueList {
  absl::CivilDay as_of;
  std::vector<OverdueUnitGroup> groups;  // in tree order
  int total = 0;
};

class Ledger {
 public:
  Ledger(Store* store, const Clock* clock, LedgerSettings settings);
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  // Called after every committed change (the scheduler listens, to re-plan its next wake-up).
  // Set once, before the ledger is shared.
  void set_change_listener(std::function<void()> listener) {
    change_listener_ = std::move(listener);
  }
  void NotifyChanged() const {
    if (change_listener_) change_listener_();
  }

  const LedgerSettings& settings() const { return settings_; }
  Store* store() const { return store_; }
  absl::Time Now() const { return clock_->Now(); }
  absl::CivilDay Today() const;

  // Org units.
  absl::StatusOr<OrgUnit> CreateUnit(WriteTxn& tx, const Actor& actor, Id parent_id,
                                     const std::string& name) const;
  absl::StatusOr<OrgUnit> RenameUnit(WriteTxn& tx, const Actor& actor, Id id,
                                     const std::string& name, int64_t expected_version) const;

  // Reviews, causes, problems.
  // `source_sha256` is set by ImportReview only (see Review::source_sha256).
  absl::StatusOr<Review> CreateReview(WriteTxn& tx, const Actor& actor, const std::string& title,
                                      int kind, const std::string& held_on, Id unit_id,
                                      const std::string& source_document,
                                      const std::string& source_sha256 = "") const;
  absl::StatusOr<RootCause> CreateRootCause(WriteTxn& tx, const Actor& actor, Id review_id,
                                            const std::string& text) const;
  absl::StatusOr<Problem> CreateProblem(WriteTxn& tx, const Actor& actor, Id review_id,
                                        const std::string& area, const std::string& text,
                                        const std::vector<Id>& root_cause_ids) const;

  // Tasks and their transitions. expected_version 0 skips the version check.
  absl::StatusOr<Task> CreateTask(WriteTxn& tx, const Actor& actor, const NewTask& in) const;
  // The one path of every status change but a progress report and an extension request (start,
  // submit, accept, return, mark long-term, reopen, cancel): the action's rule (transitions.h)
  // says which text it needs, which states it leaves and for which, and what else it changes;
  // the named methods below call it. Who may take it (TransitionRule::who) is the caller's check.
  absl::StatusOr<Task> ApplyTaskAction(WriteTxn& tx, const Actor& actor, TaskAction action, Id id,
                                       int64_t expected_version, const std::string& note,
                                       int cadence_days = 0) const;
  absl::StatusOr<Task> StartTask(WriteTxn& tx, const Actor& actor, Id id,
                                 int64_t expected_version) const;
  // Returns the task after the report and the stored report.
  absl::StatusOr<std::pair<Task, ProgressReport>> ReportProgress(
      WriteTxn& tx, const Actor& actor, Id id, int64_t expected_version, const std::string& text,
      int percent, const std::vector<NewEvidence>& evidence) const;
  absl::StatusOr<Task> SubmitTask(WriteTxn& tx, const Actor& actor, Id id, int64_t expected_version,
                                  const std::string& summary) const;
  absl::StatusOr<Task> AcceptTask(WriteTxn& tx, const Actor& actor, Id id, int64_t expected_version,
                                  const std::string& note) const;
  absl::StatusOr<Task> ReturnTask(WriteTxn& tx, const Actor& actor, Id id, int64_t expected_version,
                                  const std::string& reason) const;
  absl::StatusOr<Task> MarkOngoing(WriteTxn& tx, const Actor& actor, Id id,
                                   int64_t expected_version, int cadence_days,
                                   const std::string& note) const;
  absl::StatusOr<Task> ReopenTask(WriteTxn& tx, const Actor& actor, Id id, int64_t expected_version,
                                  const std::string& reason) const;
  absl::StatusOr<Task> CancelTask(WriteTxn& tx, const Actor& actor, Id id, int64_t expected_version,
                                  const std::string& reason) const;

  // Importing a review report and assigning its drafts (drafts.h; ledger_import.cc and
  // ledger_assign.cc). ImportReview creates the review, its causes, its problems and one draft
  // task per problem; ALREADY_EXISTS, naming the review, when the unit imported the same
  // content before. AssignTask sets owner and deadline on an OPEN task (a draft becomes a task);
  // with an extension_reason, an assigned task's new deadline becomes an extension request.
  // AssignTasks applies every row or none, and reports every bad row by line in one error.
  absl::StatusOr<ImportedReview> ImportReview(WriteTxn& tx, const Actor& actor,
                                              const ReviewImport& in) const;
  absl::StatusOr<Task> AssignTask(WriteTxn& tx, const Actor& actor, const TaskAssignment& in) const;
  absl::StatusOr<AssignmentOutcome> AssignTasks(WriteTxn& tx, const Actor& actor,
                                                const std::vector<AssignmentRow>& rows) const;
  // Correcting an import (ledger_import_fix.cc), on drafts only (FAILED_PRECONDITION naming the
  // assigned tasks otherwise). WithdrawImport cancels every draft of an imported review, marks
  // its title withdrawn and forgets its source so that a corrected document can be imported
  // again. CorrectProblem and CorrectDraftMeasure fix texts; AddDraftMeasure gives a problem
  // another draft task (one problem, several measures).
  absl::StatusOr<WithdrawnImport> WithdrawImport(WriteTxn& tx, const Actor& actor, Id review_id,
                                                 const std::string& reason) const;
  absl::StatusOr<Problem> CorrectProblem(WriteTxn& tx, const Actor& actor, Id problem_id,
                                         const std::string& text) const;
  absl::StatusOr<Task> CorrectDraftMeasure(WriteTxn& tx, const Actor& actor, Id task_id,
                                           int64_t expected_version,
                                           const std::string& measure) const;
  absl::StatusOr<Task> AddDraftMeasure(WriteTxn& tx, const Actor& actor, Id problem_id,
                                       const std::string& measure) const;
  // The review `unit_id` imported from content with this SHA-256, if any (for previews).
  absl::StatusOr<absl::optional<Review>> FindImportedReview(Id unit_id,
                                                            const std::string& source_sha256) const;

  // Extensions (延期).
  absl::StatusOr<ExtensionRequest> RequestExtension(WriteTxn& tx, const Actor& actor, Id task_id,
                                                    int64_t expected_version,
                                                    const std::string& requested_deadline,
                                                    const std::string& reason) const;
  absl::StatusOr<ExtensionRequest> DecideExtension(WriteTxn& tx, const Actor& actor,
                                                   Id extension_id, bool approve,
                                                   const std::string& note) const;

  // Urging (催办/督办; ledger_events.cc): appends an EventKind::kUrged event with the note to a
  // task that is not CLOSED or CANCELLED, for its owner to see. The task does not change.
  absl::StatusOr<Event> UrgeTask(WriteTxn& tx, const Actor& actor, Id id,
                                 const std::string& note) const;

  // Reads.
  absl::StatusOr<OrgUnit> GetUnit(Id id) const;
  // Units of a subtree (0: all) in tree order; page_token is opaque.
  absl::StatusOr<std::pair<std::vector<OrgUnit>, std::string>> ListUnits(
      Id subtree_of, int page_size, const std::string& page_token) const;
  absl::StatusOr<Review> GetReview(Id id) const;
  absl::StatusOr<std::pair<std::vector<Review>, std::string>> ListReviews(
      Id unit_id, int page_size, const std::string& page_token) const;
  struct ProblemPage {
    std::vector<Problem> problems;
    std::vector<RootCause> causes;
    std::string next_page_token;
  };
  absl::StatusOr<ProblemPage> ListProblems(Id review_id, int page_size,
                                           const std::string& page_token) const;
  absl::StatusOr<Task> GetTask(Id id) const;
  absl::StatusOr<TaskPage> ListTasks(const TaskFilter& filter) const;
  absl::StatusOr<TaskHistory> GetTaskHistory(Id id) const;
  // Events with seq > after_seq of the units in unit_id's subtree (0: all), in seq order, at most
  // `limit` (ledger_events.cc).
  absl::StatusOr<std::vector<Event>> ListEventsAfter(Id unit_id, int64_t after_seq,
                                                     int limit) const;
  // The highest event sequence number committed so far: where a watch "from now" starts.
  absl::StatusOr<int64_t> LastEventSeq() const;
  // One evidence file, content included, of one of task_id's progress reports: NOT_FOUND for an
  // evidence id that is not the task's (ledger_queries.cc). Callers check the task's reach first.
  absl::StatusOr<Evidence> GetEvidence(Id task_id, Id evidence_id) const;
  // Tasks overdue as of `as_of` ("YYYY-MM-DD"; empty: today), grouped by owner unit.
  absl::StatusOr<OverdueList> OverdueReport(Id unit_id, const std::string& as_of) const;

  // True when the task is overdue now.
  bool IsOverdueNow(const Task& task) const;

 private:
  // AssignTask, telling the extension request it filed (TaskAssignment::extension_reason), if
  // any, through `filed` (may be null).
  absl::StatusOr<Task> AssignOne(WriteTxn& tx, const Actor& actor, const TaskAssignment& in,
                                 absl::optional<ExtensionRequest>* filed) const;
  // AssignTask's change itself, once the task and owner were found in reach and the task does
  // not already have what `in` asks for (with `deadline` in place of in.deadline).
  absl::StatusOr<Task> Reassign(WriteTxn& tx, const Actor& actor, const TaskAssignment& in,
                                const absl::optional<absl::CivilDay>& deadline,
                                const OrgUnit& owner) const;
  // Loads a task for a change: NOT_FOUND, then ABORTED on a stale expected version.
  absl::StatusOr<Task> LoadForChange(WriteTxn& tx, Id id, int64_t expected_version) const;
  // Moves `task` to `to`, bumps its version, stores it, appends a transition event with `note`
  // and reconciles its flags.
  absl::Status Transition(WriteTxn& tx, const Actor& actor, Task& task, TaskStatus to,
                          const std::string& note, absl::Time now) const;
  absl::Status AppendTaskEvent(WriteTxn& tx, const Actor& actor, const Task& task, EventKind kind,
                               const std::string& detail, absl::Time now,
                               absl::optional<TaskStatus> from = absl::nullopt,
                               absl::optional<TaskStatus> to = absl::nullopt,
                               Event* appended = nullptr) const;
  // The path prefix of a unit's subtree; "" for id 0. NOT_FOUND for an unknown unit.
  absl::StatusOr<std::string> SubtreePath(ReadTxn& tx, Id unit_id) const;

  // Constant after construction.
  Store* const store_;
  const Clock* const clock_;
  const LedgerSettings settings_;
  std::function<void()> change_listener_;
};

// The detail of a status change's event: "整改中 → 待验收", then "：" and the note when there is
// one (the submission's summary, the acceptance note, the reason of a return ...).
std::string TransitionDetail(TaskStatus from, TaskStatus to, const std::string& note);

// Page size to use for a request's page_size: the default when 0, INVALID_ARGUMENT when negative,
// capped at the maximum.
absl::StatusOr<int> EffectivePageSize(int requested, int default_size);

}  // namespace rectify

#endif  // RECTIFY_SERVICES_DOMAIN_LEDGER_H_
