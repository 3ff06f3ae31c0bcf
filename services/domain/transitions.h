// The task state machine (整改状态流转), as DESIGN.md lays it out:
//
//   OPEN --start / first progress--> IN_PROGRESS --submit--> SUBMITTED --accept--> CLOSED
//   SUBMITTED --return--> IN_PROGRESS;  IN_PROGRESS|SUBMITTED --mark ongoing--> ONGOING
//   ONGOING --submit--> SUBMITTED;  CLOSED --reopen--> IN_PROGRESS
//   any but CLOSED/CANCELLED --cancel--> CANCELLED
//
// Progress is taken in OPEN, IN_PROGRESS and ONGOING; extensions are asked for on tasks with a
// deadline in OPEN or IN_PROGRESS. Everything else is FAILED_PRECONDITION naming the state and the
// action, in words a branch secretary understands.
#ifndef RECTIFY_SERVICES_DOMAIN_TRANSITIONS_H_
#define RECTIFY_SERVICES_DOMAIN_TRANSITIONS_H_

#include "absl/status/statusor.h"
#include "services/domain/model.h"

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

// The status a task in `from` moves to under `action`, or FAILED_PRECONDITION. For actions that
// do not change the status (progress on IN_PROGRESS/ONGOING, extension requests) it returns
// `from`; progress on OPEN returns IN_PROGRESS.
absl::StatusOr<TaskStatus> NextStatus(TaskStatus from, TaskAction action);

}  // namespace rectify

#endif  // RECTIFY_SERVICES_DOMAIN_TRANSITIONS_H_
