// CSV for Excel and WPS: BOM, CRLF, RFC 4180 quoting of awkward Chinese text, and formulas kept
// as text.
#include <sstream>
#include <string>

#include "client/output/csv.h"
#include "gtest/gtest.h"

namespace rectify::client {
namespace {

TEST(CsvTest, PlainChineseTextIsWrittenAsItIs) {
  EXPECT_EQ(CsvField("机关第一支部"), "机关第一支部");
  EXPECT_EQ(CsvField(""), "");
  // Chinese punctuation is not CSV syntax: the full-width comma and quotes need no quoting.
  EXPECT_EQ(CsvField("学习“三会一课”，逐月检查"), "学习“三会一课”，逐月检查");
}

TEST(CsvTest, CommasQuotesAndNewlinesAreQuotedAndQuotesDoubled) {
  EXPECT_EQ(CsvField("调研,指导"), "\"调研,指导\"");
  EXPECT_EQ(CsvField("建立\"三会一课\"台账"), "\"建立\"\"三会一课\"\"台账\"");
  EXPECT_EQ(CsvField("第一行\n第二行"), "\"第一行\n第二行\"");
  EXPECT_EQ(CsvField("第一行\r\n第二行"), "\"第一行\r\n第二行\"");
  EXPECT_EQ(CsvField("\""), "\"\"\"\"");
  EXPECT_EQ(CsvField(" 前后有空格 "), "\" 前后有空格 \"");
}

TEST(CsvTest, FormulaLikeTextIsKeptAsText) {
  EXPECT_EQ(CsvField("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(CsvField("+1"), "'+1");
  EXPECT_EQ(CsvField("-加强学习"), "'-加强学习");
  EXPECT_EQ(CsvField("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvField("2021-12-31"), "2021-12-31");  // a date starts with a digit: untouched
}

TEST(CsvTest, WriterStartsWithABomAndEndsEveryRecordWithCrlf) {
  std::ostringstream out;
  {
    CsvWriter csv(out);
    csv.WriteRow({"任务", "整改措施", "最新进展"});
    csv.WriteRow({"12", "调研,指导“基层”", "已走访3个支部\n形成报告\"初稿\""});
    csv.WriteRow({"13", "", ""});
  }
  EXPECT_EQ(out.str(),
            "\xEF\xBB\xBF"
            "任务,整改措施,最新进展\r\n"
            "12,\"调研,指导“基层”\",\"已走访3个支部\n形成报告\"\"初稿\"\"\"\r\n"
            "13,,\r\n");
}

TEST(CsvTest, EmptyReportIsTheBomAndTheHeader) {
  std::ostringstream out;
  CsvWriter csv(out);
  csv.WriteRow({"分组", "任务编号"});
  EXPECT_EQ(out.str(), std::string(kUtf8Bom) + "分组,任务编号\r\n");
}

}  // namespace
}  // namespace rectify::client
