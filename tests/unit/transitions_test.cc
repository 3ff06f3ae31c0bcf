// The state machine of DESIGN.md, checked cell by cell: every (state, action) pair is either the
// listed transition or FAILED_PRECONDITION naming the state and the action.
#include "services/domain/transitions.h"

#include <map>
#include <utility>

#include "gtest/gtest.h"

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

}  // namespace
}  // namespace rectify
