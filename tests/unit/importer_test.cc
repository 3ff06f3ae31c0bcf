// The review-report importer on whole documents: the shared fixture, and documents written for
// each numbering and heading style (tests/data/importer).
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/importer/measure_linker.h"
#include "services/importer/review_document.h"

#ifndef RECTIFY_SOURCE_DIR
#error "RECTIFY_SOURCE_DIR must name the source tree (tests/CMakeLists.txt sets it)"
#endif

namespace rectify {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

// Reads a file, or returns false when it does not exist.
bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  *out = s.str();
  return true;
}

std::string DataFile(absl::string_view name) {
  std::string text;
  const std::string path = absl::StrCat(RECTIFY_SOURCE_DIR, "/tests/data/importer/", name);
  EXPECT_TRUE(ReadFile(path, &text)) << "missing test document " << path;
  return text;
}

// The whole draft as text, so that a failing test shows what the parser saw.
std::string Dump(const ReviewDraft& d) {
  std::string out = absl::StrCat("title: ", d.title, "\n");
  for (const DocumentSection& s : d.sections) {
    absl::StrAppend(&out, "section [", SectionKindLabel(s.kind), "] ", s.heading, " @",
                    s.where.line, "\n");
  }
  for (const ImportedArea& a : d.areas) {
    absl::StrAppend(&out, "area ", a.name, " @", a.where.line, ":", a.where.column, "\n");
    for (const ImportedProblem& p : a.problems) {
      absl::StrAppend(&out, "  #", p.number, " -> m", p.measure, " @", p.where.line, ":",
                      p.where.column, " ", p.text, "\n");
    }
  }
  for (const ImportedCause& c : d.causes) {
    absl::StrAppend(&out, "cause [", c.title, "] @", c.where.line, " ", c.text, "\n");
  }
  for (const ImportedMeasure& m : d.measures) {
    absl::StrAppend(&out, "measure [", m.title, "] @", m.where.line, " ", m.text, "\n");
  }
  for (const std::string& w : d.warnings) absl::StrAppend(&out, "warning: ", w, "\n");
  return out;
}

std::vector<std::string> AreaNames(const ReviewDraft& d) {
  std::vector<std::string> names;
  for (const ImportedArea& a : d.areas) names.push_back(a.name);
  return names;
}

std::vector<size_t> ProblemCounts(const ReviewDraft& d) {
  std::vector<size_t> counts;
  for (const ImportedArea& a : d.areas) counts.push_back(a.problems.size());
  return counts;
}

template <typename T>
std::vector<std::string> Titles(const std::vector<T>& items) {
  std::vector<std::string> titles;
  for (const T& item : items) titles.push_back(item.title);
  return titles;
}

std::vector<SectionKind> Kinds(const ReviewDraft& d) {
  std::vector<SectionKind> kinds;
  for (const DocumentSection& s : d.sections) kinds.push_back(s.kind);
  return kinds;
}

// ---- the real report (a copy of the shared fixture) ----

class ImporterFixtureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string path =
        absl::StrCat(RECTIFY_SOURCE_DIR, "/tests/data/importer/branch-self-review-2021.txt");
    ASSERT_TRUE(ReadFile(path, &text_)) << "missing fixture " << path;
  }
  std::string text_;
};

TEST_F(ImporterFixtureTest, SectionTwoGivesFourAreasWithThreeThreeThreeAndOneProblems) {
  auto draft = ParseReviewDocument(text_);
  ASSERT_TRUE(draft.ok()) << draft.status();
  SCOPED_TRACE(Dump(*draft));
  EXPECT_THAT(AreaNames(*draft), ElementsAre("在组织开展学习教育方面", "在发挥先锋模范作用方面",
                                             "在联系服务群众方面", "在持续纠正“四风\"方面"));
  EXPECT_THAT(ProblemCounts(*draft), ElementsAre(3, 3, 3, 1));
  EXPECT_EQ(draft->ProblemCount(), 10);
  const ImportedProblem& first = draft->areas[0].problems[0];
  EXPECT_THAT(first.text, StartsWith("学懂弄通上还有差距。在精读研读上"));
  EXPECT_EQ(first.area, "在组织开展学习教育方面");
  EXPECT_EQ(first.number, 1);
  EXPECT_EQ(first.where.line, 8);
  EXPECT_THAT(draft->areas[1].problems[1].text, StartsWith("思想不够解放。"));
  EXPECT_THAT(draft->areas[2].problems[2].text, StartsWith("解决群众反应问题办法不多。"));
  // The fourth area has no enumeration: its problem is the text after the area name.
  EXPECT_THAT(draft->areas[3].problems[0].text, StartsWith("能够贯彻执行中央八项规定精神"));
  EXPECT_EQ(draft->areas[3].problems[0].number, 10);
}

