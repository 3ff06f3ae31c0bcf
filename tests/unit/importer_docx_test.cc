// Word .docx files: the numbering Word draws but does not store, rebuilt from numbering.xml and
// styles.xml (each format, values past 10 and 100, start and restart rules), tables, and whole
// reports read through ParseReviewDocument. The documents are written at build time by
// tests/data/importer/make_docx.py into RECTIFY_DOCX_DIR.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/importer/docx_text.h"
#include "services/importer/review_document.h"

#ifndef RECTIFY_DOCX_DIR
#error "RECTIFY_DOCX_DIR must name the generated .docx documents (tests/CMakeLists.txt sets it)"
#endif

namespace rectify {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsSupersetOf;

std::string Docx(absl::string_view name) {
  const std::string path = absl::StrCat(RECTIFY_DOCX_DIR, "/", name);
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing " << path;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

TEST(DocxNumberFormatTest, ChineseCountingPastTenAndAHundred) {
  EXPECT_EQ(FormatListNumber(1, "chineseCounting"), "一");
  EXPECT_EQ(FormatListNumber(10, "chineseCounting"), "十");
  EXPECT_EQ(FormatListNumber(11, "chineseCounting"), "十一");
  EXPECT_EQ(FormatListNumber(20, "chineseCountingThousand"), "二十");
  EXPECT_EQ(FormatListNumber(100, "chineseCountingThousand"), "一百");
  EXPECT_EQ(FormatListNumber(101, "chineseCounting"), "一百零一");
  EXPECT_EQ(FormatListNumber(110, "chineseCounting"), "一百一十");
  EXPECT_EQ(FormatListNumber(1005, "chineseCountingThousand"), "一千零五");
  EXPECT_EQ(FormatListNumber(101, "ideographDigital"), "一〇一");
  EXPECT_EQ(FormatListNumber(101, "decimal"), "101");
  EXPECT_EQ(FormatListNumber(3, "decimalEnclosedCircle"), "③");
  EXPECT_EQ(FormatListNumber(28, "upperLetter"), "BB");
  EXPECT_EQ(FormatListNumber(14, "lowerRoman"), "xiv");
}

TEST(DocxTextTest, EveryFormatIsRebuiltPastTenAndAHundred) {
  auto text = DocxToText(Docx("numbering-formats.docx"));
  ASSERT_TRUE(text.ok()) << text.status();
  SCOPED_TRACE(*text);
  EXPECT_THAT(Lines(*text),
              IsSupersetOf({"九、 项1",       "十、 项2",     "十一、 项3",      // chineseCounting
                            "九十九、 项1",   "一百、 项2",   "一百零一、 项3",  //
                            "（九） 项1",     "（十） 项2",   "（十一） 项3",    // ...Thousand
                            "（九十九） 项1", "（一百） 项2", "（一百零一） 项3",  //
                            "九、 项1",       "一〇、 项2",   "一一、 项3",    // ideographDigital
                            "九九、 项1",     "一〇〇、 项2", "一〇一、 项3",  //
                            "9. 项1",         "10. 项2",      "11. 项3",       // decimal
                            "99. 项1",        "100. 项2",     "101. 项3"}));
}

TEST(DocxTextTest, LevelsRestartAsTheirRulesSayAndListsOfOneAbstractContinue) {
  auto text = DocxToText(Docx("numbering-formats.docx"));
  ASSERT_TRUE(text.ok()) << text.status();
  std::vector<std::string> lines = Lines(*text);
  const auto from = std::find(lines.begin(), lines.end(), "多级编号");
  ASSERT_NE(from, lines.end()) << *text;
  EXPECT_THAT(std::vector<std::string>(from + 1, lines.end()),
              ElementsAre("1. 甲", "1.1 甲一", "1.2 甲二", "(1) 甲丙",
                          // level 2 restarts after level 1; level 3 has lvlRestart 0: never.
                          "2. 乙", "2.1 乙一", "(2) 乙丙",
                          // another list over the same abstract numbering continues it ...
                          "3. 丙",
                          // ... unless it overrides its start.
                          "5. 丁"));
}

TEST(DocxTextTest, HeadingStyleNumberingBecomesNumberedHeadings) {
  auto text = DocxToText(Docx("review-numbered.docx"));
  ASSERT_TRUE(text.ok()) << text.status();
  SCOPED_TRACE(*text);
  const std::vector<std::string> lines = Lines(*text);
  ASSERT_GE(lines.size(), 20u);
  EXPECT_EQ(lines[1], "## 一、基本情况");
  EXPECT_EQ(lines[3], "## 二、存在的问题和不足");
  EXPECT_THAT(lines[4], testing::StartsWith("（一）在学习方面。"));
  EXPECT_THAT(lines[15], testing::StartsWith("（十二）在安全生产方面。"));
  EXPECT_EQ(lines[16], "## 三、问题根源剖析");
  EXPECT_THAT(lines[17], testing::StartsWith("1. 理论武装不够强。"));
  // The measures' list overrides its start: 1 again, not 3.
  EXPECT_THAT(lines[20], testing::StartsWith("1. 细化学习工作计划"));
}

TEST(DocxImportTest, AWordReportImportsWithItsRebuiltNumbering) {
  auto draft = ParseReviewDocument(Docx("review-numbered.docx"));
  ASSERT_TRUE(draft.ok()) << draft.status();
  EXPECT_EQ(draft->title, "机关党支部组织生活会检视剖析材料");
  ASSERT_EQ(draft->areas.size(), 12u);
  EXPECT_EQ(draft->areas[0].name, "在学习方面");
  EXPECT_EQ(draft->areas[11].name, "在安全生产方面");
  EXPECT_EQ(draft->areas[11].where.line, 16);  // the 16th paragraph
  EXPECT_EQ(draft->ProblemCount(), 24);
  EXPECT_EQ(draft->areas[11].problems[1].text, "安全生产工作落实不够。");
  EXPECT_EQ(draft->areas[11].problems[1].number, 24);
  EXPECT_EQ(draft->causes.size(), 2u);
  ASSERT_EQ(draft->measures.size(), 12u);
  EXPECT_EQ(draft->areas[11].problems[0].measure, 11);
}

TEST(DocxImportTest, AWordTableBecomesProblemsWithMeasuresOwnersAndDeadlines) {
  auto text = DocxToText(Docx("ledger-table.docx"));
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_THAT(*text,
              HasSubstr("序号\t问题\t整改措施\t责任单位\t完成时限\n1 \t理论学习不够深入系统\t"));
  auto draft = ParseReviewDocument(Docx("ledger-table.docx"));
  ASSERT_TRUE(draft.ok()) << draft.status();
  ASSERT_EQ(draft->ProblemCount(), 3);
  const std::vector<ImportedProblem>& p = draft->areas[0].problems;
  EXPECT_EQ(p[0].text, "理论学习不够深入系统");
  EXPECT_EQ(p[1].text, "三会一课质量不高");
  EXPECT_EQ(p[1].owner, "机关党委");
  EXPECT_EQ(p[1].deadline, "2026年11月30日");
  ASSERT_NE(draft->MeasureFor(p[1]), nullptr);
  EXPECT_EQ(draft->MeasureFor(p[1])->text, "规范组织生活，支部书记每季度讲党课");
  // The merged problem cell: the second row's measure belongs to the same problem.
  ASSERT_EQ(p[1].extra_measures.size(), 1u);
  EXPECT_EQ(draft->measures[p[1].extra_measures[0]].text, "建立组织生活纪实台账");
  EXPECT_EQ(p[2].owner, "办公室");
  EXPECT_EQ(p[2].deadline, "2026/10/31");
}

TEST(DocxImportTest, AZipThatIsNoWordDocumentIsRefusedSayingSo) {
  auto draft = ParseReviewDocument(std::string("PK\x03\x04\x14\x00\x06\x00", 8) + "garbage");
  ASSERT_FALSE(draft.ok());
  EXPECT_EQ(draft.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(draft.status().message()), HasSubstr("Word"));
  EXPECT_THAT(std::string(draft.status().message()), HasSubstr("document"));
}

}  // namespace
}  // namespace rectify
