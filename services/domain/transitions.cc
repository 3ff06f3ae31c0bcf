#include "services/domain/transitions.h"

#include "absl/strings/str_cat.h"
#include "services/common/labels.h"

namespace rectify {

const char* TaskActionLabel(TaskAction action, bool english) {
  switch (action) {
    case TaskAction::kStart:
      return english ? "start" : "开始整改";
    case TaskAction::kReportProgress:
      return english ? "report progress" : "报告进展";
    case TaskAction::kSubmit:
      return english ? "submit for verification" : "申请销号";
    case TaskAction::kAccept:
      return english ? "accept (close out)" : "验收销号";
    case TaskAction::kReturn:
      return english ? "return" : "退回";
    case TaskAction::kMarkOngoing:
      return english ? "mark long-term" : "转为长期坚持";
    case TaskAction::kReopen:
      return english ? "reopen" : "重新打开";
    case TaskAction::kCancel:
      return english ? "cancel" : "撤销";
    case TaskAction::kRequestExtension:
      return english ? "request an extension" : "申请延期";
  }
  return "?";
}

absl::StatusOr<TaskStatus> NextStatus(TaskStatus from, TaskAction action) {
  using S = TaskStatus;
  absl::optional<S> to;
  switch (action) {
    case TaskAction::kStart:
      if (from == S::kOpen) to = S::kInProgress;
      break;
    case TaskAction::kReportProgress:
      if (from == S::kOpen) to = S::kInProgress;
      if (from == S::kInProgress || from == S::kOngoing) to = from;
      break;
    case TaskAction::kSubmit:
      if (from == S::kInProgress || from == S::kOngoing) to = S::kSubmitted;
      break;
    case TaskAction::kAccept:
      if (from == S::kSubmitted) to = S::kClosed;
      break;
    case TaskAction::kReturn:
      if (from == S::kSubmitted) to = S::kInProgress;
      break;
    case TaskAction::kMarkOngoing:
      if (from == S::kInProgress || from == S::kSubmitted) to = S::kOngoing;
      break;
    case TaskAction::kReopen:
      if (from == S::kClosed) to = S::kInProgress;
      break;
    case TaskAction::kCancel:
      if (from != S::kClosed && from != S::kCancelled) to = S::kCancelled;
      break;
    case TaskAction::kRequestExtension:
      if (from == S::kOpen || from == S::kInProgress) to = from;
      break;
  }
  if (to.has_value()) return *to;
  const int f = static_cast<int>(from);
  return absl::FailedPreconditionError(
      absl::StrCat("任务当前状态为“", TaskStatusLabel(f), "”，不能", TaskActionLabel(action),
                   " / a task in state ", TaskStatusName(f), " cannot ",
                   TaskActionLabel(action, /*english=*/true)));
}

}  // namespace rectify