TEST_F(ImporterFixtureTest, CausesAndMeasuresComeFromSectionsThreeAndFour) {
  auto draft = ParseReviewDocument(text_);
  ASSERT_TRUE(draft.ok()) << draft.status();
  SCOPED_TRACE(Dump(*draft));
  EXPECT_THAT(Titles(draft->causes), ElementsAre("理论武装不够强", "担当意识不够强",
                                                 "宗旨意识不够牢固", "党性锤炼不够扎实"));
  EXPECT_THAT(draft->causes[0].text, StartsWith("理论武装不够强。思想改造"));
  EXPECT_EQ(draft->causes[0].where.line, 13);
  EXPECT_THAT(
      Titles(draft->measures),
      ElementsAre("进一步提高政治站位，加强理论学习", "进一步加强调查研究，为群众办实事",
                  "进一步强化责任担当，加快转变作风", "进一步加强廉政建设，筑牢廉洁自律防线"));
  EXPECT_EQ(draft->measures[3].where.line, 21);
}

TEST_F(ImporterFixtureTest, BackgroundSectionIsSkippedNotImported) {
  auto draft = ParseReviewDocument(text_);
  ASSERT_TRUE(draft.ok()) << draft.status();
  SCOPED_TRACE(Dump(*draft));
  EXPECT_THAT(Kinds(*draft), ElementsAre(SectionKind::kBackground, SectionKind::kProblems,
                                         SectionKind::kCauses, SectionKind::kMeasures));
  EXPECT_EQ(draft->sections[0].heading, "一、党史学习教育活动开展情况");
  EXPECT_EQ(draft->sections[0].where.line, 2);
  for (const ImportedArea& area : draft->areas) {
    for (const ImportedProblem& p : area.problems) {
      EXPECT_THAT(p.text, Not(HasSubstr("有收获")));
      EXPECT_THAT(p.text, Not(HasSubstr("科技成果展")));
    }
  }
  EXPECT_THAT(draft->unrecognised, IsEmpty());
  EXPECT_THAT(draft->warnings, IsEmpty());
  EXPECT_EQ(draft->title, "");  // the document opens with a paragraph, not a title
}

TEST_F(ImporterFixtureTest, ProblemsLinkToTheMeasureThatSharesTheirWords) {
  auto draft = ParseReviewDocument(text_);
  ASSERT_TRUE(draft.ok()) << draft.status();
  SCOPED_TRACE(Dump(*draft));
  // 联系服务群众 -> 为群众办实事; 纠正"四风" -> 廉政建设/"四风"问题.
  for (const ImportedProblem& p : draft->areas[2].problems) EXPECT_EQ(p.measure, 1);
  EXPECT_EQ(draft->areas[3].problems[0].measure, 3);
  ASSERT_NE(draft->MeasureFor(draft->areas[3].problems[0]), nullptr);
  EXPECT_EQ(draft->MeasureFor(draft->areas[3].problems[0])->title,
            "进一步加强廉政建设，筑牢廉洁自律防线");
  for (const ImportedArea& area : draft->areas) {
    for (const ImportedProblem& p : area.problems) EXPECT_GE(p.measure, 0) << p.text;
  }
}

TEST_F(ImporterFixtureTest, WindowsLineEndingsAndBomReadTheSame) {
  const std::string windows =
      absl::StrCat("\xEF\xBB\xBF", absl::StrReplaceAll(text_, {{"\n", "\r\n"}}));
  auto unix_draft = ParseReviewDocument(text_);
  auto windows_draft = ParseReviewDocument(windows);
  ASSERT_TRUE(unix_draft.ok()) << unix_draft.status();
  ASSERT_TRUE(windows_draft.ok()) << windows_draft.status();
  EXPECT_EQ(Dump(*windows_draft), Dump(*unix_draft));
}

// ---- documents written for each style ----

