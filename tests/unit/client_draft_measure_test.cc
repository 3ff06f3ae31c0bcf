// The 整改措施 column of the drafts spreadsheet is never ignored: a filled-in row sends the
// measure for the server to apply or refuse, and a row left blank whose measure was edited is
// listed for assign-csv to check and refuse.
#include <string>

#include "client/commands/draft_csv.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify::client {
namespace {

constexpr char kSheet[] =
    "任务ID,版本,方面,问题,整改措施,责任单位ID,责任人,责任领导,整改时限\r\n"
    "11,1,在学习方面,学习不够深入,\"每月集中学习一次\r\n建立台账\",3,张三,李书记,2026-12-31\r\n"
    "12,1,在学习方面,研讨不够,改为每季度研讨,,,,\r\n"
    "13,1,在作风方面,调研不够,,,,,\r\n";

TEST(DraftSheetMeasureTest, AFilledRowSendsItsMeasureWithLineEndsAsLf) {
  const AssignmentSheet sheet = ReadAssignmentSheet(kSheet);
  ASSERT_TRUE(sheet.errors.empty()) << sheet.errors.front();
  ASSERT_EQ(sheet.rows.size(), 1u);
  EXPECT_EQ(sheet.rows[0].measure(), "每月集中学习一次\n建立台账");
}

TEST(DraftSheetMeasureTest, ABlankRowWithAMeasureIsListedForCheckingNotDropped) {
  const AssignmentSheet sheet = ReadAssignmentSheet(kSheet);
  // Row 4's measure cell is empty, which means "unchanged" as for a filled-in row.
  ASSERT_EQ(sheet.unassigned_measures.size(), 1u);
  // Row 2's measure spans two lines, so row 3 starts on line 4.
  EXPECT_EQ(sheet.unassigned_measures[0].line, 4);
  EXPECT_EQ(sheet.unassigned_measures[0].task_id, 12);
  EXPECT_EQ(sheet.unassigned_measures[0].measure, "改为每季度研讨");
  EXPECT_THAT(sheet.blank_lines, ::testing::ElementsAre(4, 5));
}

}  // namespace
}  // namespace rectify::client
