// The importer's reading of numbering, enumerations and section headings, one rule at a time.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/importer/internal/numbering.h"
#include "services/importer/internal/section_headings.h"
#include "services/importer/review_document.h"

namespace rectify {
namespace importer_internal {
namespace {

using ::testing::ElementsAre;

struct MarkerCase {
  const char* line;
  MarkerKind kind;
  int ordinal;
  const char* rest;  // the text after the marker
};

TEST(ImporterMarkerTest, RecognisesEveryNumberingStyle) {
  const MarkerCase cases[] = {
      {"一、存在的问题", MarkerKind::kHan, 1, "存在的问题"},
      {"十二、其他", MarkerKind::kHan, 12, "其他"},
      {"三．原因", MarkerKind::kHan, 3, "原因"},
      {"二. 存在问题", MarkerKind::kHan, 2, "存在问题"},
      {"（一）在学习方面", MarkerKind::kHanParen, 1, "在学习方面"},
      {"(二)在作风方面", MarkerKind::kHanParen, 2, "在作风方面"},
      {"（三)混用括号", MarkerKind::kHanParen, 3, "混用括号"},
      {"1、学习不够", MarkerKind::kArabic, 1, "学习不够"},
      {"2. 学习不够", MarkerKind::kArabic, 2, "学习不够"},
      {"3．学习不够", MarkerKind::kArabic, 3, "学习不够"},
      {"１２、全角数字", MarkerKind::kArabic, 12, "全角数字"},
      {"（1）具体表现", MarkerKind::kArabicParen, 1, "具体表现"},
      {"(2) 具体表现", MarkerKind::kArabicParen, 2, "具体表现"},
      {"3）具体表现", MarkerKind::kArabicParen, 3, "具体表现"},
      {"①加强学习", MarkerKind::kCircled, 1, "加强学习"},
      {"⑩ 加强学习", MarkerKind::kCircled, 10, "加强学习"},
      {"- 列表项", MarkerKind::kBullet, 0, "列表项"},
      {"* 列表项", MarkerKind::kBullet, 0, "列表项"},
      {"• 列表项", MarkerKind::kBullet, 0, "列表项"},
      {"- 1. 列表里的编号", MarkerKind::kArabic, 1, "列表里的编号"},
  };
  for (const MarkerCase& c : cases) {
    SCOPED_TRACE(c.line);
    const LeadingMarker m = ParseLeadingMarker(c.line);
    EXPECT_EQ(m.kind, c.kind);
    EXPECT_EQ(m.ordinal, c.ordinal);
    EXPECT_EQ(absl::string_view(c.line).substr(m.length), c.rest);
  }
}

TEST(ImporterMarkerTest, DottedNumbersAreDeeperLevels) {
  const LeadingMarker m = ParseLeadingMarker("1.2 加强学习");
  EXPECT_EQ(m.kind, MarkerKind::kArabic);
  EXPECT_EQ(m.level, 2);
  EXPECT_EQ(ParseLeadingMarker("1.2.3、加强学习").level, 3);
}

TEST(ImporterMarkerTest, EnumerationWordsOpenALineButStayInTheText) {
  for (const char* line : {"一是理论武装不够强。", "首先，加强学习。", "第一，加强学习。",
                           "第二是加强学习。", "其一，加强学习。", "最后，加强学习。"}) {
    SCOPED_TRACE(line);
    const LeadingMarker m = ParseLeadingMarker(line);
    EXPECT_EQ(m.kind, MarkerKind::kEnumLead);
    EXPECT_EQ(m.length, 0u);
  }
}

TEST(ImporterMarkerTest, OrdinaryTextIsNotNumbered) {
  for (const char* line :
       {"一些同志认为", "十分重要", "2021年是建党百年", "2021.12.31 前完成", "1.5万元", "三.5",
        "**加粗**", "-1 度", "第一书记", "最后一公里", "统一是前提", "（注）说明", "(a) 字母"}) {
    SCOPED_TRACE(line);
    const LeadingMarker m = ParseLeadingMarker(line);
    EXPECT_TRUE(m.kind == MarkerKind::kNone) << static_cast<int>(m.kind);
  }
}

TEST(ImporterHanNumberTest, ReadsOneToNinetyNine) {
  size_t length = 0;
  EXPECT_EQ(ParseHanNumber("一", &length), 1);
  EXPECT_EQ(ParseHanNumber("十", &length), 10);
  EXPECT_EQ(ParseHanNumber("十一、", &length), 11);
  EXPECT_EQ(length, 6u);
  EXPECT_EQ(ParseHanNumber("二十", &length), 20);
  EXPECT_EQ(ParseHanNumber("九十九", &length), 99);
  EXPECT_EQ(ParseHanNumber("甲", &length), 0);
}

std::vector<std::string> Items(absl::string_view text) {
  const Enumeration e = FindEnumeration(text);
  std::vector<std::string> items;
  for (size_t i = 0; i < e.markers.size(); ++i) {
    items.emplace_back(EnumerationItem(text, e, i));
  }
  return items;
}

TEST(ImporterEnumerationTest, SplitsOneShiTwoShi) {
  EXPECT_THAT(Items("在学习方面。一是学得不深。二是用得不够；三是转化不好。"),
              ElementsAre("学得不深。", "用得不够", "转化不好。"));
}

TEST(ImporterEnumerationTest, SplitsFirstlySecondlyLastly) {
  EXPECT_THAT(Items("首先，学习要深入；其次，工作要落实；再次，作风要转变；最后，纪律要严明。"),
              ElementsAre("学习要深入", "工作要落实", "作风要转变", "纪律要严明。"));
}

TEST(ImporterEnumerationTest, SplitsOrdinalsFollowedByCommaPauseOrShi) {
  EXPECT_THAT(Items("第一，学习。第二、工作。第三是作风。"),
              ElementsAre("学习。", "工作。", "作风。"));
  EXPECT_THAT(Items("其一，学习；其二，工作。"), ElementsAre("学习", "工作。"));
}

TEST(ImporterEnumerationTest, NeedsTwoMembersAndAClauseBoundary) {
  EXPECT_THAT(Items("一是只有一项。"), ElementsAre());
  EXPECT_THAT(Items("统一是前提，唯一是目标。"), ElementsAre());
  EXPECT_THAT(Items("正如“一是一，二是二”所说。"), ElementsAre());
  EXPECT_THAT(Items("第一书记和第二书记都到了。"), ElementsAre());
  EXPECT_THAT(Items("打通最后一公里，首先要调研。"), ElementsAre());
}

TEST(ImporterEnumerationTest, ToleratesASkippedNumberAndReportsIt) {
  const std::string text = "一是学习。二是工作。四是作风。五是纪律。";
  const Enumeration e = FindEnumeration(text);
  EXPECT_EQ(e.markers.size(), 4u);
  EXPECT_THAT(e.gaps, ElementsAre(3));
}

TEST(ImporterEnumerationTest, OuterEnumerationWinsOverANestedOne) {
  EXPECT_THAT(Items("一是学习，首先读原著，其次谈体会。二是工作。"),
              ElementsAre("学习，首先读原著，其次谈体会。", "工作。"));
}

TEST(ImporterEnumerationTest, LeadWordLength) {
  EXPECT_EQ(EnumerationLeadLength("一是理论武装不够强"), std::string("一是").size());
  EXPECT_EQ(EnumerationLeadLength("首先，加强学习"), std::string("首先，").size());
  EXPECT_EQ(EnumerationLeadLength("加强学习"), 0u);
}

TEST(ImporterHeadingTest, NumberedHeadingVariantsAreRecognisedByTheirLastKeyword) {
  struct Case {
    const char* heading;
    SectionKind kind;
  };
  const Case cases[] = {
      {"存在的问题和不足", SectionKind::kProblems},
      {"存在问题", SectionKind::kProblems},
      {"主要问题", SectionKind::kProblems},
      {"问题清单", SectionKind::kProblems},
      {"存在的主要问题", SectionKind::kProblems},
      {"对照检查查摆的问题", SectionKind::kProblems},
      {"问题根源剖析", SectionKind::kCauses},
      {"原因分析", SectionKind::kCauses},
      {"问题产生的原因", SectionKind::kCauses},
      {"产生问题的原因", SectionKind::kCauses},
      {"根源剖析", SectionKind::kCauses},
      {"今后努力方向", SectionKind::kMeasures},
      {"整改措施", SectionKind::kMeasures},
      {"整改方向", SectionKind::kMeasures},
      {"下一步打算", SectionKind::kMeasures},
      {"努力方向", SectionKind::kMeasures},
      {"下一步工作打算和整改措施", SectionKind::kMeasures},
      {"党史学习教育活动开展情况", SectionKind::kBackground},
      {"基本情况", SectionKind::kBackground},
      {"上年度问题整改落实情况", SectionKind::kBackground},
      {"存 在 的 问 题：", SectionKind::kProblems},
      {"**存在的问题**", SectionKind::kProblems},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.heading);
    const absl::optional<SectionKind> kind = KeywordSectionHeading(c.heading);
    ASSERT_TRUE(kind.has_value());
    EXPECT_EQ(*kind, c.kind);
  }
}

TEST(ImporterHeadingTest, AreasAndSentencesAreNotSections) {
  for (const char* heading : {"在联系服务群众方面", "在贯彻执行整改措施方面", "其他事项",
                              "联系人及联系方式", "问题的提出与讨论过程的详细记录和说明"}) {
    SCOPED_TRACE(heading);
    EXPECT_FALSE(KeywordSectionHeading(heading).has_value());
  }
}

TEST(ImporterHeadingTest, UnnumberedLinesMustMatchExactly) {
  EXPECT_EQ(ExactSectionHeading("存在的问题："), SectionKind::kProblems);
  EXPECT_EQ(ExactSectionHeading("【问题产生的原因】"), SectionKind::kCauses);
  EXPECT_EQ(ExactSectionHeading("下一步打算"), SectionKind::kMeasures);
  EXPECT_FALSE(ExactSectionHeading("思想上有差距").has_value());
  EXPECT_FALSE(ExactSectionHeading("存在问题较多，需要整改").has_value());
}

TEST(ImporterHeadingTest, SplitsAHeadingFromTheTextAfterIt) {
  const std::string text = "存在的问题：经过查摆，主要有以下方面";
  const HeadingSplit split = SplitHeading(text);
  EXPECT_EQ(split.heading, "存在的问题");
  EXPECT_EQ(absl::string_view(text).substr(split.rest_offset), "经过查摆，主要有以下方面");
  EXPECT_EQ(SplitHeading("整改措施").rest_offset, absl::string_view::npos);
}

// Every heading variant, numbered and unnumbered, in a whole document.
TEST(ImporterHeadingTest, EveryVariantWorksInADocument) {
  const char* problems[] = {"存在的问题和不足", "存在问题", "主要问题", "问题清单",
                            "存在的主要问题"};
  const char* causes[] = {"问题根源剖析", "原因分析", "问题产生的原因", "产生问题的原因",
                          "根源剖析"};
  const char* measures[] = {"今后努力方向", "整改措施", "整改方向", "下一步打算", "努力方向"};
  for (int i = 0; i < 5; ++i) {
    for (const bool numbered : {true, false}) {
      const std::string doc = absl::StrCat(
          numbered ? "一、" : "", problems[i], "\n1、在学习方面。一是学得不深。二是用得不够。\n",
          numbered ? "二、" : "", causes[i], "\n一是理论武装不够强。\n二是宗旨意识不牢。\n",
          numbered ? "三、" : "", measures[(i + 2) % 5], "\n1. 加强学习。\n2. 改进作风。\n");
      SCOPED_TRACE(doc);
      auto draft = ParseReviewDocument(doc);
      ASSERT_TRUE(draft.ok()) << draft.status();
      EXPECT_EQ(draft->ProblemCount(), 2);
      EXPECT_EQ(draft->causes.size(), 2u);
      EXPECT_EQ(draft->measures.size(), 2u);
      EXPECT_TRUE(draft->unrecognised.empty());
    }
  }
}

}  // namespace
}  // namespace importer_internal
}  // namespace rectify
