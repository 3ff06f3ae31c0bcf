// The task state machine (整改状态流转), declared once as data: one TransitionRule per action
// holds the states it leaves, the state it reaches from each, who may take it, the text it needs
// and what else it changes, so that a rule and its effect sit together. In short:
//
//   OPEN --start / first progress--> IN_PROGRESS --submit--> SUBMITTED --accept--> CLOSED
//   SUBMITTED --return--> IN_PROGRESS;  IN_PROGRESS|SUBMITTED --mark ongoing--> ONGOING
//   ONGOING --submit--> SUBMITTED;  CLOSED --reopen--> IN_PROGRESS
//   any but CLOSED/CANCELLED --cancel--> CANCELLED
//
// Progress is taken in OPEN, IN_PROGRESS and ONGOING; extensions are asked for on tasks with a
// deadline in OPEN or IN_PROGRESS. Everything else is FAILED_PRECONDITION naming the state and the
// action, in words a branch secretary understands.
//
// Thread safety: constant data and pure functions.
#ifndef RECTIFY_SERVICES_DOMAIN_TRANSITIONS_H_
#define RECTIFY_SERVICES_DOMAIN_TRANSITIONS_H_

#include <cstddef>
#include <vector>

#include "absl/status/statusor.h"
#include "services/model/model.h"

namespace rectify {

enum class TaskAction {
  kStart,
  kReportProgress,
  kSubmit,
  kAccept,
  kReturn,
  kMarkOngoing,
  kReopen,
  kCancel,
  kRequestExtension,
};
inline constexpr TaskAction kAllTaskActions[] = {
    TaskAction::kStart,  TaskAction::kReportProgress, TaskAction::kSubmit,
    TaskAction::kAccept, TaskAction::kReturn,         TaskAction::kMarkOngoing,
    TaskAction::kReopen, TaskAction::kCancel,         TaskAction::kRequestExtension,
};

// "开始整改" / "start" ...
const char* TaskActionLabel(TaskAction action, bool english = false);

// Who may take an action on a task, beyond the role the permission table gives a method
// (services/auth/permissions.h). Anything outside the caller's subtree reads as missing.
enum class TaskActor {
  // The owner unit: a branch on its own unit's tasks, a committee on any task in its subtree.
  kOwner,
  // A committee whose subtree holds the task.
  kCommittee,
  // Separation of duties (职责分离): a committee of a unit strictly above the owner unit; for the
  // root unit's own tasks, the root's supervisor, and never the one who submitted.
  kDecider,
};

// What an action changes besides the status, version and note.
enum class TaskEffect {
  kNone,
  // Closing out: close time and day set, progress 100%.
  kClose,
  // Long-term (长期坚持): the cadence, its first checkpoint, a new deadline version.
  kLongTerm,
  // Reopening: the close time and day cleared.
  kReopen,
  // Progress and extension requests: their own methods write the report or the request.
  kOwnMethod,
};

struct TaskEdge {
  TaskStatus from;
  TaskStatus to;
};

struct TransitionRule {
  TaskAction action;
  std::vector<TaskEdge> edges;  // the states it leaves and where each goes
  TaskActor who;
  // The request field carrying the text recorded with the change ("summary", "reason", "note");
  // nullptr when there is none. Required when note_required, at most max_note bytes.
  const char* note_field;
  bool note_required;
  size_t max_note;
  // Only on a task with an owner and a deadline or cadence (not a draft).
  bool needs_assignment;
  // A pending extension request is withdrawn with this reason; nullptr: left alone.
  const char* withdraws_extension;
  TaskEffect effect;
};

// Every rule, one per action, in kAllTaskActions order.
const std::vector<TransitionRule>& TransitionRules();
const TransitionRule& RuleFor(TaskAction action);

// The status a task in `from` moves to under `action`, or FAILED_PRECONDITION. For actions that
// do not change the status (progress on IN_PROGRESS/ONGOING, extension requests) it returns
// `from`; progress on OPEN returns IN_PROGRESS.
absl::StatusOr<TaskStatus> NextStatus(TaskStatus from, TaskAction action);

}  // namespace rectify

#endif  // RECTIFY_SERVICES_DOMAIN_TRANSITIONS_H_
