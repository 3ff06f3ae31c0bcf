// Warning lights and escalation as pure rules of (task, instant, settings).
#include "services/domain/flag_rules.h"

#include <algorithm>

#include "gtest/gtest.h"
#include "services/common/civil.h"

namespace rectify {
namespace {

class FlagRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &tz_));
    settings_.time_zone = tz_;
    // Assigned 2021-12-01 00:00 local, due 2021-12-31: overdue from 2022-01-01 00:00 local.
    task_.status = TaskStatus::kInProgress;
    task_.create_time = At(2021, 12, 1);
    task_.deadline = absl::CivilDay(2021, 12, 31);
    task_.progress_percent = 100;  // never behind schedule unless a test says so
  }
  absl::Time At(int y, int m, int d, int h = 0, int min = 0) {
    return absl::FromCivil(absl::CivilMinute(y, m, d, h, min), tz_);
  }
  static bool Has(const TaskEvaluation& e, FlagKind k) {
    return std::find(e.flags.begin(), e.flags.end(), k) != e.flags.end();
  }

  absl::TimeZone tz_;
  LedgerSettings settings_;
  Task task_;
};

TEST_F(FlagRulesTest, TaskDueOnTheLastDayIsOverdueFromLocalMidnight) {
  EXPECT_FALSE(EvaluateTask(task_, At(2021, 12, 31, 23, 59), settings_).overdue);
  TaskEvaluation e = EvaluateTask(task_, At(2022, 1, 1), settings_);
  EXPECT_TRUE(e.overdue);
  EXPECT_EQ(e.light, WarningLight::kRed);
  EXPECT_EQ(e.escalation_level, 1);
  EXPECT_TRUE(Has(e, FlagKind::kOverdue));
}

TEST_F(FlagRulesTest, YellowWithinTheWarningWindowAndNextCheckIsTheDeadline) {
  TaskEvaluation before = EvaluateTask(task_, At(2021, 12, 28, 23), settings_);
  EXPECT_EQ(before.light, WarningLight::kGreen);
  EXPECT_EQ(before.next_check_time, At(2021, 12, 29));
  TaskEvaluation in_window = EvaluateTask(task_, At(2021, 12, 29), settings_);
  EXPECT_EQ(in_window.light, WarningLight::kYellow);
  EXPECT_TRUE(Has(in_window, FlagKind::kDueSoon));
  EXPECT_EQ(in_window.next_check_time, At(2022, 1, 1));
}

TEST_F(FlagRulesTest, BehindScheduleWhenProgressTrailsElapsedTimeByMoreThanThreshold) {
  // 31 days from assignment to overdue; with 0% progress and a 20-point threshold the task is
  // behind once more than 20% of the time has gone: after 6.2 days.
  task_.progress_percent = 0;
  TaskEvaluation early = EvaluateTask(task_, At(2021, 12, 7), settings_);
  EXPECT_EQ(early.light, WarningLight::kGreen);
  ASSERT_TRUE(early.next_check_time.has_value());
  EXPECT_EQ(*early.next_check_time,
            At(2021, 12, 1) + absl::Hours(24) * 6.2 + absl::Microseconds(1));
  TaskEvaluation late = EvaluateTask(task_, At(2021, 12, 8), settings_);
  EXPECT_EQ(late.light, WarningLight::kYellow);
  EXPECT_TRUE(Has(late, FlagKind::kBehindSchedule));
  task_.progress_percent = 50;
  EXPECT_EQ(EvaluateTask(task_, At(2021, 12, 8), settings_).light, WarningLight::kGreen);
}

TEST_F(FlagRulesTest, EscalatesToLevelTwoAfterTheGracePeriod) {
  TaskEvaluation day7 = EvaluateTask(task_, At(2022, 1, 7, 23), settings_);
  EXPECT_EQ(day7.escalation_level, 1);
  EXPECT_EQ(day7.next_check_time, At(2022, 1, 8));
  TaskEvaluation day8 = EvaluateTask(task_, At(2022, 1, 8), settings_);
  EXPECT_EQ(day8.escalation_level, 2);
  EXPECT_TRUE(Has(day8, FlagKind::kEscalated));
  EXPECT_FALSE(day8.next_check_time.has_value());
}

TEST_F(FlagRulesTest, SubmittedClosedAndCancelledTasksAreNeverOverdue) {
  for (TaskStatus s : {TaskStatus::kSubmitted, TaskStatus::kClosed, TaskStatus::kCancelled}) {
    task_.status = s;
    TaskEvaluation e = EvaluateTask(task_, At(2022, 3, 1), settings_);
    EXPECT_FALSE(e.overdue);
    EXPECT_TRUE(e.flags.empty());
    EXPECT_FALSE(e.next_check_time.has_value());
  }
}

TEST_F(FlagRulesTest, OngoingTaskIsRedWhenItsCheckpointReportIsMissed) {
  task_.status = TaskStatus::kOngoing;
  task_.cadence_days = 30;
  task_.checkpoint_due = absl::CivilDay(2022, 1, 31);
  TaskEvaluation on_time = EvaluateTask(task_, At(2022, 1, 31, 12), settings_);
  EXPECT_FALSE(on_time.overdue);
  EXPECT_EQ(on_time.next_check_time, At(2022, 2, 1));
  TaskEvaluation missed = EvaluateTask(task_, At(2022, 2, 1), settings_);
  EXPECT_TRUE(missed.overdue);
  EXPECT_EQ(missed.light, WarningLight::kRed);
  EXPECT_TRUE(Has(missed, FlagKind::kCheckpointMissed));
}

}  // namespace
}  // namespace rectify
