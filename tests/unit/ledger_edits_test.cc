// The ledger round trip's plan: which edits of an exported ledger become reassignments, and which
// refuse the whole file.
#include "client/commands/ledger_edits.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

v1::Task Task(int64_t id, v1::TaskStatus status) {
  v1::Task t;
  t.set_id(id);
  t.set_status(status);
  t.set_owner_unit_id(2);
  t.set_owner_unit_name("第一支部");
  t.set_owner_person("张三");
  t.set_leader("李书记");
  t.set_deadline("2099-09-30");
  t.set_version(5);
  return t;
}

std::vector<v1::OrgUnit> Units() {
  std::vector<v1::OrgUnit> units(2);
  units[0].set_id(2);
  units[0].set_name("第一支部");
  units[1].set_id(3);
  units[1].set_name("第二支部");
  return units;
}

// A CSV-like file: the header, then one row per task.
std::vector<LedgerFileRow> File(const std::vector<std::vector<std::string>>& rows) {
  std::vector<LedgerFileRow> file = {
      {1, {"任务编号", "版本", "责任单位", "责任人", "责任领导", "整改时限"}}};
  int line = 1;
  for (const auto& cells : rows) file.push_back({++line, cells});
  return file;
}

TEST(LedgerEditsTest, OwnerChangesOfOpenTasksBecomeOneAssignmentEach) {
  std::map<int64_t, v1::Task> tasks = {{1, Task(1, v1::OPEN)}, {2, Task(2, v1::OPEN)}};
  const LedgerFile file =
      ReadLedgerFile(File({{"1", "5", "第二支部", "王五", "李书记", "2099-09-30"},
                           {"2", "5", "第一支部", "张三", "李书记", "2099-09-30"}}),
                     false);
  ASSERT_TRUE(file.errors.empty());
  const LedgerPlan plan = PlanLedgerChanges(file, tasks, Units());
  ASSERT_TRUE(plan.errors.empty()) << plan.errors[0];
  EXPECT_EQ(plan.unchanged, 1);
  ASSERT_EQ(plan.changes.size(), 1u);
  const LedgerChange& c = plan.changes[0];
  EXPECT_EQ(c.line, 2);
  EXPECT_EQ(c.diffs,
            (std::vector<std::string>{"责任单位：第一支部 → 第二支部", "责任人：张三 → 王五"}));
  EXPECT_EQ(c.row.owner_unit_id(), 3);
  EXPECT_EQ(c.row.expected_version(), 5);
  EXPECT_EQ(c.row.deadline(), "2099-09-30");
}

TEST(LedgerEditsTest, ATaskInProgressRefusesNewOwnersButALaterDeadlineIsAnExtension) {
  std::map<int64_t, v1::Task> tasks = {{1, Task(1, v1::IN_PROGRESS)}, {2, Task(2, v1::OPEN)},
                                       {3, Task(3, v1::IN_PROGRESS)}, {4, Task(4, v1::OPEN)},
                                       {5, Task(5, v1::OPEN)},        {6, Task(6, v1::SUBMITTED)}};
  const LedgerPlan plan = PlanLedgerChanges(
      ReadLedgerFile(File({{"1", "5", "第一支部", "王五", "李书记", "2099-09-30"},
                           {"2", "5", "第二支部", "张三", "李书记", "2099-12-31"},
                           {"3", "5", "第一支部", "张三", "李书记", "2100-01-15"},
                           {"4", "5", "第一支部", "张三", "李书记", "2099-09-01"},
                           {"5", "5", "第一支部", "张三", "李书记", ""},
                           {"6", "5", "第一支部", "张三", "李书记", "2099-12-31"}}),
                     false),
      tasks, Units());
  // A new owner of a task in progress; an earlier or a cleared deadline; a submitted task.
  ASSERT_EQ(plan.errors.size(), 4u);
  EXPECT_TRUE(absl::StrContains(plan.errors[0], "整改中")) << plan.errors[0];
  EXPECT_TRUE(absl::StrContains(plan.errors[1], "须晚于现有时限 2099-09-30")) << plan.errors[1];
  EXPECT_TRUE(absl::StrContains(plan.errors[2], "不能清空")) << plan.errors[2];
  EXPECT_TRUE(absl::StrContains(plan.errors[3], "待验收")) << plan.errors[3];
  // A later deadline of an assigned task, open or in progress, is asked for, not set.
  ASSERT_EQ(plan.changes.size(), 2u);
  EXPECT_EQ(plan.extensions, 2);
  const LedgerChange& open = plan.changes[0];
  EXPECT_EQ(open.task_id, 2);
  EXPECT_TRUE(open.extension);
  EXPECT_EQ(open.extension_to, "2099-12-31");
  EXPECT_EQ(open.diffs,
            (std::vector<std::string>{"责任单位：第一支部 → 第二支部", "申请延期 → 2099-12-31"}));
  EXPECT_EQ(open.row.deadline(), "2099-12-31");
  EXPECT_EQ(open.row.owner_unit_id(), 3);
  const LedgerChange& working = plan.changes[1];
  EXPECT_EQ(working.task_id, 3);
  EXPECT_EQ(working.diffs, (std::vector<std::string>{"申请延期 → 2100-01-15"}));
  EXPECT_EQ(working.row.expected_version(), 5);
}

TEST(LedgerEditsTest, ADraftTakesItsFirstDeadline) {
  v1::Task draft = Task(1, v1::OPEN);
  draft.set_draft(true);
  draft.clear_deadline();
  draft.clear_owner_person();
  const LedgerPlan plan =
      PlanLedgerChanges(ReadLedgerFile(File({{"1", "5", "第一支部", "王五", "", "73415"}}), true),
                        {{1, draft}}, Units());
  ASSERT_TRUE(plan.errors.empty()) << plan.errors[0];
  ASSERT_EQ(plan.changes.size(), 1u);
  EXPECT_EQ(plan.changes[0].row.deadline(), "2100-12-31");
}

TEST(LedgerEditsTest, UnknownUnitsAndTasksAndAMissingHeaderAreNamed) {
  std::map<int64_t, v1::Task> tasks = {{1, Task(1, v1::OPEN)}};
  const LedgerPlan plan =
      PlanLedgerChanges(ReadLedgerFile(File({{"1", "5", "第九支部", "张三", "李书记", "2099-09-30"},
                                             {"9", "1", "第一支部", "张三", "", ""}}),
                                       false),
                        tasks, Units());
  ASSERT_EQ(plan.errors.size(), 2u);
  EXPECT_TRUE(absl::StrContains(plan.errors[0], "第 2 行")) << plan.errors[0];
  EXPECT_TRUE(absl::StrContains(plan.errors[0], "第九支部")) << plan.errors[0];
  EXPECT_TRUE(absl::StrContains(plan.errors[1], "任务 9 不存在")) << plan.errors[1];
  EXPECT_EQ(ReadLedgerFile({{1, {"a", "b"}}}, false).errors.size(), 1u);
}

}  // namespace
}  // namespace rectify::client
