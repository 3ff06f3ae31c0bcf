#include <string>

#include "gtest/gtest.h"
#include "services/common/civil.h"
#include "services/common/labels.h"
#include "services/common/text.h"

namespace rectify {
namespace {

TEST(TextTest, Utf8ValidationRejectsMalformedInput) {
  EXPECT_TRUE(IsValidUtf8("整改台账 ok 😀"));
  EXPECT_FALSE(IsValidUtf8("\xC3\x28"));          // bad continuation
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE6\x95"));          // truncated
}

TEST(TextTest, FirstInvalidUtf8SaysWhereTheTextBreaks) {
  EXPECT_EQ(FirstInvalidUtf8("整改台账"), absl::string_view::npos);
  EXPECT_EQ(FirstInvalidUtf8(""), absl::string_view::npos);
  EXPECT_EQ(FirstInvalidUtf8("ab\xFF"
                             "cd"),
            2u);
  EXPECT_EQ(FirstInvalidUtf8("整\xE6\x94"), 3u);        // truncated sequence at the end
  EXPECT_EQ(FirstInvalidUtf8("a\xC0\xAF"), 1u);         // overlong "/"
  EXPECT_EQ(FirstInvalidUtf8("x\xED\xA0\x80y"), 1u);    // UTF-16 surrogate
  EXPECT_EQ(FirstInvalidUtf8("\xF4\x90\x80\x80"), 0u);  // past U+10FFFF
}

TEST(TextTest, LimitsCountCharactersNotBytes) {
  EXPECT_EQ(CharCount("整改"), 2u);
  EXPECT_TRUE(CheckText("measure", "整改", 1, 2).ok());
  auto too_long = CheckText("measure", "整改措施", 1, 3);
  EXPECT_EQ(too_long.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(too_long.message().find("measure"), absl::string_view::npos);
}

TEST(TextTest, BlankNulAndControlCharactersAreRefused) {
  EXPECT_EQ(CheckText("text", "   ", 1, 10).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckText("text", std::string("a\0b", 3), 1, 10).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckText("name", "a\nb", 1, 10, /*multiline=*/false).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(CheckText("text", "a\nb", 1, 10).ok());
}

TEST(TextTest, DisplayWidthCountsCjkAsTwoColumns) {
  EXPECT_EQ(DisplayWidth("abc"), 3);
  EXPECT_EQ(DisplayWidth("整改中"), 6);
  EXPECT_EQ(DisplayWidth("（一）"), 6);
  EXPECT_EQ(PadRight("整改", 6), "整改  ");
  EXPECT_EQ(DisplayWidth(TruncateToWidth("在联系服务群众方面", 7)), 7);
  EXPECT_EQ(TruncateToWidth("在联系服务群众方面", 7), "在联系…");
}

TEST(CivilTest, ParsesRealDatesOnly) {
  auto d = ParseDay("deadline", "2021-12-31");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(FormatDay(*d), "2021-12-31");
  EXPECT_FALSE(ParseDay("deadline", "2021-02-30").ok());
  EXPECT_FALSE(ParseDay("deadline", "2021-1-3").ok());
  EXPECT_FALSE(ParseDay("deadline", "").ok());
  auto bad = ParseDay("deadline", "tomorrow");
  EXPECT_NE(bad.status().message().find("deadline"), absl::string_view::npos);
}

TEST(CivilTest, DueDateIsOverdueFromNextLocalMidnight) {
  auto tz = LoadZone("Asia/Shanghai");
  ASSERT_TRUE(tz.ok());
  absl::Time from = OverdueFrom(absl::CivilDay(2021, 12, 31), *tz);
  // 2022-01-01 00:00 +08:00 is 2021-12-31 16:00 UTC.
  EXPECT_EQ(from, absl::FromCivil(absl::CivilSecond(2021, 12, 31, 16, 0, 0), absl::UTCTimeZone()));
}

TEST(LabelsTest, StatesHaveChineseAndEnglishLabels) {
  EXPECT_STREQ(TaskStatusLabel(1), "待整改");
  EXPECT_STREQ(TaskStatusLabel(4), "已销号");
  EXPECT_STREQ(TaskStatusLabel(4, Lang::kEn), "closed");
  EXPECT_STREQ(LightLabel(3), "红灯");
  EXPECT_STREQ(TaskStatusLabel(99), "未知");
  EXPECT_EQ(ParseTaskStatus("in-progress"), 2);
  EXPECT_EQ(ParseTaskStatus("待验收"), 3);
  EXPECT_EQ(ParseTaskStatus("bogus"), 0);
}

TEST(LabelsTest, APersonUrgingIsNotTheSchedulersEscalation) {
  // docs/design.md: supervisors urge (催办); the scheduler escalates (督办). Events must not mix
  // them up.
  EXPECT_STREQ(EventKindLabel(8), "催办");
  EXPECT_STREQ(EventKindLabel(8, Lang::kEn), "urged");
  EXPECT_STREQ(EscalationLabel(1), "一级督办");
  EXPECT_STRNE(EventKindLabel(8), EscalationLabel(1));
}

}  // namespace
}  // namespace rectify