TEST(ImporterDocumentTest, ParenthesisedAreasWithNumberedProblems) {
  auto draft = ParseReviewDocument(DataFile("paren-areas.txt"));
  ASSERT_TRUE(draft.ok()) << draft.status();
  SCOPED_TRACE(Dump(*draft));
  EXPECT_EQ(draft->title, "某某党支部专题组织生活会对照检查材料");
  EXPECT_THAT(AreaNames(*draft), ElementsAre("在政治理论学习方面", "在担当作为方面"));
  EXPECT_THAT(ProblemCounts(*draft), ElementsAre(2, 3));
  EXPECT_EQ(draft->areas[0].problems[0].text,
            "学习系统性不够。满足于读原文、听报告，对新思想的核心要义钻研不深。");
  EXPECT_EQ(draft->areas[0].problems[0].where.line, 8);
  EXPECT_EQ(draft->areas[0].problems[0].where.column, 4);  // after "1. "
  EXPECT_THAT(Titles(draft->causes),
              ElementsAre("理想信念有所松懈", "宗旨意识有所淡化", "纪律规矩意识不强"));
  ASSERT_EQ(draft->measures.size(), 3u);
  EXPECT_THAT(draft->measures[1].text, StartsWith("强化担当作为，对信访积案实行领导包案"));
  // Nothing from the background section or the preamble.
  EXPECT_EQ(draft->ProblemCount(), 5);
}

TEST(ImporterDocumentTest, UnrecognisedSectionIsReportedNotDropped) {
  auto draft = ParseReviewDocument(DataFile("paren-areas.txt"));
  ASSERT_TRUE(draft.ok()) << draft.status();
  SCOPED_TRACE(Dump(*draft));
  ASSERT_EQ(draft->unrecognised.size(), 1u);
  EXPECT_EQ(draft->unrecognised[0].heading, "五、联系人及联系方式");
  EXPECT_EQ(draft->unrecognised[0].where.line, 22);
  EXPECT_THAT(Kinds(*draft),
              ElementsAre(SectionKind::kBackground, SectionKind::kProblems, SectionKind::kCauses,
                          SectionKind::kMeasures, SectionKind::kUnrecognised));
}

TEST(ImporterDocumentTest, MarkdownHeadingsBulletsAndBold) {
  auto draft = ParseReviewDocument(DataFile("markdown.md"));
  ASSERT_TRUE(draft.ok()) << draft.status();
  SCOPED_TRACE(Dump(*draft));
  EXPECT_EQ(draft->title, "机关第二党支部组织生活会检视剖析材料");
  EXPECT_THAT(AreaNames(*draft), ElementsAre("在学习贯彻方面", "在服务群众方面"));
  EXPECT_THAT(ProblemCounts(*draft), ElementsAre(2, 2));
  EXPECT_EQ(draft->areas[0].problems[0].text,
            "学习不够深入。对党的创新理论学得不深不透，满足于一般性了解。");
  EXPECT_THAT(Titles(draft->causes), ElementsAre("理论武装不够强", "宗旨意识有所淡化"));
  EXPECT_THAT(Titles(draft->measures),
              ElementsAre("加强理论学习", "改进服务群众方式，建立群众诉求台账，做到件件有回音"));
  ASSERT_EQ(draft->unrecognised.size(), 1u);
  EXPECT_EQ(draft->unrecognised[0].heading, "四、其他事项");
  // 服务群众 problems go to the measure about 群众.
  for (const ImportedProblem& p : draft->areas[1].problems) EXPECT_EQ(p.measure, 1);
}

TEST(ImporterDocumentTest, HalfWidthPunctuationAndInlineEnumerationFamilies) {
  auto draft = ParseReviewDocument(DataFile("halfwidth-mixed.txt"));
  ASSERT_TRUE(draft.ok()) << draft.status();
  SCOPED_TRACE(Dump(*draft));
  EXPECT_THAT(AreaNames(*draft), ElementsAre("在理论学习方面", "在作风建设方面", "在纪律建设方面"));
  EXPECT_THAT(ProblemCounts(*draft), ElementsAre(3, 3, 3));
  EXPECT_EQ(draft->areas[0].problems[0].text, "学习不够系统,碎片化现象突出");
  EXPECT_EQ(draft->areas[1].problems[1].text, "联系群众不够紧密");
  EXPECT_EQ(draft->areas[1].problems[2].text, "落实制度不够严格.");
  EXPECT_EQ(draft->areas[2].problems[2].text, "警示教育针对性不强。");
  EXPECT_THAT(Titles(draft->causes),
              ElementsAre("理论学习抓得不紧", "宗旨意识树得不牢", "纪律意识不够强"));
  EXPECT_THAT(Titles(draft->measures), ElementsAre("加强学习", "改进作风", "严明纪律"));
}

