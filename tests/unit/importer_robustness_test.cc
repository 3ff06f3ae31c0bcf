// The importer on input that is not a well-formed report: it answers with a clear error or a
// draft, never a crash, a hang or quadratic time.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/importer/measure_linker.h"
#include "services/importer/review_document.h"

namespace rectify {
namespace {

using ::testing::HasSubstr;

// The code and both halves of the bilingual message of a refused document.
void ExpectRefused(absl::string_view input, absl::string_view zh, absl::string_view en) {
  auto draft = ParseReviewDocument(input);
  ASSERT_FALSE(draft.ok());
  EXPECT_EQ(draft.status().code(), absl::StatusCode::kInvalidArgument);
  const std::string message(draft.status().message());
  EXPECT_THAT(message, HasSubstr("document"));
  EXPECT_THAT(message, HasSubstr(zh));
  EXPECT_THAT(message, HasSubstr(en));
}

const char kSmallReport[] =
    "一、存在的问题\n1、在学习方面。一是学得不深。二是用得不够。\n二、整改措施\n1. 加强学习。\n";

TEST(ImporterInputTest, EmptyAndBlankDocumentsAreRefused) {
  ExpectRefused("", "文档为空", "empty");
  ExpectRefused(" \n\r\n\t　\n", "文档为空", "empty");
  ExpectRefused("\xEF\xBB\xBF", "文档为空", "empty");
}

TEST(ImporterInputTest, InvalidUtf8IsRefusedNamingTheLineAndGbk) {
  // "存在问题" in GBK on line 2.
  ExpectRefused("标题\n\xB4\xE6\xD4\xDA\xCE\xCA\xCC\xE2\n", "第 2 行", "GBK");
  ExpectRefused("\xC0\xAF", "UTF-8", "not valid UTF-8");          // overlong
  ExpectRefused("\xED\xA0\x80", "UTF-8", "not valid UTF-8");      // surrogate
  ExpectRefused("整改\xE6\x95", "UTF-8", "not valid UTF-8");      // truncated
  ExpectRefused("\xF0\x8F\xBF\xBF", "UTF-8", "not valid UTF-8");  // overlong, 4 bytes
}

TEST(ImporterInputTest, FourByteCharactersAreValidText) {
  // U+20000 (CJK extension B) in a name, and an emoji.
  auto draft = ParseReviewDocument(
      "一、存在的问题\n1、在\xF0\xA0\x80\x80字方面。一是学得不深😀。二是用得不够。\n");
  ASSERT_TRUE(draft.ok()) << draft.status();
  EXPECT_EQ(draft->areas[0].name, "在\xF0\xA0\x80\x80字方面");
  EXPECT_EQ(draft->areas[0].problems[0].text, "学得不深😀。");
}

TEST(ImporterInputTest, BinaryAndWordFilesAreRefusedAsNotText) {
  ExpectRefused(std::string("abc\0def", 7), "空字节", "NUL");
  ExpectRefused("\xFF\xFE\x00\x4E", "UTF-16", "UTF-16");
  ExpectRefused("PK\x03\x04\x14\x00\x06\x00", "Word", "Word");
  ExpectRefused("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "Word", "Word");
  ExpectRefused("%PDF-1.7\n", "PDF", "PDF");
  ExpectRefused(std::string(200, '\x01'), "控制字符", "control characters");
}

TEST(ImporterInputTest, AFewStrayControlCharactersAreReadAsSpacesWithAWarning) {
  std::string text = kSmallReport;
  text.insert(text.find("一是"), "\x0B");  // Word's manual line break
  auto draft = ParseReviewDocument(text);
  ASSERT_TRUE(draft.ok()) << draft.status();
  EXPECT_EQ(draft->ProblemCount(), 2);
  ASSERT_FALSE(draft->warnings.empty());
  EXPECT_THAT(draft->warnings[0], HasSubstr("控制字符"));
}

TEST(ImporterInputTest, DocumentsOverTwoMebibytesAreRefused) {
  std::string text = kSmallReport;
  text.append(kMaxReviewDocumentBytes, 'a');
  ExpectRefused(text, "上限为 2 MiB", "too large");
}

TEST(ImporterInputTest, MoreThanFiveHundredProblemsIsRefused) {
  std::string text = "一、问题清单\n";
  for (int i = 1; i <= kMaxImportedProblems + 1; ++i) {
    absl::StrAppend(&text, i, ". 第", i, "个问题的描述。\n");
  }
  ExpectRefused(text, "问题超过 500 条上限", "more than 500 problems");
}

TEST(ImporterInputTest, ExactlyFiveHundredProblemsAreAccepted) {
  std::string text = "一、问题清单\n";
  for (int i = 1; i <= kMaxImportedProblems; ++i) absl::StrAppend(&text, i, ". 问题。\n");
  auto draft = ParseReviewDocument(text);
  ASSERT_TRUE(draft.ok()) << draft.status();
  EXPECT_EQ(draft->ProblemCount(), kMaxImportedProblems);
  EXPECT_EQ(draft->areas.back().problems.back().number, kMaxImportedProblems);
}

TEST(ImporterInputTest, TooManyLinesIsRefused) {
  std::string text = kSmallReport;
  for (int i = 0; i <= kMaxReviewDocumentLines; ++i) text += "x\n";
  ExpectRefused(text, "行上限", "lines");
}

double SecondsToParse(const std::string& text, absl::StatusOr<ReviewDraft>* out) {
  const auto start = std::chrono::steady_clock::now();
  *out = ParseReviewDocument(text);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(ImporterLongTextTest, HundredThousandCharacterParagraphIsParsedQuickly) {
  std::string paragraph = "1、在学习方面。一是";
  for (int i = 0; i < 100000; ++i) paragraph += "学";
  paragraph += "。二是用得不够。";
  const std::string text =
      absl::StrCat("一、存在的问题\n", paragraph, "\n二、整改措施\n1. 加强学习。\n");
  absl::StatusOr<ReviewDraft> draft;
  EXPECT_LT(SecondsToParse(text, &draft), 2.0);
  ASSERT_TRUE(draft.ok()) << draft.status();
  ASSERT_EQ(draft->ProblemCount(), 2);
  EXPECT_EQ(draft->areas[0].problems[1].text, "用得不够。");
  EXPECT_EQ(draft->areas[0].problems[1].where.line, 2);
  // After "1、", "在学习方面。", "一是", 100000 characters, "。" and "二是".
  EXPECT_EQ(draft->areas[0].problems[1].where.column, 1 + 2 + 6 + 2 + 100000 + 1 + 2);
  // The 100k-character problem is over the API limit: imported, with a warning to shorten it.
  ASSERT_FALSE(draft->warnings.empty());
  EXPECT_THAT(draft->warnings[0], HasSubstr("2000"));
}

TEST(ImporterLongTextTest, ParagraphFullOfEnumerationWordsStaysLinear) {
  // Thousands of "一是" with no "二是": every chain attempt fails.
  std::string text = "一、存在的问题\n1、在学习方面。";
  for (int i = 0; i < 30000; ++i) text += "一是学。";
  text += "\n";
  absl::StatusOr<ReviewDraft> draft;
  EXPECT_LT(SecondsToParse(text, &draft), 2.0);
  ASSERT_TRUE(draft.ok()) << draft.status();
  EXPECT_EQ(draft->ProblemCount(), 1);
}

TEST(ImporterLongTextTest, ManyItemsOnOneHugeLineAreLocatedInLinearTime) {
  // Long lines between the markers: locating each item must not recount the line from its start.
  std::string text = "一、存在的问题\n1、在学习方面。";
  for (int i = 1; i <= 99; ++i) {
    const char* han[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九"};
    const std::string number = i < 10 ? han[i - 1]
                                      : absl::StrCat(i / 10 == 1 ? "" : han[i / 10 - 1], "十",
                                                     i % 10 ? han[i % 10 - 1] : "");
    absl::StrAppend(&text, number, "是", std::string(3 * 5000, 'x'), "。");
  }
  absl::StatusOr<ReviewDraft> draft;
  EXPECT_LT(SecondsToParse(text, &draft), 2.0);
  ASSERT_TRUE(draft.ok()) << draft.status();
  EXPECT_EQ(draft->ProblemCount(), 99);
}

TEST(ImporterLongTextTest, LongHardWrappedMarkdownParagraphIsJoined) {
  const std::string text =
      "## 存在问题\n"
      "- 学懂弄通上还有差距，在精读研读上下的功夫还不够，在从党史中汲取正反经验，不断增强看齐\n"
      "意识上还存在一定差距。\n"
      "- 学习方式还不够丰富。\n";
  auto draft = ParseReviewDocument(text);
  ASSERT_TRUE(draft.ok()) << draft.status();
  ASSERT_EQ(draft->ProblemCount(), 2);
  EXPECT_EQ(draft->areas[0].problems[0].text,
            "学懂弄通上还有差距，在精读研读上下的功夫还不够，在从党史中汲取正反经验，不断增强看齐"
            "意识上还存在一定差距。");
}

// Random documents made of report-like pieces: whatever comes out must be consistent.
TEST(ImporterFuzzTest, RandomReportShapedInputNeverBreaksTheDraftInvariants) {
  const std::vector<std::string> pieces = {
      "一、",       "二、",         "（一）",   "(2)",      "1、",        "2.",     "1.1 ",
      "①",          "- ",           "* ",       "# ",       "## ",        "**",     "一是",
      "二是",       "三是",         "首先，",   "其次，",   "最后，",     "第一，", "第二、",
      "存在的问题", "整改措施",     "原因分析", "基本情况", "在学习方面", "。",     "，",
      "：",         "；",           "\n",       "\n",       "\r\n",       "\n\n",   "　",
      " ",          "学习不够深入", "x",        "1.5",      "“",          "”",      "\t",
      "---\n",      "方面"};
  std::mt19937 rng(20211231);
  int drafts = 0;
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    const int n = 1 + static_cast<int>(rng() % 120);
    for (int k = 0; k < n; ++k) {
      // Often a real problems section somewhere, so that most inputs get past the section check
      // and exercise the extraction.
      if (rng() % (2 * n) == 0) text += "\n二、存在的问题\n1、在学习方面。一是";
      text += pieces[rng() % pieces.size()];
    }
    auto draft = ParseReviewDocument(text);
    if (!draft.ok()) {
      EXPECT_EQ(draft.status().code(), absl::StatusCode::kInvalidArgument) << text;
      continue;
    }
    ++drafts;
    int number = 0;
    const int lines = 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
    for (const ImportedArea& area : draft->areas) {
      EXPECT_FALSE(area.problems.empty()) << text;
      for (const ImportedProblem& p : area.problems) {
        EXPECT_EQ(p.number, ++number) << text;
        EXPECT_FALSE(p.text.empty()) << text;
        EXPECT_EQ(p.area, area.name) << text;
        EXPECT_GE(p.where.line, 1) << text;
        EXPECT_LE(p.where.line, lines + 1) << text;
        EXPECT_GE(p.where.column, 1) << text;
        EXPECT_LT(p.measure, static_cast<int>(draft->measures.size())) << text;
      }
    }
    ASSERT_FALSE(HasFailure()) << "input: " << text;
  }
  // The pieces must be report-like enough that many inputs get past the section checks.
  EXPECT_GT(drafts, 500);
}

TEST(ImporterFuzzTest, RandomBytesGiveAnErrorOrADraftNeverACrash) {
  std::mt19937 rng(7);
  for (int round = 0; round < 2000; ++round) {
    std::string bytes(1 + rng() % 400, '\0');
    for (char& c : bytes) c = static_cast<char>(rng() % 256);
    if (round % 2 == 0) bytes[0] = 'a';  // sometimes no NUL at the start
    auto draft = ParseReviewDocument(bytes);
    if (!draft.ok()) {
      EXPECT_EQ(draft.status().code(), absl::StatusCode::kInvalidArgument);
    }
  }
}

TEST(ImporterLinkerTest, NoOverlapLeavesUnlinkedWhateverTheCounts) {
  std::vector<ImportedArea> areas(2);
  areas[0].name = "甲";
  areas[0].problems.push_back({"甲", "毫无关联的内容", 1, -1, {}});
  areas[1].name = "乙";
  areas[1].problems.push_back({"乙", "同样无关", 2, -1, {}});
  std::vector<ImportedMeasure> measures(2);
  measures[0].text = "加强理论学习";
  measures[1].text = "改进工作作风";
  // No shared bigram, as many measures as areas: still unlinked (position is no evidence).
  EXPECT_THAT(LinkProblemsToMeasures(areas, measures), ::testing::ElementsAre(-1, -1));
  // No shared bigram and a different count: unlinked.
  measures.push_back({"严明纪律", "", {}});
  EXPECT_THAT(LinkProblemsToMeasures(areas, measures), ::testing::ElementsAre(-1, -1));
  // No measures at all.
  EXPECT_THAT(LinkProblemsToMeasures(areas, {}), ::testing::ElementsAre(-1, -1));
}

TEST(ImporterLinkerTest, SharedRareWordsBeatPosition) {
  std::vector<ImportedArea> areas(2);
  areas[0].name = "在作风方面";
  areas[0].problems.push_back({"在作风方面", "调查研究不深入，联系群众不紧密", 1, -1, {}});
  areas[1].name = "在学习方面";
  areas[1].problems.push_back({"在学习方面", "理论学习不系统", 2, -1, {}});
  std::vector<ImportedMeasure> measures(2);
  measures[0].text = "加强理论学习，制定学习计划";
  measures[1].text = "深入调查研究，密切联系群众";
  EXPECT_THAT(LinkProblemsToMeasures(areas, measures), ::testing::ElementsAre(1, 0));
}

}  // namespace
}  // namespace rectify
