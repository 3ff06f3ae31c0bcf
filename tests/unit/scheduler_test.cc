// The scheduler with an injected clock: deadlines crossing, restarts, a server that was down
// across a deadline, several flags at once, clock jumps, and extensions. Flags are raised exactly
// once per (task, deadline version, kind).
#include "services/scheduler/scheduler.h"

#include <thread>

#include "services/domain/flag_rules.h"
#include "tests/support/ledger_fixture.h"

namespace rectify {
namespace {

using testing_support::LedgerTest;

class SchedulerTest : public LedgerTest {
 protected:
  void SetUp() override {
    LedgerTest::SetUp();
    SeedLedger();
  }

  SchedulerPass Pass() {
    Scheduler scheduler(store_.get(), clock_.get(), settings_);
    absl::StatusOr<SchedulerPass> pass = scheduler.RunPass();
    EXPECT_TRUE(pass.ok()) << pass.status();
    return pass.ok() ? *pass : SchedulerPass{};
  }

  std::vector<Flag> Flags(Id task_id) {
    std::vector<Flag> flags;
    EXPECT_TRUE(store_
                    ->Read([&](ReadTxn& tx) -> absl::Status {
                      auto f = tx.ListFlags(task_id);
                      if (!f.ok()) return f.status();
                      flags = *f;
                      return absl::OkStatus();
                    })
                    .ok());
    return flags;
  }