TEST(ImporterDocumentTest, UnnumberedHeadingsAndParagraphEnumerations) {
  auto draft = ParseReviewDocument(DataFile("plain-headings.txt"));
  ASSERT_TRUE(draft.ok()) << draft.status();
  SCOPED_TRACE(Dump(*draft));
  EXPECT_THAT(AreaNames(*draft), ElementsAre("在思想认识方面", "在工作作风方面"));
  EXPECT_THAT(ProblemCounts(*draft), ElementsAre(2, 3));
  EXPECT_EQ(draft->areas[1].problems[0].text, "调查研究不够深入");
  EXPECT_EQ(draft->causes.size(), 3u);
  EXPECT_EQ(draft->causes[2].text, "纪律要求不够严格。");
  EXPECT_EQ(draft->measures.size(), 4u);
  EXPECT_EQ(draft->measures[3].text, "自觉接受党员群众监督。");
  EXPECT_EQ(draft->title, "");  // "存在的问题" is a section, not a title
}

TEST(ImporterDocumentTest, ItemsThatNameNoAreaShareOneNamedAfterTheSection) {
  auto draft = ParseReviewDocument(DataFile("flat-list.txt"));
  ASSERT_TRUE(draft.ok()) << draft.status();
  SCOPED_TRACE(Dump(*draft));
  EXPECT_THAT(AreaNames(*draft), ElementsAre("问题清单", "在组织生活方面"));
  EXPECT_THAT(ProblemCounts(*draft), ElementsAre(2, 1));
  EXPECT_EQ(draft->areas[0].problems[0].text, "理论学习不够深入系统。");
  EXPECT_EQ(draft->areas[1].problems[0].text, "三会一课质量不高。");
  EXPECT_EQ(draft->measures.size(), 3u);  // 1.1 1.2 1.3
  // Each problem finds its own measure by shared words.
  EXPECT_EQ(draft->areas[0].problems[0].measure, 0);
  EXPECT_EQ(draft->areas[0].problems[1].measure, 1);
  EXPECT_EQ(draft->areas[1].problems[0].measure, 2);
  EXPECT_THAT(draft->warnings, Not(IsEmpty()));  // no causes section
}

TEST(ImporterDocumentTest, DocumentWithoutProblemsSectionListsWhatItFound) {
  auto draft = ParseReviewDocument(DataFile("no-problems.txt"));
  ASSERT_FALSE(draft.ok());
  EXPECT_EQ(draft.status().code(), absl::StatusCode::kInvalidArgument);
  const std::string message(draft.status().message());
  EXPECT_THAT(message, HasSubstr("未找到问题部分"));
  EXPECT_THAT(message, HasSubstr("no problems section"));
  EXPECT_THAT(message, HasSubstr("第 1 行“一、基本情况”（背景，已跳过）"));
  EXPECT_THAT(message, HasSubstr("第 3 行“二、原因分析”（原因）"));
  EXPECT_THAT(message, HasSubstr("line 5 \"三、整改措施\" (measures)"));
}

TEST(ImporterDocumentTest, DocumentWithNoHeadingsAtAllSaysSo) {
  auto draft = ParseReviewDocument("今天天气很好。\n我们开了一个会。\n");
  ASSERT_FALSE(draft.ok());
  EXPECT_EQ(draft.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(draft.status().message()), HasSubstr("没有可识别的小标题"));
}

TEST(ImporterDocumentTest, ProblemsSectionWithNothingInItIsAnError) {
  auto draft = ParseReviewDocument("一、存在的问题\n二、整改措施\n1. 加强学习。\n");
  ASSERT_FALSE(draft.ok());
  EXPECT_EQ(draft.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(draft.status().message()),
              HasSubstr("第 1 行的问题部分没有列出任何问题"));
}

// ---- structures ----

TEST(ImporterStructureTest, IntroductionBeforeTheItemsIsNotAProblem) {
  auto draft = ParseReviewDocument(
      "二、存在的问题\n对照党章党规，查摆出以下问题：\n1、在学习方面。一是学得不深。二是用得不够。"
      "\n"
      "三、整改措施\n经研究，提出以下措施。\n1. 加强学习。\n");
  ASSERT_TRUE(draft.ok()) << draft.status();
  SCOPED_TRACE(Dump(*draft));
  EXPECT_THAT(ProblemCounts(*draft), ElementsAre(2));
  ASSERT_EQ(draft->measures.size(), 1u);
  // The introduction ending in "：" is silent; the one ending in "。" might hold content.
  EXPECT_THAT(draft->warnings, Contains(HasSubstr("第 5 行：编号条目之前的段落未导入")));
  EXPECT_THAT(draft->warnings, Not(Contains(HasSubstr("第 2 行"))));
}

