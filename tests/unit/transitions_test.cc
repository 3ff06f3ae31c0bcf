// The state machine of docs/design.md, checked cell by cell: every (state, action) pair is either
// the listed transition or FAILED_PRECONDITION naming the state and the action.
#include "services/domain/transitions.h"

#include <map>
#include <set>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "services/auth/permissions.h"

namespace rectify {
namespace {

using S = TaskStatus;
using A = TaskAction;

// The whole allowed table; anything absent must be refused.
const std::map<std::pair<S, A>, S>& Allowed() {
  static const auto* table = new std::map<std::pair<S, A>, S>{
      {{S::kOpen, A::kStart}, S::kInProgress},
      {{S::kOpen, A::kReportProgress}, S::kInProgress},
      {{S::kInProgress, A::kReportProgress}, S::kInProgress},
      {{S::kOngoing, A::kReportProgress}, S::kOngoing},
      {{S::kInProgress, A::kSubmit}, S::kSubmitted},
      {{S::kOngoing, A::kSubmit}, S::kSubmitted},
      {{S::kSubmitted, A::kAccept}, S::kClosed},
      {{S::kSubmitted, A::kReturn}, S::kInProgress},
      {{S::kInProgress, A::kMarkOngoing}, S::kOngoing},
      {{S::kSubmitted, A::kMarkOngoing}, S::kOngoing},
      {{S::kClosed, A::kReopen}, S::kInProgress},
      {{S::kOpen, A::kCancel}, S::kCancelled},
      {{S::kInProgress, A::kCancel}, S::kCancelled},
      {{S::kSubmitted, A::kCancel}, S::kCancelled},
      {{S::kOngoing, A::kCancel}, S::kCancelled},
      {{S::kOpen, A::kRequestExtension}, S::kOpen},
      {{S::kInProgress, A::kRequestExtension}, S::kInProgress},
  };
  return *table;
}

TEST(TransitionsTest, EveryStateActionPairFollowsTheDesignTable) {
  int allowed = 0;
  int refused = 0;
  for (int s = 1; s <= kMaxTaskStatus; ++s) {
    const S from = static_cast<S>(s);
    for (A action : kAllTaskActions) {
      absl::StatusOr<S> next = NextStatus(from, action);
      auto it = Allowed().find({from, action});
      if (it != Allowed().end()) {
        ASSERT_TRUE(next.ok()) << s << " " << TaskActionLabel(action, true) << ": "
                               << next.status();
        EXPECT_EQ(*next, it->second) << s << " " << TaskActionLabel(action, true);
        ++allowed;
      } else {
        ASSERT_FALSE(next.ok()) << s << " " << TaskActionLabel(action, true);
        EXPECT_EQ(next.status().code(), absl::StatusCode::kFailedPrecondition);
        ++refused;
      }
    }
  }
  EXPECT_EQ(allowed, static_cast<int>(Allowed().size()));
  EXPECT_EQ(allowed + refused, kMaxTaskStatus * 9);
}

TEST(TransitionsTest, RefusalNamesTheStateAndTheActionInChineseAndEnglish) {
  absl::StatusOr<S> next = NextStatus(S::kSubmitted, A::kReportProgress);
  ASSERT_FALSE(next.ok());
  const std::string message(next.status().message());
  EXPECT_NE(message.find("待验收"), std::string::npos) << message;
  EXPECT_NE(message.find("报告进展"), std::string::npos) << message;
  EXPECT_NE(message.find("SUBMITTED"), std::string::npos) << message;
  EXPECT_NE(message.find("report progress"), std::string::npos) << message;
}

TEST(TransitionsTest, ClosedAndCancelledTasksCannotBeCancelled) {
  EXPECT_FALSE(NextStatus(S::kClosed, A::kCancel).ok());
  EXPECT_FALSE(NextStatus(S::kCancelled, A::kCancel).ok());
}

TEST(TransitionsTest, EveryActionHasExactlyOneRuleAndEachStateAtMostOneEdge) {
  std::set<A> seen;
  for (const TransitionRule& rule : TransitionRules()) {
    EXPECT_TRUE(seen.insert(rule.action).second) << TaskActionLabel(rule.action, true);
    EXPECT_EQ(RuleFor(rule.action).action, rule.action);
    std::set<S> from;
    for (const TaskEdge& edge : rule.edges) {
      EXPECT_TRUE(from.insert(edge.from).second)
          << TaskActionLabel(rule.action, true) << " leaves state " << static_cast<int>(edge.from)
          << " twice";
    }
    EXPECT_FALSE(rule.edges.empty()) << TaskActionLabel(rule.action, true);
  }
  EXPECT_EQ(seen.size(), sizeof(kAllTaskActions) / sizeof(kAllTaskActions[0]));
}

// The rule's `who` and the permission table agree: whoever the rule admits, the table lets call
// the RPC, and nobody else. Owner actions are open to branches; the others to committees only,
// a close-out also to the root's supervisor (the root's own tasks).
TEST(TransitionsTest, WhoMayTakeAnActionAgreesWithThePermissionTable) {
  const std::map<A, std::string> rpc = {
      {A::kStart, "StartTask"},
      {A::kReportProgress, "ReportProgress"},
      {A::kSubmit, "SubmitTask"},
      {A::kAccept, "AcceptTask"},
      {A::kReturn, "ReturnTask"},
      {A::kMarkOngoing, "MarkOngoing"},
      {A::kReopen, "ReopenTask"},
      {A::kCancel, "CancelTask"},
      {A::kRequestExtension, "RequestExtension"},
  };
  for (const TransitionRule& rule : TransitionRules()) {
    const std::string method = "/rectify.v1.LedgerService/" + rpc.at(rule.action);
    const auth::MethodRule* row = auth::FindMethodRule(method);
    ASSERT_NE(row, nullptr) << method;
    EXPECT_TRUE(row->committee) << method;
    EXPECT_FALSE(row->supervisor) << method;
    EXPECT_EQ(row->branch, rule.who == TaskActor::kOwner) << method;
    EXPECT_EQ(row->root_supervisor, rule.who == TaskActor::kDecider) << method;
    EXPECT_EQ(row->audit, auth::AuditTarget::kTask) << method;
  }
}

// What each rule changes besides the status, and the text it records.
TEST(TransitionsTest, RulesNameTheirTextAndTheirEffect) {
  EXPECT_EQ(RuleFor(A::kAccept).effect, TaskEffect::kClose);
  EXPECT_EQ(RuleFor(A::kMarkOngoing).effect, TaskEffect::kLongTerm);
  EXPECT_EQ(RuleFor(A::kReopen).effect, TaskEffect::kReopen);
  EXPECT_STREQ(RuleFor(A::kSubmit).note_field, "summary");
  EXPECT_TRUE(RuleFor(A::kReturn).note_required);
  EXPECT_FALSE(RuleFor(A::kAccept).note_required);
  EXPECT_EQ(RuleFor(A::kStart).note_field, nullptr);
  // Leaving the states an extension applies to withdraws a pending request; a return does not.
  for (A a : {A::kSubmit, A::kAccept, A::kMarkOngoing, A::kCancel}) {
    EXPECT_NE(RuleFor(a).withdraws_extension, nullptr) << TaskActionLabel(a, true);
  }
  EXPECT_EQ(RuleFor(A::kReturn).withdraws_extension, nullptr);
  EXPECT_TRUE(RuleFor(A::kStart).needs_assignment);
}

}  // namespace
}  // namespace rectify