  int CountEvents(Id task_id, EventKind kind) {
    auto history = ledger_->GetTaskHistory(task_id);
    EXPECT_TRUE(history.ok());
    int n = 0;
    for (const Event& e : history->events) n += e.kind == kind;
    return n;
  }
};

TEST_F(SchedulerTest, DeadlineCrossingRaisesTheOverdueFlagOnce) {
  ASSERT_OK_AND_ASSIGN(Task task, CreateTask("2021-12-31"));
  clock_->Set(Local(2021, 12, 31, 23, 59));
  Pass();
  ASSERT_OK_AND_ASSIGN(Task before, ledger_->GetTask(task.id));
  EXPECT_NE(before.light, WarningLight::kRed);

  clock_->Set(Local(2022, 1, 1, 0, 0));
  SchedulerPass first = Pass();
  EXPECT_EQ(first.tasks_checked, 1);
  ASSERT_OK_AND_ASSIGN(Task after, ledger_->GetTask(task.id));
  EXPECT_EQ(after.light, WarningLight::kRed);
  EXPECT_EQ(after.escalation_level, 1);

  SchedulerPass second = Pass();
  EXPECT_EQ(second.tasks_checked, 0) << "nothing is due until the grace period ends";
  EXPECT_EQ(second.flags_raised, 0);
  int overdue_flags = 0;
  for (const Flag& f : Flags(task.id)) overdue_flags += f.kind == FlagKind::kOverdue;
  EXPECT_EQ(overdue_flags, 1);
}

// Every commit wakes the scheduler; a wake with nothing due must not take a write transaction
// (it would queue with the real writes in the group commit).
TEST_F(SchedulerTest, PassWithNothingDueTakesNoWriteTransaction) {
  ASSERT_OK_AND_ASSIGN(Task task, CreateTask("2021-12-31"));
  Pass();  // brings the new task's next check up to date
  const CommitCounts before = commit_counts();
  SchedulerPass idle = Pass();
  EXPECT_EQ(idle.tasks_checked, 0);
  EXPECT_EQ(commit_counts().commits, before.commits);
  EXPECT_EQ(commit_counts().writes, before.writes);

  // And a pass with something due still writes.
  clock_->Set(Local(2022, 1, 1, 0, 0));
  SchedulerPass due = Pass();
  EXPECT_EQ(due.tasks_checked, 1);
  EXPECT_GT(commit_counts().commits, before.commits);
  ASSERT_OK_AND_ASSIGN(Task after, ledger_->GetTask(task.id));
  EXPECT_EQ(after.light, WarningLight::kRed);
}

TEST_F(SchedulerTest, DeadlinesThatPassedWhileTheServerWasDownAreFlaggedAtStartOnce) {
  ASSERT_OK_AND_ASSIGN(Task task, CreateTask("2021-12-10"));
  Pass();
  // Down from 12-05 to 12-20: reopen the database as a restarted server would.
  clock_->Set(Local(2021, 12, 20, 8));
  Reopen();
  Scheduler scheduler(store_.get(), clock_.get(), settings_);
  scheduler.Start();
  for (int i = 0; i < 200 && scheduler.totals().flags_raised == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  scheduler.Stop();
  ASSERT_OK_AND_ASSIGN(Task after, ledger_->GetTask(task.id));
  EXPECT_EQ(after.light, WarningLight::kRed);
  EXPECT_EQ(after.escalation_level, 2) << "ten days overdue is past the 7-day grace period";
  // A second restart at the same instant raises nothing more.
  Reopen();
  EXPECT_EQ(Pass().flags_raised, 0);
  EXPECT_EQ(CountEvents(task.id, EventKind::kFlagRaised), 2);  // overdue + escalated
}

TEST_F(SchedulerTest, SeveralTasksDueAtTheSameInstantAreAllFlaggedInOnePass) {
  std::vector<Id> ids;
  for (int i = 0; i < 7; ++i) {
    ASSERT_OK_AND_ASSIGN(Task t, CreateTask("2021-12-31"));
    ids.push_back(t.id);
  }
  clock_->Set(Local(2022, 1, 1));
  SchedulerPass pass = Pass();
  EXPECT_EQ(pass.tasks_checked, 7);
  for (Id id : ids) {
    ASSERT_OK_AND_ASSIGN(Task t, ledger_->GetTask(id));
    EXPECT_EQ(t.light, WarningLight::kRed);
  }
}

TEST_F(SchedulerTest, ClockJumpingForwardRaisesEveryDueFlagOnceAndBackwardRaisesNothingTwice) {
  ASSERT_OK_AND_ASSIGN(Task task, CreateTask("2021-12-31"));
  clock_->Set(Local(2022, 2, 1));  // a month past the deadline in one jump
  Pass();
  ASSERT_OK_AND_ASSIGN(Task late, ledger_->GetTask(task.id));
  EXPECT_EQ(late.escalation_level, 2);
  const int raised = CountEvents(task.id, EventKind::kFlagRaised);

  clock_->Set(Local(2021, 12, 5));  // the clock is corrected backwards
  ASSERT_TRUE(Do<Task>([&](WriteTxn& tx) -> absl::StatusOr<Task> {
                auto t = tx.GetTask(task.id);
                if (!t.ok()) return t.status();
                auto r = ReconcileTask(tx, *t, clock_->Now(), settings_);
                if (!r.ok()) return r.status();
                return *t;
              }).ok());
  ASSERT_OK_AND_ASSIGN(Task corrected, ledger_->GetTask(task.id));
  EXPECT_NE(corrected.light, WarningLight::kRed);

  clock_->Set(Local(2022, 2, 1));
  Pass();
  EXPECT_EQ(CountEvents(task.id, EventKind::kFlagRaised), raised)
      << "a flag is raised once per (task, deadline version, kind)";
}

TEST_F(SchedulerTest, ApprovedExtensionClearsTheFlagAndANewDeadlineVersionCanBeFlaggedAgain) {
  ASSERT_OK_AND_ASSIGN(Task task, CreateTask("2021-12-31"));
  clock_->Set(Local(2022, 1, 2));
  Pass();
  ASSERT_OK_AND_ASSIGN(ExtensionRequest x, Do<ExtensionRequest>([&](WriteTxn& tx) {
                         return ledger_->RequestExtension(tx, actor_, task.id, 0, "2022-01-10",
                                                          "等待设备");
                       }));
  ASSERT_TRUE(Do<ExtensionRequest>([&](WriteTxn& tx) {
                return ledger_->DecideExtension(tx, actor_, x.id, true, "");
              }).ok());
  ASSERT_OK_AND_ASSIGN(Task extended, ledger_->GetTask(task.id));
  EXPECT_NE(extended.light, WarningLight::kRed);
  EXPECT_EQ(CountEvents(task.id, EventKind::kFlagCleared), 1);

  clock_->Set(Local(2022, 1, 11));
  Pass();
  ASSERT_OK_AND_ASSIGN(Task late_again, ledger_->GetTask(task.id));
  EXPECT_EQ(late_again.light, WarningLight::kRed);
  int v2_overdue = 0;
  for (const Flag& f : Flags(task.id)) {
    v2_overdue += f.kind == FlagKind::kOverdue && f.deadline_version == 2;
  }
  EXPECT_EQ(v2_overdue, 1);
}

TEST_F(SchedulerTest, SubmittingALateTaskClearsItsFlagsAtOnce) {
  ASSERT_OK_AND_ASSIGN(Task task, CreateTask("2021-12-31"));
  ASSERT_TRUE(
      Do<Task>([&](WriteTxn& tx) { return ledger_->StartTask(tx, actor_, task.id, 0); }).ok());
  clock_->Set(Local(2022, 1, 5));
  Pass();
  ASSERT_OK_AND_ASSIGN(Task submitted, Do<Task>([&](WriteTxn& tx) {
                         return ledger_->SubmitTask(tx, actor_, task.id, 0, "已完成");
                       }));
  EXPECT_EQ(submitted.light, WarningLight::kGreen);
  EXPECT_EQ(submitted.escalation_level, 0);
  for (const Flag& f : Flags(task.id)) EXPECT_TRUE(f.cleared_time.has_value());
}

TEST_F(SchedulerTest, NextWakeUpIsTheEarliestEdgeOfAnyTask) {
  ASSERT_OK_AND_ASSIGN(Task task, CreateTask("2021-12-31"));
  using Reported = std::pair<Task, ProgressReport>;
  ASSERT_TRUE(Do<Reported>([&](WriteTxn& tx) {
                return ledger_->ReportProgress(tx, actor_, task.id, 0, "进展", 90, {});
              }).ok());
  absl::optional<absl::Time> next;
  ASSERT_OK(store_->Read([&](ReadTxn& tx) -> absl::Status {
    auto n = tx.NextCheckTime();
    if (!n.ok()) return n.status();
    next = *n;
    return absl::OkStatus();
  }));
  // 90% done: never behind schedule; the next edge is the warning window 3 days before.
  EXPECT_EQ(next, Local(2021, 12, 29));
}

}  // namespace
}  // namespace rectify
