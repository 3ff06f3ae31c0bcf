// Importing a review report and turning its draft tasks into real ones: the arguments and results
// of Ledger::ImportReview (ledger_import.cc), Ledger::AssignTask and Ledger::AssignTasks
// (ledger_assign.cc).
//
// The workflow: the committee imports the report; the ledger gets the review, its root causes,
// its problems and one draft task (草稿) per problem. A draft is an OPEN task with draft = true,
// no owner person (unless a default was given), no deadline and no cadence, owned by the review's
// unit; except that a document giving each problem its 责任单位, 责任人 and 完成时限 (an audit
// report's labelled lines, a table) fills them in (see ImportProblem), so that the exported
// drafts spreadsheet comes back pre-filled. A draft without a deadline cannot fall due; one with
// the document's deadline is watched like any task. A draft takes no progress until it is
// assigned. AssignTask gives it an owner unit, a person, a leader and a deadline (or a long-term
// cadence); from then on it is an ordinary task. AssignTasks does that for many rows of a
// spreadsheet at once, all or nothing.
//
// Thread safety: plain values.
#ifndef RECTIFY_SERVICES_DOMAIN_DRAFTS_H_
#define RECTIFY_SERVICES_DOMAIN_DRAFTS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "services/model/model.h"

namespace rectify {

// Most rows one AssignTasks call takes (RESOURCE_EXHAUSTED beyond): a review yields at most 500
// problems, so a whole review's drafts always fit.
inline constexpr int kMaxAssignmentRows = 1000;

// A root cause to import. `line` is where it stands in the document, for error messages.
struct ImportCause {
  std::string text;
  int line = 0;
};

// A problem to import and the measure text its draft task gets.
struct ImportProblem {
  std::string area;
  std::string text;
  // The linked measure's text; empty when the document links none, and the draft then takes the
  // problem's own text as its measure for the committee to rewrite.
  std::string measure;
  int line = 0;
  // From documents that give them per problem (labelled records, tables): the 责任单位 as
  // written, the 责任人, and the 完成时限 as "YYYY-MM-DD" (empty when none or not a day). A unit
  // name that names exactly one unit of the review unit's subtree becomes the draft's owner
  // unit; the deadline, when not past, the draft's deadline; the person its owner person.
  std::string owner_unit_name = {};
  std::string owner_person = {};
  std::string deadline = {};
};

// Everything Ledger::ImportReview stores, already read out of the document.
struct ReviewImport {
  std::string title;
  int kind = 0;                 // a ReviewKind number
  std::string held_on;          // "YYYY-MM-DD"; empty: today in the organisation's zone
  Id unit_id = 0;               // the unit that held the review; it owns the drafts
  std::string source_document;  // file name, up to 200 characters
  std::string source_sha256;    // of the document's bytes, 64 lowercase hex digits
  std::vector<ImportCause> causes;
  std::vector<ImportProblem> problems;
  // Given to every draft when not empty (a branch often has one person for all its measures).
  std::string default_owner_person;
  std::string default_leader;
};

// What ImportReview created, in document order; tasks[i] is the draft of problems[i].
struct ImportedReview {
  Review review;
  std::vector<RootCause> causes;
  std::vector<Problem> problems;
  std::vector<Task> tasks;
};

// What WithdrawImport did: the review after it, and the drafts it cancelled.
struct WithdrawnImport {
  Review review;
  std::vector<Id> cancelled_task_ids;
};

// The owner and deadline for one task, as CreateTask takes them.
struct TaskAssignment {
  Id id = 0;
  int64_t expected_version = 0;  // 0 skips the version check
  Id owner_unit_id = 0;
  std::string owner_person;
  std::string leader;
  std::string deadline;  // "YYYY-MM-DD", or empty with cadence_days > 0
  int cadence_days = 0;
  // The measure (整改措施) as the spreadsheet gives it; empty: unchanged. A draft takes it (the
  // committee rewrites imported measures in the sheet); an assigned task refuses a different
  // one (FAILED_PRECONDITION), so that an edit in the sheet is never silently dropped.
  std::string measure = {};
  // 延期理由. When not empty, a deadline other than the one an assigned (non-draft) task has is
  // not set but asked for: an extension request (RequestExtension's rules) filed in the same
  // transaction, to be decided under separation of duties; the other fields are assigned as
  // usual, and a task IN_PROGRESS may be named when only its deadline changes.
  std::string extension_reason = {};
};

// One row of a bulk assignment. `line` is the row's line in the caller's file (CSV), so that
// every error can name it; 0 means "the row's 1-based position".
struct AssignmentRow {
  int line = 0;
  TaskAssignment assignment;
};

// What AssignTasks did: every row's task after the call, in row order, how many rows changed
// their task (a row asking for what its task already has changes nothing), and the extension
// requests the rows filed.
struct AssignmentOutcome {
  std::vector<Task> tasks;
  int changed = 0;
  std::vector<ExtensionRequest> extensions;  // filed by rows with an extension_reason, in order
};

// FAILED_PRECONDITION when `task` is a draft: it needs an owner and a deadline (AssignTask)
// before anyone can start it or report progress on it.
absl::Status RequireAssigned(const Task& task);

}  // namespace rectify

#endif  // RECTIFY_SERVICES_DOMAIN_DRAFTS_H_
