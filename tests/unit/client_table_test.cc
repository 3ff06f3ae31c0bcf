#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "client/output/fields.h"
#include "client/output/table.h"
#include "gtest/gtest.h"
#include "services/common/text.h"

namespace rectify::client {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

// Display column at which `needle` starts in `line`.
int ColumnOf(const std::string& line, const std::string& needle) {
  const size_t at = line.find(needle);
  EXPECT_NE(at, std::string::npos) << needle << " not in " << line;
  return DisplayWidth(line.substr(0, at));
}

TEST(TableTest, ColumnsAlignByDisplayWidthWithMixedChineseAndAscii) {
  Table table({"ID", "状态", "责任人"});
  table.AddRow({"1", "整改中", "alice"});
  table.AddRow({"22", "open", "张三"});
  const auto lines = Lines(table.Render());
  ASSERT_EQ(lines.size(), 3u);
  // "整改中" is six columns wide, so the third column starts at the same display column in
  // every line although the byte offsets differ.
  EXPECT_EQ(ColumnOf(lines[0], "责任人"), ColumnOf(lines[1], "alice"));
  EXPECT_EQ(ColumnOf(lines[1], "alice"), ColumnOf(lines[2], "张三"));
  EXPECT_EQ(ColumnOf(lines[1], "整改中"), ColumnOf(lines[2], "open"));
  EXPECT_EQ(ColumnOf(lines[1], "alice"), 2 + 2 + 6 + 2);
}

TEST(TableTest, RightAlignedColumnsLineUpTheirLastDigit) {
  Table table({"ID", "进度"});
  table.SetAlign(0, Table::Align::kRight).SetAlign(1, Table::Align::kRight);
  table.AddRow({"7", "5%"});
  table.AddRow({"123", "100%"});
  const auto lines = Lines(table.Render());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1], "  7    5%");
  EXPECT_EQ(lines[2], "123  100%");
  EXPECT_EQ(DisplayWidth(lines[0]), DisplayWidth(lines[2]));  // "进度" is 4 columns
}

TEST(TableTest, LongCellsAreCutToTheColumnMaximumWithAnEllipsis) {
  Table table({"ID", "整改措施"});
  table.SetMaxWidth(1, 10);
  table.AddRow({"1", "每季度开展一次走访调研活动"});
  table.AddRow({"2", "short"});
  const auto lines = Lines(table.Render());
  ASSERT_EQ(lines.size(), 3u);
  const std::string cut = lines[1].substr(lines[1].find("每"));
  EXPECT_LE(DisplayWidth(cut), 10);
  EXPECT_EQ(cut, "每季度开…");  // 8 columns of text, then the one-column ellipsis
  EXPECT_NE(lines[2].find("short"), std::string::npos);
}

TEST(TableTest, HeadersAreNeverCut) {
  Table table({"ID", "整改措施内容"});
  table.SetMaxWidth(1, 4);
  table.AddRow({"1", "abcdefgh"});
  const auto lines = Lines(table.Render());
  EXPECT_NE(lines[0].find("整改措施内容"), std::string::npos);
  EXPECT_NE(lines[1].find("abc…"), std::string::npos);
}

TEST(TableTest, NewlinesInCellsDoNotBreakRows) {
  Table table({"ID", "说明"});
  table.AddRow({"1", "第一行\n第二行\tend"});
  const auto lines = Lines(table.Render());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[1].find("第一行 第二行 end"), std::string::npos);
}

TEST(TableTest, LinesCarryNoTrailingBlanks) {
  Table table({"名称", "备注"});
  table.AddRow({"机关第一支部", ""});
  table.AddRow({"x", "y"});
  for (const std::string& line : Lines(table.Render())) {
    EXPECT_NE(line.back(), ' ') << "[" << line << "]";
  }
}

TEST(TableTest, SectionLinesSitBetweenRowsAndDoNotWidenColumns) {
  Table table({"ID", "状态"});
  table.AddSection("【一个很长很长很长很长的单位名称】");
  table.AddRow({"1", "整改中"});
  EXPECT_EQ(table.row_count(), 1u);
  const auto lines = Lines(table.Render());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1], "【一个很长很长很长很长的单位名称】");
  EXPECT_EQ(lines[2], "1   整改中");
}

TEST(TableTest, MissingCellsAreEmptyAndExtraCellsDropped) {
  Table table({"a", "b"});
  table.AddRow({"1"});
  table.AddRow({"2", "3", "4"});
  const auto lines = Lines(table.Render());
  EXPECT_EQ(lines[1], "1");
  EXPECT_EQ(lines[2], "2  3");
}

TEST(FieldListTest, ValuesStartInOneColumnAndContinueUnderIt) {
  FieldList fields;
  fields.Add("任务编号", "12").Add("ID", "x").Add("整改措施", "第一行\n第二行").Add("责任领导", "");
  const auto lines = Lines(fields.Render());
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0], "任务编号  12");
  EXPECT_EQ(lines[1], "ID        x");
  EXPECT_EQ(lines[2], "整改措施  第一行");
  EXPECT_EQ(lines[3], "          第二行");
  EXPECT_EQ(lines[4], "责任领导  —");
}

TEST(FieldListTest, IndentPrefixesEveryLine) {
  FieldList fields(/*indent=*/4);
  fields.Add("内容", "a\nb");
  EXPECT_EQ(fields.Render(), "    内容  a\n          b\n");
}

}  // namespace
}  // namespace rectify::client
