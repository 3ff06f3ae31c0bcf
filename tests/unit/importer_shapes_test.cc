// The importer on the shapes real documents take beyond numbered narrative: enumerations run
// inside one paragraph (①②③, 第一，……；第二，……, "主要表现在：一是……；二是……"), audit reports
// with labelled lines per problem, Markdown and tab-separated tables, and the warnings for what
// still looks like one of these but was not split.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/importer/deadline_text.h"
#include "services/importer/internal/numbering.h"
#include "services/importer/measure_linker.h"
#include "services/importer/review_document.h"

#ifndef RECTIFY_SOURCE_DIR
#error "RECTIFY_SOURCE_DIR must name the source tree (tests/CMakeLists.txt sets it)"
#endif

namespace rectify {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

std::string DataFile(absl::string_view name) {
  const std::string path = absl::StrCat(RECTIFY_SOURCE_DIR, "/tests/data/importer/", name);
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing test document " << path;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Dump(const ReviewDraft& d) {
  std::string out;
  for (const ImportedArea& a : d.areas) {
    absl::StrAppend(&out, "area ", a.name, " @", a.where.line, "\n");
    for (const ImportedProblem& p : a.problems) {
      absl::StrAppend(&out, "  #", p.number, " -> m", p.measure, " @", p.where.line, ":",
                      p.where.column, " ", p.text, " | ", p.owner, " | ", p.deadline, "\n");
    }
  }
  for (const ImportedMeasure& m : d.measures) {
    absl::StrAppend(&out, "measure @", m.where.line, " ", m.text, "\n");
  }
  for (const std::string& w : d.warnings) absl::StrAppend(&out, "warning: ", w, "\n");
  return out;
}

std::vector<std::string> ProblemTexts(const ReviewDraft& d) {
  std::vector<std::string> texts;
  for (const ImportedArea& a : d.areas) {
    for (const ImportedProblem& p : a.problems) texts.push_back(p.text);
  }
  return texts;
}

std::vector<std::string> AreaNames(const ReviewDraft& d) {
  std::vector<std::string> names;
  for (const ImportedArea& a : d.areas) names.push_back(a.name);
  return names;
}

// ---- enumerations inside one paragraph ----

TEST(ImporterInlineEnumerationTest, CircledNumbersInOneParagraphAreOneProblemEach) {
  auto draft = ParseReviewDocument(DataFile("inline-enumerations.txt"));
  ASSERT_TRUE(draft.ok()) << draft.status();
  SCOPED_TRACE(Dump(*draft));
  ASSERT_GE(draft->areas.size(), 1u);
  const ImportedArea& learning = draft->areas[0];
  EXPECT_EQ(learning.name, "在学习方面");
  ASSERT_EQ(learning.problems.size(), 3u);
  EXPECT_EQ(learning.problems[0].text, "学习不够系统");
  EXPECT_EQ(learning.problems[1].text, "研讨不够深入");
  EXPECT_EQ(learning.problems[2].text, "转化运用不够。");
  // Each item has its own location: line 2, after its circled number.
  EXPECT_EQ(learning.problems[0].where.line, 2);
  EXPECT_EQ(learning.problems[0].where.column, 11);  // "（一）在学习方面。①" is 10 characters
  EXPECT_EQ(learning.problems[1].where.column, 19);
}

TEST(ImporterInlineEnumerationTest, OrdinalWordsInsideASentenceSplit) {
  auto draft = ParseReviewDocument(DataFile("inline-enumerations.txt"));
  ASSERT_TRUE(draft.ok()) << draft.status();
  SCOPED_TRACE(Dump(*draft));
  ASSERT_GE(draft->areas.size(), 3u);
  EXPECT_EQ(draft->areas[1].name, "在作风方面");
  EXPECT_THAT(draft->areas[1].problems.size(), 2u);
  // "主要表现在：一是……；二是……" under an area heading: the introduction is dropped, the items
  // are problems.
  EXPECT_EQ(draft->areas[2].name, "在纪律方面");
  ASSERT_EQ(draft->areas[2].problems.size(), 2u);
  EXPECT_EQ(draft->areas[2].problems[0].text, "纪律意识不强");
  EXPECT_EQ(draft->areas[2].problems[1].text, "廉洁风险防控不到位。");
  EXPECT_EQ(draft->areas[2].problems[1].where.line, 5);
}

TEST(ImporterInlineEnumerationTest, AParenthesisedYearIsNoEnumeration) {
  auto draft = ParseReviewDocument(
      "二、存在的问题\n1、在学习方面。对《意见（2021）》学习不够，（2）号文件落实不到位。\n");
  ASSERT_TRUE(draft.ok()) << draft.status();
  EXPECT_EQ(draft->ProblemCount(), 1);
}

TEST(ImporterInlineEnumerationTest, AnEnumerationLeftWholeIsWarnedAbout) {
  auto draft = ParseReviewDocument(DataFile("inline-enumerations.txt"));
  ASSERT_TRUE(draft.ok()) << draft.status();
  SCOPED_TRACE(Dump(*draft));
  // "落实不够有力。一是……，二是……" is a problem with its details: kept whole, but the preview
  // says so and names the formats it understands.
  EXPECT_THAT(ProblemTexts(*draft), Contains(HasSubstr("落实不够有力。一是督促检查")));
  EXPECT_THAT(draft->warnings,
              Contains(AllOf(HasSubstr("第 7 行"), HasSubstr("列举未拆分"),
                             HasSubstr("能识别的格式"), HasSubstr("understood:"))));
}

TEST(ImporterInlineEnumerationTest, AParagraphThatLooksLikeATableIsWarnedAbout) {
  auto draft = ParseReviewDocument(
      "二、存在的问题\n1、在学习方面。学习不够系统。\n甲 | 乙 | 丙\n三、整改措施\n1、加强学习。\n");
  ASSERT_TRUE(draft.ok()) << draft.status();
  SCOPED_TRACE(Dump(*draft));
  EXPECT_THAT(draft->warnings,
              Contains(AllOf(HasSubstr("第 3 行"), HasSubstr("像表格"), HasSubstr("制表符"))));
}

TEST(ImporterInlineEnumerationTest, ArabicNumbersInsideAParagraphAreOneProblemEach) {
  auto draft = ParseReviewDocument(
      "二、存在的问题\n"
      "（三）在履职尽责方面。1.调研不够深入；2.制度执行打折扣；3.督促检查不够经常。\n"
      "（四）在作风方面。1、会议偏多；2、文风不实。\n"
      "（五）在纪律方面：１．纪律意识不强；２．廉洁风险防控不到位。\n"
      "（六）在担当方面。1）攻坚克难不够；2）创新意识不强。\n"
      "三、整改措施\n1、加强学习。\n");
  ASSERT_TRUE(draft.ok()) << draft.status();
  SCOPED_TRACE(Dump(*draft));
  EXPECT_THAT(AreaNames(*draft),
              ElementsAre("在履职尽责方面", "在作风方面", "在纪律方面", "在担当方面"));
  EXPECT_THAT(
      ProblemTexts(*draft),
      ElementsAre("调研不够深入", "制度执行打折扣", "督促检查不够经常。", "会议偏多", "文风不实。",
                  "纪律意识不强", "廉洁风险防控不到位。", "攻坚克难不够", "创新意识不强。"));
  // Each item has its own location: "（三）在履职尽责方面。1." is 13 characters.
  const ImportedArea& first = draft->areas[0];
  EXPECT_EQ(first.problems[0].where.line, 2);
  EXPECT_EQ(first.problems[0].where.column, 14);
  EXPECT_EQ(first.problems[1].where.column, 23);  // after "调研不够深入；2."
  EXPECT_THAT(draft->warnings, Not(Contains(HasSubstr("列举未拆分"))));
}

TEST(ImporterInlineEnumerationTest, CapitalLettersInsideAParagraphAreOneProblemEach) {
  auto draft = ParseReviewDocument(
      "二、存在的问题\n"
      "1、在学习方面。A.学习不够系统；B.研讨不够深入；C.转化运用不够。\n"
      "2、在作风方面：Ａ、调研不够深入；Ｂ、制度执行打折扣。\n"
      "三、整改措施\n主要措施：A.加强学习；B.改进作风。\n");
  ASSERT_TRUE(draft.ok()) << draft.status();
  SCOPED_TRACE(Dump(*draft));
  EXPECT_THAT(ProblemTexts(*draft), ElementsAre("学习不够系统", "研讨不够深入", "转化运用不够。",
                                                "调研不够深入", "制度执行打折扣。"));
  // Measures split the same way.
  ASSERT_EQ(draft->measures.size(), 2u);
  EXPECT_EQ(draft->measures[0].text, "加强学习");
  EXPECT_EQ(draft->measures[1].text, "改进作风。");
}

TEST(ImporterInlineEnumerationTest, DecimalsVersionsDatesAndLooseNumbersAreNeverSplit) {
  // Each paragraph stays one problem: amounts and ratios, version numbers, dates, "1、2月份",
  // numbers separated by commas, a number skipped, a list that does not start at 1, and
  // letters that are abbreviations.
  for (const char* paragraph : {
           "在经费方面。全年支出3.5万元；1.5倍于上年，超支明显。",
           "在系统方面。1.5倍的增幅；2.5万元的缺口未作说明。",
           "在信息化方面。系统仍是2.1版；3.0版尚未部署；v1.2.3补丁未打。",
           "在时限方面。原定2021.12.31完成；1、2月份未推进；12.31前仍需督办。",
           "在作风方面。1.调研不够深入，2.制度执行打折扣。",
           "在学习方面。1.学习不够系统；3.研讨不够深入。",
           "在宣传方面。对U.S.的报道不多；A.B两类稿件比例失调。",
       }) {
    SCOPED_TRACE(paragraph);
    const std::string doc =
        absl::StrCat("二、存在的问题\n1、", paragraph, "\n三、整改措施\n1、加强学习。\n");
    auto draft = ParseReviewDocument(doc);
    ASSERT_TRUE(draft.ok()) << draft.status();
    SCOPED_TRACE(Dump(*draft));
    EXPECT_EQ(draft->ProblemCount(), 1);
  }
  for (const char* text : {"支出3.5万元；1.5倍于上年。", "2021.12.31；1、2月份；12.31前。",
                           "v1.2；2.0版。", "1.5倍；2.5倍。", "A.B两类；B.C两类。"}) {
    EXPECT_TRUE(importer_internal::FindEnumeration(text).markers.empty()) << text;
  }
  // The same markers as a list do split.
  EXPECT_EQ(importer_internal::FindEnumeration("主要是：1.学习不够；2.研讨不够。").markers.size(),
            2u);
}

TEST(ImporterInlineEnumerationTest, AListWhoseFirstNumberOpensTheLineIsWarnedAbout) {
  // "1." opening the line is the outline's number, so the paragraph is one problem; the preview
  // says that it holds an enumeration it did not split.
  auto draft = ParseReviewDocument(
      "二、存在的问题\n1.调研不够深入；2.制度执行打折扣；3.督促检查不够经常。\n"
      "三、整改措施\n1、加强学习。\n");
  ASSERT_TRUE(draft.ok()) << draft.status();
  SCOPED_TRACE(Dump(*draft));
  EXPECT_EQ(draft->ProblemCount(), 1);
  EXPECT_THAT(draft->warnings, Contains(AllOf(HasSubstr("第 2 行"), HasSubstr("列举未拆分"),
                                              HasSubstr("1.……；2.……"))));
}

// ---- labelled lines: audit rectification reports ----

TEST(ImporterLabelledRecordsTest, EachProblemRecordGetsItsOwnMeasureOwnerAndDeadline) {
  auto draft = ParseReviewDocument(DataFile("audit-labelled.txt"));
  ASSERT_TRUE(draft.ok()) << draft.status();
  SCOPED_TRACE(Dump(*draft));
  EXPECT_EQ(draft->title, "关于2025年度预算执行审计发现问题整改情况的报告");
  EXPECT_THAT(AreaNames(*draft), ElementsAre("预算管理方面", "资产管理方面"));
  EXPECT_THAT(ProblemTexts(*draft), ElementsAre("部分项目预算编制不够细化，年初预算到位率偏低。",
                                                "政府采购程序不规范，存在化整为零规避招标的情况。",
                                                "固定资产账实不符，部分设备未及时入账。"));
  ASSERT_EQ(draft->measures.size(), 3u);
  const ImportedProblem& second = draft->areas[0].problems[1];
  ASSERT_NE(draft->MeasureFor(second), nullptr);
  EXPECT_EQ(draft->MeasureFor(second)->text,
            "1. 开展政府采购专项培训。\n2. 建立采购计划季度审核制度。");
  EXPECT_EQ(second.owner, "资产管理处");
  EXPECT_EQ(second.owner_person, "王敏");
  EXPECT_EQ(second.deadline, "2026/10/31");
  EXPECT_EQ(second.where.line, 9);
  EXPECT_EQ(second.where.column, 5);
  const ImportedProblem& first = draft->areas[0].problems[0];
  EXPECT_EQ(first.measure, 0);
  EXPECT_EQ(first.owner, "财务处");
  EXPECT_EQ(first.deadline, "2026年12月31日");
  EXPECT_EQ(draft->areas[1].problems[0].measure, 2);
  EXPECT_EQ(draft->areas[1].problems[0].deadline, "2026-09-30");
  // Labelled lines never become problems of their own.
  EXPECT_THAT(ProblemTexts(*draft), Not(Contains(HasSubstr("财务处"))));
}

TEST(ImporterLabelledRecordsTest, TheSectionHoldingTheRecordsIsAProblemsSectionAndLabelsAreNone) {
  auto draft = ParseReviewDocument(DataFile("audit-labelled.txt"));
  ASSERT_TRUE(draft.ok()) << draft.status();
  SCOPED_TRACE(Dump(*draft));
  // "一、审计发现问题的整改情况" would read as background (情况); its records are the problems.
  // The label line "整改措施：" (line 10) is no section of its own.
  ASSERT_EQ(draft->sections.size(), 1u);
  EXPECT_EQ(draft->sections[0].heading, "一、审计发现问题的整改情况");
  EXPECT_EQ(draft->sections[0].kind, SectionKind::kProblems);
  EXPECT_EQ(draft->sections[0].where.line, 3);
  EXPECT_THAT(draft->unrecognised, IsEmpty());
}

TEST(ImporterLabelledRecordsTest, RecordsUnderNoHeadingAreListedAsTheProblemsSection) {
  auto draft = ParseReviewDocument(
      "问题一：制度不健全。\n整改措施：修订制度。\n完成时限：2026-12-31\n"
      "问题二：台账不规范。\n整改措施：建立台账。\n");
  ASSERT_TRUE(draft.ok()) << draft.status();
  SCOPED_TRACE(Dump(*draft));
  EXPECT_EQ(draft->title, "");  // the first record is no title
  ASSERT_EQ(draft->areas.size(), 1u);
  EXPECT_EQ(draft->areas[0].where.line, 1);
  ASSERT_EQ(draft->sections.size(), 1u);
  EXPECT_EQ(draft->sections[0].heading, "问题一：");
  EXPECT_EQ(draft->sections[0].kind, SectionKind::kProblems);
}

TEST(ImporterLabelledRecordsTest, ANarrativeReportWithColonHeadingsIsNotReadAsRecords) {
  auto draft = ParseReviewDocument(
      "二、存在问题：\n1、在学习方面。学习不够系统。\n2、在作风方面。调研不够深入。\n"
      "三、整改措施：\n1、加强学习，建立学习制度。\n");
  ASSERT_TRUE(draft.ok()) << draft.status();
  SCOPED_TRACE(Dump(*draft));
  EXPECT_THAT(AreaNames(*draft), ElementsAre("在学习方面", "在作风方面"));
}

// ---- tables ----

void ExpectLedgerTable(const ReviewDraft& d) {
  EXPECT_THAT(ProblemTexts(d),
              ElementsAre("理论学习不够深入系统", "三会一课质量不高", "基层调研次数偏少"));
  std::vector<std::string> owners;
  std::vector<std::string> deadlines;
  for (const ImportedArea& a : d.areas) {
    for (const ImportedProblem& p : a.problems) {
      owners.push_back(p.owner);
      deadlines.push_back(p.deadline);
      ASSERT_NE(d.MeasureFor(p), nullptr) << p.text;
    }
  }
  EXPECT_THAT(owners, ElementsAre("党委办公室", "机关党委", "办公室"));
  EXPECT_THAT(deadlines, ElementsAre("2026-12-31", "2026年11月30日", "2026/10/31"));
  EXPECT_EQ(d.MeasureFor(d.areas[0].problems[2])->text, "领导班子成员每季度到基层调研不少于两次");
}

TEST(ImporterTableTest, MarkdownTableRowsAreProblemsWithTheirMeasures) {
  auto draft = ParseReviewDocument(DataFile("markdown-table.md"));
  ASSERT_TRUE(draft.ok()) << draft.status();
  SCOPED_TRACE(Dump(*draft));
  ExpectLedgerTable(*draft);
  EXPECT_EQ(draft->title, "巡察反馈问题整改清单");
  // The row with an empty problem cell adds a measure to the problem above.
  const ImportedProblem& second = draft->areas[0].problems[1];
  ASSERT_EQ(second.extra_measures.size(), 1u);
  EXPECT_EQ(draft->measures[second.extra_measures[0]].text, "建立组织生活纪实台账");
  EXPECT_EQ(second.where.line, 6);
  EXPECT_THAT(ProblemTexts(*draft), Not(Contains(HasSubstr("---"))));
}

TEST(ImporterTableTest, TabSeparatedRowsPastedFromWordAreProblemsWithTheirMeasures) {
  auto draft = ParseReviewDocument(DataFile("tsv-table.txt"));
  ASSERT_TRUE(draft.ok()) << draft.status();
  SCOPED_TRACE(Dump(*draft));
  ExpectLedgerTable(*draft);
  EXPECT_EQ(draft->areas[0].problems[0].where.line, 3);
  EXPECT_EQ(draft->areas[0].problems[0].where.column, 3);
  EXPECT_THAT(draft->warnings, IsEmpty());
}

TEST(ImporterTableTest, ATableIsTheProblemsSectionAndItsAreaStartsAtItsHeader) {
  auto draft = ParseReviewDocument(DataFile("tsv-table.txt"));
  ASSERT_TRUE(draft.ok()) << draft.status();
  SCOPED_TRACE(Dump(*draft));
  EXPECT_EQ(draft->title, "巡察反馈问题整改清单");
  ASSERT_EQ(draft->areas.size(), 1u);
  EXPECT_EQ(draft->areas[0].name, "问题清单");
  EXPECT_EQ(draft->areas[0].where.line, 2);  // the header, never "line 0"
  ASSERT_EQ(draft->sections.size(), 1u);
  EXPECT_EQ(draft->sections[0].heading, "序号 | 问题 | 整改措施 | 责任单位 | 完成时限");
  EXPECT_EQ(draft->sections[0].kind, SectionKind::kProblems);
  EXPECT_EQ(draft->sections[0].where.line, 2);
}

TEST(ImporterTableTest, AHeaderRowIsNeverTheTitle) {
  for (const char* doc :
       {"序号\t问题\t整改措施\t责任单位\n1\t制度不健全\t修订制度\t办公室\n",
        "| 序号 | 问题 | 整改措施 |\n|---|---|---|\n| 1 | 制度不健全 | 修订制度 |\n"}) {
    SCOPED_TRACE(doc);
    auto draft = ParseReviewDocument(doc);
    ASSERT_TRUE(draft.ok()) << draft.status();
    SCOPED_TRACE(Dump(*draft));
    EXPECT_EQ(draft->title, "");
    EXPECT_THAT(ProblemTexts(*draft), ElementsAre("制度不健全"));
    EXPECT_EQ(draft->areas[0].where.line, 1);
    ASSERT_EQ(draft->sections.size(), 1u);
    EXPECT_EQ(draft->sections[0].where.line, 1);
  }
}

TEST(ImporterTableTest, ColumnsAreFoundByNameInAnyOrder) {
  auto draft = ParseReviewDocument(
      "问题清单\n| 责任单位 | 问题描述 | 序号 | 整改措施 |\n| :-- | :-- | --: | :-- |\n"
      "| 办公室 | 制度不健全 | 1 | 修订制度 |\n");
  ASSERT_TRUE(draft.ok()) << draft.status();
  SCOPED_TRACE(Dump(*draft));
  EXPECT_THAT(ProblemTexts(*draft), ElementsAre("制度不健全"));
  EXPECT_EQ(draft->areas[0].problems[0].owner, "办公室");
  EXPECT_EQ(draft->MeasureFor(draft->areas[0].problems[0])->text, "修订制度");
}

// ---- deadlines as documents write them ----

TEST(ImporterDeadlineTest, CommonDeadlineSpellingsAreDays) {
  EXPECT_EQ(ReadDeadlineText("2026-12-31"), "2026-12-31");
  EXPECT_EQ(ReadDeadlineText("2026/10/31"), "2026-10-31");
  EXPECT_EQ(ReadDeadlineText("2026.3.1"), "2026-03-01");
  EXPECT_EQ(ReadDeadlineText("2026年11月30日"), "2026-11-30");
  EXPECT_EQ(ReadDeadlineText("２０２６年２月底"), "2026-02-28");
  EXPECT_EQ(ReadDeadlineText("2026年底"), "2026-12-31");
  EXPECT_EQ(ReadDeadlineText("长期坚持"), "");
  EXPECT_EQ(ReadDeadlineText("2026年2月30日"), "");
  EXPECT_EQ(ReadDeadlineText("2026年第三季度"), "");
}

// ---- Han numbers past ten and a hundred, as Word's numbering writes them ----

TEST(ImporterHanNumberTest, HundredsAndDigitByDigitNumbersAreRead) {
  size_t length = 0;
  EXPECT_EQ(importer_internal::ParseHanNumber("一百零一、", &length), 101);
  EXPECT_EQ(length, 12u);
  EXPECT_EQ(importer_internal::ParseHanNumber("一百一十、", &length), 110);
  EXPECT_EQ(importer_internal::ParseHanNumber("一百二十三、", &length), 123);
  EXPECT_EQ(importer_internal::ParseHanNumber("一〇一、", &length), 101);
  EXPECT_EQ(importer_internal::ParseHanNumber("十一、", &length), 11);
  EXPECT_EQ(importer_internal::ParseHanNumber("一是", &length), 1);
  const auto m = importer_internal::ParseLeadingMarker("（一百零一）在学习方面");
  EXPECT_EQ(m.kind, importer_internal::MarkerKind::kHanParen);
  EXPECT_EQ(m.ordinal, 101);
}

// ---- linking problems to measures only where the words match ----

TEST(ImporterLinkerTest, AGenericMeasureDoesNotCollectTheProblemsOfAnArea) {
  // One area, three different problems; only the first shares telling words with a measure.
  std::vector<ImportedArea> areas(1);
  areas[0].name = "在发挥先锋模范作用方面";
  for (const char* text : {"责任担当意识有待进一步增强，存在畏难情绪。", "思想不够解放，办法不多。",
                           "原则性不够突出，主动发声不够。"}) {
    ImportedProblem p;
    p.area = areas[0].name;
    p.text = text;
    areas[0].problems.push_back(p);
  }
  std::vector<ImportedMeasure> measures(3);
  measures[0].text = "进一步提高政治站位，加强理论学习。";
  measures[1].text = "进一步强化责任担当，加快转变作风，增强担当意识。";
  measures[2].text = "进一步加强廉政建设，筑牢廉洁自律防线。";
  EXPECT_THAT(LinkProblemsToMeasures(areas, measures), ElementsAre(1, -1, -1));
}

TEST(ImporterLinkerTest, NoSharedWordsMeansNoLinkEvenWithAsManyMeasuresAsAreas) {
  std::vector<ImportedArea> areas(2);
  areas[0].name = "甲";
  areas[0].problems.push_back({"甲", "毫无关联的内容", 1, -1, {}});
  areas[1].name = "乙";
  areas[1].problems.push_back({"乙", "同样无关", 2, -1, {}});
  std::vector<ImportedMeasure> measures(2);
  measures[0].text = "加强理论学习";
  measures[1].text = "改进工作作风";
  EXPECT_THAT(LinkProblemsToMeasures(areas, measures), ElementsAre(-1, -1));
}

}  // namespace
}  // namespace rectify
