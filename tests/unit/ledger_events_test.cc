// Urging a task (催办/督办), reading the event log for watchers, and the escalation event naming
// the parent unit that level 2 brings in.
#include <string>

#include "services/domain/event_feed.h"
#include "services/scheduler/scheduler.h"
#include "tests/support/ledger_fixture.h"

namespace rectify {
namespace {

using testing_support::LedgerTest;

class LedgerEventsTest : public LedgerTest {
 protected:
  void SetUp() override {
    LedgerTest::SetUp();
    SeedLedger();
  }

  absl::StatusOr<Event> Urge(Id id, const std::string& note) {
    return Do<Event>(
        [&](WriteTxn& tx) { return ledger_->UrgeTask(tx, Actor{"纪委办"}, id, note); });
  }
};

TEST_F(LedgerEventsTest, UrgeAppendsAnEventForTheOwnerAndLeavesTheTaskAlone) {
  ASSERT_OK_AND_ASSIGN(Task task, CreateTask("2021-12-31"));
  ASSERT_OK_AND_ASSIGN(Event event, Urge(task.id, "请于本周五前报送整改进展"));
  EXPECT_GT(event.seq, 0);
  EXPECT_EQ(event.kind, EventKind::kUrged);
  EXPECT_EQ(event.actor, "纪委办");
  EXPECT_EQ(event.detail, "请于本周五前报送整改进展");
  EXPECT_EQ(event.unit_id, branch_a_.id);
  ASSERT_OK_AND_ASSIGN(Task after, ledger_->GetTask(task.id));
  EXPECT_EQ(after.version, task.version);  // the owner's expected_version stays valid
  // The owner's watchers see it; a sibling's do not.
  ASSERT_OK_AND_ASSIGN(std::vector<Event> mine,
                       ledger_->ListEventsAfter(branch_a_.id, event.seq - 1, 0));
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].kind, EventKind::kUrged);
  ASSERT_OK_AND_ASSIGN(std::vector<Event> theirs,
                       ledger_->ListEventsAfter(branch_b_.id, event.seq - 1, 0));
  EXPECT_TRUE(theirs.empty());
}

TEST_F(LedgerEventsTest, ClosedOrCancelledTaskCannotBeUrged) {
  ASSERT_OK_AND_ASSIGN(Task task, CreateTask("2021-12-31"));
  ASSERT_OK(Do<Task>([&](WriteTxn& tx) {
              return ledger_->CancelTask(tx, actor_, task.id, 0, "合并到其他措施");
            }).status());
  const int64_t before = EventCount();
  absl::StatusOr<Event> refused = Urge(task.id, "请尽快整改");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("已撤销"), absl::string_view::npos);
  EXPECT_EQ(EventCount(), before);
}

TEST_F(LedgerEventsTest, UrgeNeedsANoteOfAtMostAThousandCharacters) {
  ASSERT_OK_AND_ASSIGN(Task task, CreateTask("2021-12-31"));
  const int64_t before = EventCount();
  EXPECT_EQ(Urge(task.id, "").status().code(), absl::StatusCode::kInvalidArgument);
  std::string long_note;
  for (int i = 0; i < 1001; ++i) long_note += "催";
  absl::Status too_long = Urge(task.id, long_note).status();
  EXPECT_EQ(too_long.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(too_long.message().find("note"), absl::string_view::npos);
  EXPECT_EQ(Urge(task.id, long_note.substr(0, 3000)).status().code(), absl::StatusCode::kOk);
  EXPECT_EQ(Urge(4242, "请尽快整改").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(EventCount(), before + 1);
}

TEST_F(LedgerEventsTest, EventsAfterASeqComeInOrderAndPageWithoutGaps) {
  ASSERT_OK(CreateTask("2021-12-31").status());
  ASSERT_OK(CreateTask("2021-12-31", branch_b_.id).status());
  ASSERT_OK_AND_ASSIGN(std::vector<Event> all, ledger_->ListEventsAfter(0, 0, 1000));
  ASSERT_GE(all.size(), 5u);
  std::vector<int64_t> paged;
  int64_t after = 0;
  while (true) {
    ASSERT_OK_AND_ASSIGN(std::vector<Event> page, ledger_->ListEventsAfter(0, after, 2));
    if (page.empty()) break;
    for (const Event& e : page) paged.push_back(e.seq);
    after = page.back().seq;
  }
  std::vector<int64_t> expected;
  for (const Event& e : all) expected.push_back(e.seq);
  EXPECT_EQ(paged, expected);
  EXPECT_EQ(ledger_->ListEventsAfter(0, -1, 10).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ledger_->ListEventsAfter(999, 0, 10).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(LedgerEventsTest, LevelTwoEscalationNamesTheParentUnitBroughtIn) {
  ASSERT_OK_AND_ASSIGN(Task task, CreateTask("2021-12-10"));
  // Overdue from 12-11 00:00; the 7-day grace period ends 12-18 00:00.
  clock_->Set(Local(2021, 12, 18, 0, 0));
  Scheduler scheduler(store_.get(), clock_.get(), settings_);
  ASSERT_OK(scheduler.RunPass().status());
  ASSERT_OK_AND_ASSIGN(TaskHistory history, ledger_->GetTaskHistory(task.id));
  std::string escalated;
  for (const Event& e : history.events) {
    if (e.kind == EventKind::kFlagRaised && e.detail.rfind("逾期督办", 0) == 0)
      escalated = e.detail;
  }
  EXPECT_NE(escalated.find("上级单位“机关党委”"), std::string::npos) << escalated;
  EXPECT_NE(escalated.find(absl::StrCat("编号 ", committee_.id)), std::string::npos) << escalated;
}

TEST_F(LedgerEventsTest, SchedulerPassThatRaisesFlagsWakesWatchers) {
  ASSERT_OK(CreateTask("2021-12-10").status());
  EventFeed feed;
  Scheduler::Options options;
  options.on_events = [&feed] { feed.Notify(); };
  Scheduler scheduler(store_.get(), clock_.get(), settings_, options);
  const uint64_t before = feed.generation();
  ASSERT_OK(scheduler.RunPass().status());  // nothing due yet: no events, no wake-up
  EXPECT_EQ(feed.generation(), before);
  clock_->Set(Local(2021, 12, 11, 0, 0));
  ASSERT_OK(scheduler.RunPass().status());  // overdue: flags raised
  EXPECT_GT(feed.generation(), before);
}

TEST(EventFeedTest, WaitReturnsAtOnceWhenTheGenerationMovedAndTimesOutOtherwise) {
  EventFeed feed;
  const uint64_t seen = feed.generation();
  feed.Notify();
  EXPECT_EQ(feed.WaitForChange(seen, absl::Seconds(30)), seen + 1);  // no wait: it moved
  const absl::Time start = absl::Now();
  EXPECT_EQ(feed.WaitForChange(seen + 1, absl::Milliseconds(50)), seen + 1);
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(45));
}

}  // namespace
}  // namespace rectify
