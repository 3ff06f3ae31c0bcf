#include "services/domain/transitions.h"

#include "absl/strings/str_cat.h"
#include "services/common/labels.h"
#include "services/domain/limits.h"

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

const std::vector<TransitionRule>& TransitionRules() {
  using S = TaskStatus;
  using A = TaskAction;
  using W = TaskActor;
  using E = TaskEffect;
  // clang-format off
  // action, {from -> to ...}, who, text field, text required, text limit, needs an owner and a
  // deadline, withdraws a pending extension with, effect
  static const auto* const rules = new std::vector<TransitionRule>{
      {A::kStart,            {{S::kOpen, S::kInProgress}},
       W::kOwner,     nullptr,   false, 0,                 true,  nullptr,                              E::kNone},
      {A::kReportProgress,   {{S::kOpen, S::kInProgress}, {S::kInProgress, S::kInProgress},
                              {S::kOngoing, S::kOngoing}},
       W::kOwner,     "text",    true,  limits::kLongText, true,  nullptr,                              E::kOwnMethod},
      {A::kSubmit,           {{S::kInProgress, S::kSubmitted}, {S::kOngoing, S::kSubmitted}},
       W::kOwner,     "summary", true,  limits::kLongText, false, "任务已申请销号，延期申请自动撤回",   E::kNone},
      {A::kAccept,           {{S::kSubmitted, S::kClosed}},
       W::kDecider,   "note",    false, limits::kReason,   false, "任务已销号，延期申请自动撤回",       E::kClose},
      {A::kReturn,           {{S::kSubmitted, S::kInProgress}},
       W::kCommittee, "reason",  true,  limits::kReason,   false, nullptr,                              E::kNone},
      {A::kMarkOngoing,      {{S::kInProgress, S::kOngoing}, {S::kSubmitted, S::kOngoing}},
       W::kCommittee, "note",    false, limits::kReason,   false, "任务转为长期坚持，延期申请自动撤回", E::kLongTerm},
      {A::kReopen,           {{S::kClosed, S::kInProgress}},
       W::kCommittee, "reason",  true,  limits::kReason,   false, nullptr,                              E::kReopen},
      {A::kCancel,           {{S::kOpen, S::kCancelled}, {S::kInProgress, S::kCancelled},
                              {S::kSubmitted, S::kCancelled}, {S::kOngoing, S::kCancelled}},
       W::kCommittee, "reason",  true,  limits::kReason,   false, "任务已撤销，延期申请自动撤回",       E::kNone},
      {A::kRequestExtension, {{S::kOpen, S::kOpen}, {S::kInProgress, S::kInProgress}},
       W::kOwner,     "reason",  true,  limits::kReason,   false, nullptr,                              E::kOwnMethod},
  };
  // clang-format on
  return *rules;
}

const TransitionRule& RuleFor(TaskAction action) {
  for (const TransitionRule& rule : TransitionRules()) {
    if (rule.action == action) return rule;
  }
  // Every action has a rule (transitions_test checks it); unreachable.
  return TransitionRules().front();
}

absl::StatusOr<TaskStatus> NextStatus(TaskStatus from, TaskAction action) {
  for (const TaskEdge& edge : RuleFor(action).edges) {
    if (edge.from == from) return edge.to;
  }
  const int f = static_cast<int>(from);
  return absl::FailedPreconditionError(
      absl::StrCat("任务当前状态为“", TaskStatusLabel(f), "”，不能", TaskActionLabel(action),
                   " / a task in state ", TaskStatusName(f), " cannot ",
                   TaskActionLabel(action, /*english=*/true)));
}

}  // namespace rectify
