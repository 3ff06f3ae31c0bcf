// The draft-task spreadsheet: CSV written by client/output/csv.h reads back exactly (Chinese
// text with commas, quotes and line breaks), whatever Excel or WPS did to the line endings, the
// byte order mark and the headers; every bad row is named by its line.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "client/commands/csv_reader.h"
#include "client/commands/draft_csv.h"
#include "client/output/csv.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify::client {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<std::string> Fields(const CsvRow& row) {
  std::vector<std::string> out;
  for (const std::string& f : row.fields) out.push_back(CsvCellText(f));
  return out;
}

TEST(CsvReaderTest, AwkwardChineseTextRoundTripsThroughTheWriter) {
  const std::vector<std::vector<std::string>> records = {
      {"任务ID", "整改措施", "备注"},
      {"12", "建立“三会一课”台账，逐月检查，做到“月月有记录”", "他说：\"立即整改\""},
      {"13", "第一行\n第二行，含逗号\n第三行", " 前后有空格 "},
      {"14", "=SUM(A1:A3)", "-减号开头"},
      {"15", "", "，，，"},
  };
  std::string csv = kUtf8Bom;
  for (const auto& r : records) csv += CsvRecord(r);
  auto rows = ParseCsv(csv);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), records.size());
  for (size_t i = 0; i < records.size(); ++i) EXPECT_EQ(Fields((*rows)[i]), records[i]) << i;
  // Lines as a text editor shows them: record 3 spans lines 3-5, so record 4 starts on line 6.
  EXPECT_EQ((*rows)[2].line, 3);
  EXPECT_EQ((*rows)[3].line, 6);
  EXPECT_EQ((*rows)[4].line, 7);
}

TEST(CsvReaderTest, BomIsOptionalAndLineEndingsMayBeLfCrlfOrCr) {
  for (const char* eol : {"\n", "\r\n", "\r"}) {
    for (const char* bom : {"", kUtf8Bom}) {
      const std::string csv = absl::StrCat(bom, "a,b", eol, "\"x", eol, "y\",z", eol);
      auto rows = ParseCsv(csv);
      ASSERT_TRUE(rows.ok()) << rows.status();
      ASSERT_EQ(rows->size(), 2u);
      EXPECT_THAT((*rows)[0].fields, ElementsAre("a", "b"));
      EXPECT_THAT((*rows)[1].fields, ElementsAre("x\ny", "z"));
    }
  }
  auto empty = ParseCsv("");
  ASSERT_TRUE(empty.ok());
  EXPECT_THAT(*empty, IsEmpty());
}

TEST(CsvReaderTest, UnclosedQuoteAndNonUtf8NameTheirLine) {
  auto unclosed = ParseCsv("a,b\r\n1,\"never\r\nends\r\n");
  ASSERT_FALSE(unclosed.ok());
  EXPECT_THAT(unclosed.status().message(), HasSubstr("第 2 行"));
  auto gbk = ParseCsv("a,b\r\n1,\xD5\xC5\xC8\xFD\r\n");  // 张三 in GBK
  ASSERT_FALSE(gbk.ok());
  EXPECT_THAT(gbk.status().message(), HasSubstr("第 2 行"));
  EXPECT_THAT(gbk.status().message(), HasSubstr("CSV UTF-8"));
}

TEST(DraftCsvTest, DeadlineCellsInTheFormsSpreadsheetsSave) {
  struct Case {
    const char* cell;
    const char* deadline;
    int cadence;
  };
  for (const Case& c : std::vector<Case>{{"2022-03-31", "2022-03-31", 0},
                                         {"2022/3/31", "2022-03-31", 0},
                                         {" 2022.3.1 ", "2022-03-01", 0},
                                         {"2022年3月31日", "2022-03-31", 0},
                                         {"长期坚持:30", "", 30},
                                         {"长期坚持：每30天", "", 30},
                                         {"Ongoing: 14 days", "", 14},
                                         {"", "", 0}}) {
    std::string deadline;
    int cadence = -1;
    EXPECT_TRUE(ParseDeadlineCell(c.cell, &deadline, &cadence)) << c.cell;
    EXPECT_EQ(deadline, c.deadline) << c.cell;
    EXPECT_EQ(cadence, c.cadence) << c.cell;
  }
  for (const char* bad : {"明天", "2022-02-30", "22/3/31", "长期坚持", "长期坚持:-3", "2022-3"}) {
    std::string deadline;
    int cadence = 0;
    EXPECT_FALSE(ParseDeadlineCell(bad, &deadline, &cadence)) << bad;
  }
}

