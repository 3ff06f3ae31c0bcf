// The paperwork library: the workbook reads back as written, the report's totals follow the
// statistics' rules, the .docx package holds what Word needs.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "services/paperwork/docx_package.h"
#include "services/paperwork/ledger_workbook.h"
#include "services/paperwork/rectification_report.h"
#include "services/paperwork/workbook_reader.h"
#include "services/paperwork/zip_archive.h"

namespace rectify::paperwork {
namespace {

namespace v1 = rectify::v1;

v1::LedgerRow Row(int64_t problem, int64_t task, v1::TaskStatus status) {
  v1::LedgerRow row;
  row.set_review_id(1);
  row.set_review_title("2021年专题组织生活会");
  row.set_problem_id(problem);
  row.set_problem_seq(static_cast<int>(problem));
  row.set_area("在理论学习方面");
  row.set_problem_text("问题" + std::to_string(problem));
  if (task == 0) return row;
  v1::Task* t = row.mutable_task();
  t->set_id(task);
  t->set_status(status);
  t->set_measure("措施<" + std::to_string(task) + ">&");
  t->set_owner_unit_name("第一支部");
  t->set_owner_person("张三");
  t->set_deadline("2099-09-30");
  t->set_progress_percent(25);
  t->set_version(3);
  return row;
}

TEST(ZipArchiveTest, MembersReadBackByteForByte) {
  const std::string binary("\0\x01\xff中文", 7);
  absl::StatusOr<std::string> zip = WriteZip({{"a.txt", "甲"}, {"dir/b.bin", binary}});
  ASSERT_TRUE(zip.ok()) << zip.status();
  EXPECT_EQ(*ReadZipMember(*zip, "a.txt"), "甲");
  EXPECT_EQ(*ReadZipMember(*zip, "dir/b.bin"), binary);
  EXPECT_EQ(ReadZipMember(*zip, "missing").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ReadZipMember("not a zip", "a.txt").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(WorkbookTest, TheLedgerSheetReadsBackWithDatesAsSerials) {
  LedgerWorkbookInput input;
  input.unit_name = "机关党委";
  input.as_of = "2100-04-10";
  input.rows = {Row(1, 4, v1::OPEN), Row(2, 0, v1::OPEN)};
  absl::StatusOr<std::string> xlsx = LedgerWorkbook(input);
  ASSERT_TRUE(xlsx.ok()) << xlsx.status();
  absl::StatusOr<std::vector<SheetRow>> rows = ReadWorksheet(*xlsx, "整改台账");
  ASSERT_TRUE(rows.ok()) << rows.status();
  // Title, unit and date, header, two rows.
  ASSERT_EQ(rows->size(), 5u);
  EXPECT_EQ((*rows)[0].cells[0], "整改台账");
  EXPECT_EQ((*rows)[2].line, 3);
  EXPECT_EQ((*rows)[2].cells, LedgerSheetHeaders());
  const std::vector<std::string>& task = (*rows)[3].cells;
  EXPECT_EQ(task[5], "4");
  EXPECT_EQ(task[6], "措施<4>&");
  EXPECT_EQ(ExcelSerialToDay(task[10]), "2099-09-30");
  EXPECT_EQ(task[14], "0.25");
  EXPECT_EQ(task[19], "3");
  EXPECT_EQ((*rows)[4].cells[6], "（尚无整改措施）");
  EXPECT_TRUE(ReadWorksheet(*xlsx, "统计").ok());
}

TEST(WorkbookTest, TheLightIsTheOneAsOfTheDateNotTheSchedulersNow) {
  LedgerWorkbookInput input;
  input.unit_name = "机关党委";
  input.as_of = "2100-04-10";
  // Green now, but overdue (red) and due soon (yellow) as of the workbook's date.
  input.rows = {Row(1, 4, v1::OPEN), Row(1, 5, v1::OPEN), Row(2, 6, v1::CLOSED)};
  input.rows[0].mutable_task()->set_light(v1::GREEN);
  input.rows[0].set_light_as_of(v1::RED);
  input.rows[1].mutable_task()->set_light(v1::GREEN);
  input.rows[1].set_light_as_of(v1::YELLOW);
  input.rows[2].set_light_as_of(v1::WARNING_LIGHT_UNSPECIFIED);
  absl::StatusOr<std::string> xlsx = LedgerWorkbook(input);
  ASSERT_TRUE(xlsx.ok()) << xlsx.status();
  absl::StatusOr<std::vector<SheetRow>> rows = ReadWorksheet(*xlsx, "整改台账");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 6u);
  ASSERT_EQ(LedgerSheetHeaders()[13], "预警");
  EXPECT_EQ((*rows)[3].cells[13], "红灯");
  EXPECT_EQ((*rows)[4].cells[13], "黄灯");
  EXPECT_EQ((*rows)[5].cells.size() > 13 ? (*rows)[5].cells[13] : "", "");
}

TEST(WorkbookTest, ExcelSerialsAreDaysSince1899) {
  EXPECT_EQ(ExcelSerialToDay("45658"), "2025-01-01");
  EXPECT_EQ(ExcelSerialToDay("25569"), "1970-01-01");
  EXPECT_EQ(ExcelSerialToDay("45658.5"), "2025-01-01");
  EXPECT_EQ(ExcelSerialToDay("2025-01-01"), std::nullopt);
  EXPECT_EQ(ExcelSerialToDay("12"), std::nullopt);
}

TEST(ReportTest, TotalsCountAsTheStatisticsDo) {
  const std::vector<v1::LedgerRow> rows = {Row(1, 1, v1::CLOSED),      Row(1, 2, v1::ONGOING),
                                           Row(2, 3, v1::IN_PROGRESS), Row(2, 4, v1::SUBMITTED),
                                           Row(3, 5, v1::CANCELLED),   Row(3, 6, v1::OPEN),
                                           Row(4, 0, v1::OPEN)};
  const ReportTotals t = CountTotals(rows);
  EXPECT_EQ(t.problems, 4);
  EXPECT_EQ(t.measures, 6);
  EXPECT_EQ(t.closed, 1);
  EXPECT_EQ(t.ongoing, 1);
  EXPECT_EQ(t.unfinished, 3);
  EXPECT_EQ(t.cancelled, 1);
  ASSERT_TRUE(t.completion_rate.has_value());
  EXPECT_EQ(RateText(*t.completion_rate), "20.0%");  // 1 of 5 not withdrawn
}

TEST(ReportTest, DraftsAreNotCountedAsTheStatisticsDoNotCountThem) {
  std::vector<v1::LedgerRow> rows = {Row(1, 1, v1::CLOSED), Row(1, 2, v1::OPEN),
                                     Row(2, 3, v1::OPEN)};
  rows[2].mutable_task()->set_draft(true);
  const ReportTotals t = CountTotals(rows);
  EXPECT_EQ(t.problems, 2);
  EXPECT_EQ(t.measures, 2);
  EXPECT_EQ(t.unfinished, 1);
  EXPECT_EQ(RateText(*t.completion_rate), "50.0%");
}

// The paragraphs of the report that mention `needle`.
std::vector<std::string> Mentioning(const std::vector<DocxParagraph>& p,
                                    const std::string& needle) {
  std::vector<std::string> out;
  for (const DocxParagraph& para : p) {
    if (absl::StrContains(para.text, needle)) out.push_back(para.text);
  }
  return out;
}

TEST(ReportTest, ClosedTasksSayWhatWasDoneAndSubmittedOnesThatTheyWereSubmitted) {
  ReportInput input;
  input.review.set_title("2021年专题组织生活会");
  input.unit_name = "机关党委";
  input.as_of = "2100-04-10";
  input.rows = {Row(1, 1, v1::CLOSED), Row(1, 2, v1::SUBMITTED), Row(2, 3, v1::IN_PROGRESS)};
  // Closed: the summary comes from the history; status_note is the acceptance note.
  input.rows[0].set_closed_on("2021-12-20");
  input.rows[0].set_submit_summary("调研报告已定稿");
  input.rows[0].mutable_task()->set_status_note("同意销号");
  // Submitted: waiting for acceptance, its status note is the summary it was submitted with.
  input.rows[1].set_submit_summary("学习笔记已补齐");
  input.rows[1].mutable_task()->set_status_note("学习笔记已补齐");
  input.rows[2].mutable_task()->set_status_note("经费未到位");
  const std::vector<DocxParagraph> p = ReportParagraphs(input);
  EXPECT_EQ(Mentioning(p, "验收销号"),
            std::vector<std::string>{
                "已于2021年12月20日验收销号。完成情况：调研报告已定稿。验收意见：同意销号。"});
  EXPECT_EQ(Mentioning(p, "已申请销号"),
            std::vector<std::string>{"已申请销号，完成情况：学习笔记已补齐。待验收。"});
  // Only the task still being worked on has a reason for not being finished.
  EXPECT_EQ(Mentioning(p, "未完成原因"),
            std::vector<std::string>{"未完成原因：经费未到位。整改时限为2099年9月30日。"});
  // The totals still count the submitted task as not finished, as the statistics do.
  EXPECT_TRUE(absl::StrContains(p[1].text, "已完成1项、基本完成并持续整改0项、未完成2项"))
      << p[1].text;
}

TEST(ReportTest, EveryProblemOnceUnderItsAreaAndTheOpeningCarriesTheTotals) {
  ReportInput input;
  input.review.set_title("2021年专题组织生活会");
  input.review.set_held_on("2021-12-20");
  input.unit_name = "机关党委";
  input.as_of = "2100-04-10";
  input.rows = {Row(1, 1, v1::CLOSED), Row(1, 2, v1::OPEN), Row(2, 0, v1::OPEN)};
  input.rows[1].mutable_task()->set_status_note("经费未到位");
  const std::vector<DocxParagraph> p = ReportParagraphs(input);
  ASSERT_GE(p.size(), 4u);
  EXPECT_EQ(p[0].style, "Title");
  EXPECT_EQ(p[0].text, "关于2021年专题组织生活会整改落实情况的报告");
  EXPECT_TRUE(absl::StrContains(p[1].text,
                                "共查摆问题2个、制定整改措施2项，已完成1项、"
                                "基本完成并持续整改0项、未完成1项，整改完成率50.0%"))
      << p[1].text;
  int problem1 = 0, problem2 = 0, reasons = 0;
  for (const DocxParagraph& para : p) {
    if (para.style == "Heading2" && para.text == "（一）问题1") ++problem1;
    if (para.style == "Heading2" && para.text == "（二）问题2") ++problem2;
    if (absl::StrContains(para.text, "未完成原因：经费未到位。整改时限为2099年9月30日")) ++reasons;
  }
  EXPECT_EQ(problem1, 1);
  EXPECT_EQ(problem2, 1);
  EXPECT_EQ(reasons, 1);
}

TEST(ReportTest, TheDocxHoldsEscapedTextAndTheOfficialStyles) {
  ReportInput input;
  input.review.set_title("检视<&>");
  input.unit_name = "机关党委";
  input.as_of = "2100-04-10";
  input.rows = {Row(1, 1, v1::OPEN)};
  absl::StatusOr<std::string> bytes = RectificationReportDocx(input);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  const std::string document = *ReadZipMember(*bytes, "word/document.xml");
  EXPECT_TRUE(absl::StrContains(document, "关于检视&lt;&amp;&gt;整改落实情况的报告"));
  EXPECT_TRUE(absl::StrContains(document, R"(w:top="2098")"));  // 3.7 cm
  const std::string styles = *ReadZipMember(*bytes, "word/styles.xml");
  EXPECT_TRUE(absl::StrContains(styles, "方正小标宋简体"));
  // OOXML orders a paragraph's properties (CT_PPrBase): spacing before ind before jc.
  int checked = 0;
  for (size_t at = styles.find("<w:pPr>"); at != std::string::npos;
       at = styles.find("<w:pPr>", at + 1)) {
    const std::string ppr = styles.substr(at, styles.find("</w:pPr>", at) - at);
    const size_t spacing = ppr.find("<w:spacing"), ind = ppr.find("<w:ind"), jc = ppr.find("<w:jc");
    if (spacing != std::string::npos && ind != std::string::npos) {
      EXPECT_LT(spacing, ind) << ppr;
      ++checked;
    }
    if (ind != std::string::npos && jc != std::string::npos) {
      EXPECT_LT(ind, jc) << ppr;
    }
  }
  EXPECT_GE(checked, 2);  // Title and Footer have both
  EXPECT_TRUE(absl::StrContains(styles, "仿宋_GB2312"));
  EXPECT_TRUE(ReadZipMember(*bytes, "[Content_Types].xml").ok());
}

}  // namespace
}  // namespace rectify::paperwork