TEST(ImporterStructureTest, TextAfterTheSectionHeadingIsRead) {
  auto draft = ParseReviewDocument(
      "一、存在的问题：一是学习不深；二是作风不实。\n二、整改措施：首先，加强学习；其次，转变作风。"
      "\n");
  ASSERT_TRUE(draft.ok()) << draft.status();
  SCOPED_TRACE(Dump(*draft));
  EXPECT_THAT(AreaNames(*draft), ElementsAre("存在的问题"));
  EXPECT_THAT(ProblemCounts(*draft), ElementsAre(2));
  EXPECT_EQ(draft->areas[0].problems[1].text, "作风不实。");
  EXPECT_EQ(draft->measures.size(), 2u);
}

TEST(ImporterStructureTest, SectionsNestedUnderAnUnrecognisedOrBackgroundHeadingAreFound) {
  for (const char* outer : {"一、对照检查", "一、对照检查情况"}) {
    SCOPED_TRACE(outer);
    auto draft = ParseReviewDocument(absl::StrCat(
        outer,
        "\n（一）存在的问题\n1. 学习不深。\n2. 作风不实。\n（二）原因剖析\n1. 理论武装不够。\n",
        "二、整改措施\n（一）加强学习\n（二）转变作风\n三、其他事项\n略。\n"));
    ASSERT_TRUE(draft.ok()) << draft.status();
    SCOPED_TRACE(Dump(*draft));
    EXPECT_EQ(draft->ProblemCount(), 2);
    EXPECT_EQ(draft->causes.size(), 1u);
    // The measures' own "（一）" items are measures, not sections.
    EXPECT_THAT(Titles(draft->measures), ElementsAre("加强学习", "转变作风"));
    EXPECT_THAT(Kinds(*draft), ElementsAre(SectionKind::kProblems, SectionKind::kCauses,
                                           SectionKind::kMeasures, SectionKind::kUnrecognised));
  }
}

TEST(ImporterStructureTest, EnumerationLinesUnderAnAreaHeadingAreItsProblems) {
  auto draft = ParseReviewDocument(
      "一、存在问题\n（一）在学习方面\n一是学得不深。\n二是用得不够。\n（二）在作风方面\n"
      "首先，调研不深入。\n其次，联系不紧密。\n");
  ASSERT_TRUE(draft.ok()) << draft.status();
  SCOPED_TRACE(Dump(*draft));
  EXPECT_THAT(AreaNames(*draft), ElementsAre("在学习方面", "在作风方面"));
  EXPECT_THAT(ProblemCounts(*draft), ElementsAre(2, 2));
  EXPECT_EQ(draft->areas[0].problems[1].text, "用得不够。");
  EXPECT_EQ(draft->areas[1].problems[0].text, "调研不深入。");
  EXPECT_EQ(draft->areas[1].problems[0].where.line, 6);
}

TEST(ImporterStructureTest, ALineCutAfterACommaContinuesOnTheNext) {
  auto draft = ParseReviewDocument("存在问题\n1. 学习不深，\n运用不够。\n2. 作风不实。\n");
  ASSERT_TRUE(draft.ok()) << draft.status();
  SCOPED_TRACE(Dump(*draft));
  EXPECT_THAT(ProblemCounts(*draft), ElementsAre(2));
  EXPECT_EQ(draft->areas[0].problems[0].text, "学习不深，运用不够。");
}

TEST(ImporterStructureTest, OverlongAreaNameIsCutToTheApiLimitWithAWarning) {
  const std::string name(3 * 150, 'a');  // 450 ASCII letters, no punctuation
  auto draft = ParseReviewDocument(absl::StrCat("一、存在问题\n（一）", name, "\n1. 学习不深。\n"));
  ASSERT_TRUE(draft.ok()) << draft.status();
  ASSERT_EQ(draft->areas.size(), 1u);
  EXPECT_EQ(draft->areas[0].name, absl::StrCat(std::string(kMaxImportedAreaChars - 1, 'a'), "…"));
  EXPECT_THAT(draft->warnings, Contains(HasSubstr("方面名称超过 100 字")));
}

}  // namespace
}  // namespace rectify