TEST(DraftCsvTest, ExportedSheetFilledInReadsBackAsAssignments) {
  rectify::v1::Task task;
  task.set_id(21);
  task.set_version(1);
  task.set_area("在联系服务群众方面");
  task.set_measure("进一步加强调查研究，为群众办实事。\n要坚持问题导向，\"身下基层\"。");
  task.set_owner_unit_id(3);
  // The owner unit as a person names it; an id is read too (here without a unit directory).
  std::vector<std::string> row = DraftCsvRow(task, "调研指导还不够深入，有些工作以汇报为主", "3");
  EXPECT_EQ(DraftCsvHeader(Lang::kZh)[5], "责任单位");
  EXPECT_EQ(DraftCsvHeader(Lang::kEn)[5], "owner_unit");
  row[6] = "张三";
  row[7] = "李书记";
  row[8] = "2022/3/31";
  const std::string csv = absl::StrCat(kUtf8Bom, CsvRecord(DraftCsvHeader(Lang::kZh)),
                                       CsvRecord(row), "\r\n,,,,,,,,\r\n");
  const AssignmentSheet sheet = ReadAssignmentSheet(csv);
  EXPECT_THAT(sheet.errors, IsEmpty());
  ASSERT_EQ(sheet.rows.size(), 1u);
  const auto& r = sheet.rows[0];
  EXPECT_EQ(r.line(), 2);
  EXPECT_EQ(r.id(), 21);
  EXPECT_EQ(r.expected_version(), 1);
  EXPECT_EQ(r.owner_unit_id(), 3);
  EXPECT_EQ(r.owner_person(), "张三");
  EXPECT_EQ(r.leader(), "李书记");
  EXPECT_EQ(r.deadline(), "2022-03-31");
}

TEST(DraftCsvTest, EnglishHeadersInAnyOrderWithoutBomAndLf) {
  const std::string csv =
      "Deadline,Owner Person,task id,owner_unit_id,Notes\n"
      "ongoing:30,王五,7,4,随便写\n"
      "\n"
      "2022-01-31,赵六,8,4,\n";
  const AssignmentSheet sheet = ReadAssignmentSheet(csv);
  EXPECT_THAT(sheet.errors, IsEmpty());
  EXPECT_THAT(sheet.ignored_columns, ElementsAre("Notes"));
  ASSERT_EQ(sheet.rows.size(), 2u);
  EXPECT_EQ(sheet.rows[0].cadence_days(), 30);
  EXPECT_EQ(sheet.rows[0].expected_version(), 0);  // no version column: no check
  EXPECT_EQ(sheet.rows[1].line(), 4);
  EXPECT_EQ(sheet.rows[1].deadline(), "2022-01-31");
}

TEST(DraftCsvTest, BlankRowsStayDraftsAndEveryBadRowIsNamedByLine) {
  // The header of earlier releases (责任单位ID) still reads.
  const std::string csv =
      "任务ID,版本,问题,责任单位ID,责任人,责任领导,整改时限\r\n"
      "1,1,\"多行\r\n问题\",3,张三,,2022-03-31\r\n"  // lines 2-3
      "2,1,问题二,3,,,\r\n"                          // line 4: blank, stays a draft
      "abc,1,问题三,3,李四,,2022-03-31\r\n"          // line 5: bad id
      "4,1,问题四,第一支部,王五,,下月\r\n"           // line 6: unit name, bad deadline
      "5,x,问题五,3,赵六,,2022-03-31,多余\r\n";      // line 7: bad version, extra cell
  const AssignmentSheet sheet = ReadAssignmentSheet(csv);
  EXPECT_THAT(sheet.blank_lines, ElementsAre(4));
  ASSERT_EQ(sheet.errors.size(), 5u);
  EXPECT_THAT(sheet.errors[0], HasSubstr("第 5 行 / line 5: 任务ID"));
  EXPECT_THAT(sheet.errors[1], HasSubstr("第 6 行 / line 6: 责任单位 "));
  EXPECT_THAT(sheet.errors[2], HasSubstr("第 6 行 / line 6: 整改时限"));
  EXPECT_THAT(sheet.errors[3], HasSubstr("第 7 行 / line 7: 版本"));
  EXPECT_THAT(sheet.errors[4], HasSubstr("第 7 行 / line 7: 单元格比表头多"));
  ASSERT_EQ(sheet.rows.size(), 1u);
  EXPECT_EQ(sheet.rows[0].line(), 2);
}

TEST(DraftCsvTest, MissingColumnsAreOneErrorForTheFile) {
  const AssignmentSheet sheet = ReadAssignmentSheet("任务ID,责任人\r\n1,张三\r\n");
  ASSERT_EQ(sheet.errors.size(), 2u);
  EXPECT_THAT(sheet.errors[0], HasSubstr("“责任单位”"));
  EXPECT_THAT(sheet.errors[1], HasSubstr("整改时限"));
  EXPECT_THAT(sheet.rows, IsEmpty());
  EXPECT_THAT(ReadAssignmentSheet("").errors, ElementsAre(HasSubstr("没有表头")));
}

}  // namespace
}  // namespace rectify::client
