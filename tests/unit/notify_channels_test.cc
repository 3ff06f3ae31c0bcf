// The notification channels' wire formats: the robots' JSON bytes, the DingTalk and Feishu
// signatures recomputed here with OpenSSL, splitting of long Chinese messages, redaction, the
// rate limiter. Sending through local receivers is in notify_channels_send_test.cc.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/common/text.h"
#include "services/notify/channels/channel.h"
#include "services/notify/channels/internal/answer.h"

namespace rectify::notify {
namespace {

using google::protobuf::Struct;

const absl::Time kNow = absl::FromUnixMillis(1764561056789);  // 2025-12-01T03:50:56.789Z

Struct ParseJson(const std::string& body) {
  Struct parsed;
  const auto status = google::protobuf::util::JsonStringToMessage(body, &parsed);
  EXPECT_TRUE(status.ok()) << status << "\n" << body;
  return parsed;
}

const google::protobuf::Value& Field(const Struct& s, const std::string& name) {
  static const google::protobuf::Value kMissing;
  auto it = s.fields().find(name);
  EXPECT_TRUE(it != s.fields().end()) << "missing field " << name;
  return it == s.fields().end() ? kMissing : it->second;
}

// Independent of the library: OpenSSL's HMAC and base64 straight.
std::string HmacBase64(const std::string& key, const std::string& message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length);
  unsigned char encoded[128];
  const int n = EVP_EncodeBlock(encoded, digest, static_cast<int>(length));
  return std::string(reinterpret_cast<char*>(encoded), static_cast<size_t>(n));
}

std::string PercentEncode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += absl::StrFormat("%%%02X", c);
    }
  }
  return out;
}

Message ShortMessage() {
  Message message;
  message.title = "【逾期】整改任务 12：消防通道堵塞";
  message.lines = {"责任单位：第一支部", "截止日期：2025-11-30", "已逾期 1 天"};
  message.link = "https://rectify.example/tasks/12";
  return message;
}

TEST(NotifyRobotFormatTest, WeComBodyIsExactMarkdownJson) {
  ChannelConfig channel;
  channel.kind = ChannelKind::kWeCom;
  channel.url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-1a2b";
  const std::vector<std::string> parts = RenderParts(channel, ShortMessage(), kNow);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(
      parts[0],
      R"({"msgtype":"markdown","markdown":{"content":"### 【逾期】整改任务 12：消防通道堵塞\n\n)"
      R"(责任单位：第一支部\n截止日期：2025-11-30\n已逾期 1 天\n\n)"
      R"j([详情 / Details](https://rectify.example/tasks/12)"}})j");
  EXPECT_TRUE(IsValidUtf8(parts[0]));
  const Struct body = ParseJson(parts[0]);
  EXPECT_EQ(Field(body, "msgtype").string_value(), "markdown");
  EXPECT_EQ(Field(Field(body, "markdown").struct_value(), "content").string_value(),
            "### 【逾期】整改任务 12：消防通道堵塞\n\n责任单位：第一支部\n截止日期：2025-11-30\n"
            "已逾期 1 天\n\n[详情 / Details](https://rectify.example/tasks/12)");
  // The URL is the webhook as configured: WeCom signs nothing.
  EXPECT_EQ(RequestUrl(channel, kNow), channel.url);
}

TEST(NotifyRobotFormatTest, DingTalkBodyIsExactMarkdownJsonAndUrlCarriesSignature) {
  ChannelConfig channel;
  channel.kind = ChannelKind::kDingTalk;
  channel.url = "https://oapi.dingtalk.com/robot/send?access_token=abcdef0123456789";
  channel.secret = "SEC0123456789abcdef0123456789abcdef";
  Message message = ShortMessage();
  message.lines.push_back(R"(含 "引号" 与 \ 反斜杠)");
  const std::vector<std::string> parts = RenderParts(channel, message, kNow);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0],
            R"({"msgtype":"markdown","markdown":{"title":"【逾期】整改任务 12：消防通道堵塞",)"
            R"("text":"### 【逾期】整改任务 12：消防通道堵塞\n\n责任单位：第一支部  \n)"
            R"(截止日期：2025-11-30  \n已逾期 1 天  \n含 \"引号\" 与 \\ 反斜杠\n\n)"
            R"j([详情 / Details](https://rectify.example/tasks/12)"}})j");
  EXPECT_TRUE(IsValidUtf8(parts[0]));
  const Struct markdown = Field(ParseJson(parts[0]), "markdown").struct_value();
  EXPECT_EQ(Field(markdown, "title").string_value(), message.title);
  EXPECT_TRUE(
      absl::StrContains(Field(markdown, "text").string_value(), R"(含 "引号" 与 \ 反斜杠)"));

  const std::string timestamp = "1764561056789";
  const std::string sign =
      PercentEncode(HmacBase64(channel.secret, timestamp + "\n" + channel.secret));
  EXPECT_EQ(RequestUrl(channel, kNow), channel.url + "&timestamp=" + timestamp + "&sign=" + sign);
}

TEST(NotifyRobotFormatTest, DingTalkWithoutSecretIsNotSigned) {
  ChannelConfig channel;
  channel.kind = ChannelKind::kDingTalk;
  channel.url = "https://oapi.dingtalk.com/robot/send?access_token=abcdef0123456789";
  EXPECT_EQ(RequestUrl(channel, kNow), channel.url);
}

TEST(NotifyRobotFormatTest, FeishuBodyIsExactTextJsonWithSignature) {
  ChannelConfig channel;
  channel.kind = ChannelKind::kFeishu;
  channel.url = "https://open.feishu.cn/open-apis/bot/v2/hook/8f3c2a1b-0000-4c4c-9d9d-1234567890ab";
  channel.secret = "feishu-signing-secret-XYZ";
  const std::vector<std::string> parts = RenderParts(channel, ShortMessage(), kNow);
  ASSERT_EQ(parts.size(), 1u);
  const std::string sign = HmacBase64("1764561056\n" + channel.secret, "");
  EXPECT_EQ(
      parts[0],
      absl::StrCat(R"({"timestamp":"1764561056","sign":")", sign,
                   R"(","msg_type":"text","content":{"text":"【逾期】整改任务 12：消防通道堵塞\n)"
                   R"(责任单位：第一支部\n截止日期：2025-11-30\n已逾期 1 天\n)"
                   R"(详情 / Details: https://rectify.example/tasks/12"}})"));
  const Struct body = ParseJson(parts[0]);
  EXPECT_EQ(Field(body, "timestamp").string_value(), "1764561056");
  EXPECT_EQ(Field(body, "sign").string_value(), sign);
  EXPECT_EQ(Field(body, "msg_type").string_value(), "text");
  // The Feishu URL carries no signature: it is in the body.
  EXPECT_EQ(RequestUrl(channel, kNow), channel.url);

  channel.secret.clear();
  const Struct unsigned_body = ParseJson(RenderParts(channel, ShortMessage(), kNow)[0]);
  EXPECT_EQ(unsigned_body.fields().count("sign"), 0u);
  EXPECT_EQ(unsigned_body.fields().count("timestamp"), 0u);
}

// The body text of a robot part, as the vendor will show it, and the lines it carries.
struct PartText {
  std::string title;
  std::vector<std::string> lines;
  size_t measured = 0;  // the bytes PartLimitBytes bounds
};

PartText ReadPart(ChannelKind kind, const std::string& body) {
  PartText part;
  const Struct parsed = ParseJson(body);
  std::string text;
  std::string separator = "\n";
  if (kind == ChannelKind::kFeishu) {
    text = Field(Field(parsed, "content").struct_value(), "text").string_value();
    part.measured = body.size();
    std::vector<std::string> lines = absl::StrSplit(text, '\n');
    part.title = lines.front();
    part.lines.assign(lines.begin() + 1, lines.end());
    return part;
  }
  const Struct markdown = Field(parsed, "markdown").struct_value();
  if (kind == ChannelKind::kWeCom) {
    text = Field(markdown, "content").string_value();
    part.measured = text.size();
  } else {
    text = Field(markdown, "text").string_value();
    part.measured = body.size();
    separator = "  \n";
  }
  const size_t heading_end = text.find("\n\n");
  part.title = text.substr(4, heading_end - 4);  // after "### "
  part.lines = absl::StrSplit(text.substr(heading_end + 2), separator);
  return part;
}

class NotifySplitTest : public ::testing::TestWithParam<ChannelKind> {};

TEST_P(NotifySplitTest, LongChineseMessageSplitsAtLinesWithinTheLimit) {
  ChannelConfig channel;
  channel.kind = GetParam();
  channel.url = "https://robot.example/hook?key=0123456789abcdef";
  Message message;
  message.title = "【每日汇总】第一支部 整改任务";
  for (int i = 1; i <= 400; ++i) {
    message.lines.push_back(absl::StrCat("任务 ", i, "：消防通道堵塞，责任人张三，截止 2025-12-0",
                                         i % 9 + 1, "，“已逾期”"));
  }
  const std::vector<std::string> parts = RenderParts(channel, message, kNow);
  ASSERT_GT(parts.size(), 1u);
  std::vector<std::string> lines;
  for (size_t k = 0; k < parts.size(); ++k) {
    SCOPED_TRACE(absl::StrCat("part ", k + 1));
    EXPECT_TRUE(IsValidUtf8(parts[k]));
    const PartText part = ReadPart(channel.kind, parts[k]);
    EXPECT_LE(part.measured, PartLimitBytes(channel.kind));
    EXPECT_EQ(part.title, absl::StrCat(message.title, " (", k + 1, "/", parts.size(), ")"));
    // Feishu puts the link on the last line of the text; this message has none.
    lines.insert(lines.end(), part.lines.begin(), part.lines.end());
  }
  EXPECT_EQ(lines, message.lines);

  // A resend a day later splits at the same lines (only signatures and dates change).
  const std::vector<std::string> later = RenderParts(channel, message, kNow + absl::Hours(25));
  ASSERT_EQ(later.size(), parts.size());
  for (size_t k = 0; k < parts.size(); ++k) {
    EXPECT_EQ(ReadPart(channel.kind, later[k]).lines, ReadPart(channel.kind, parts[k]).lines);
  }
}

TEST_P(NotifySplitTest, OverlongLineIsCutAtCharacterBoundaries) {
  ChannelConfig channel;
  channel.kind = GetParam();
  channel.url = "https://robot.example/hook?key=0123456789abcdef";
  Message message;
  message.title = "【督办】整改任务 7";
  std::string line;
  // A mix of 1-, 3- and 4-byte characters, so that no fixed cut lands on a boundary.
  while (line.size() < 3 * PartLimitBytes(channel.kind)) line += "整改a😀措施";
  message.lines = {"第一行", line, "最后一行"};
  const std::vector<std::string> parts = RenderParts(channel, message, kNow);
  ASSERT_GE(parts.size(), 4u);
  std::string joined;
  std::vector<std::string> all_lines;
  for (const std::string& body : parts) {
    const PartText part = ReadPart(channel.kind, body);
    EXPECT_LE(part.measured, PartLimitBytes(channel.kind));
    for (const std::string& piece : part.lines) {
      EXPECT_TRUE(IsValidUtf8(piece)) << piece.size();
      all_lines.push_back(piece);
    }
  }
  ASSERT_GE(all_lines.size(), 3u);
  EXPECT_EQ(all_lines.front(), "第一行");
  EXPECT_EQ(all_lines.back(), "最后一行");
  EXPECT_EQ(absl::StrJoin(all_lines.begin() + 1, all_lines.end() - 1, ""), line);
}

INSTANTIATE_TEST_SUITE_P(Robots, NotifySplitTest,
                         ::testing::Values(ChannelKind::kWeCom, ChannelKind::kDingTalk,
                                           ChannelKind::kFeishu),
                         [](const ::testing::TestParamInfo<ChannelKind>& info) {
                           switch (info.param) {
                             case ChannelKind::kWeCom:
                               return "WeCom";
                             case ChannelKind::kDingTalk:
                               return "DingTalk";
                             default:
                               return "Feishu";
                           }
                         });

TEST(NotifySplitTest, ShortMessageIsOnePartWithoutNumber) {
  ChannelConfig channel;
  channel.kind = ChannelKind::kWeCom;
  const std::vector<std::string> parts = RenderParts(channel, ShortMessage(), kNow);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_FALSE(absl::StrContains(parts[0], "(1/1)"));
}

TEST(NotifyRedactTest, WeComKeyShowsOnlyItsLastFourCharacters) {
  const std::string key = "693a91f6-7aoc-4bc4-97a0-0ec2sifa1a2b";
  const std::string shown = Redact("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + key);
  EXPECT_EQ(shown, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****1a2b");
  EXPECT_FALSE(absl::StrContains(shown, key.substr(0, 8)));
}

TEST(NotifyRedactTest, DingTalkTokenAndFeishuPathTokenAreHidden) {
  EXPECT_EQ(
      Redact("https://oapi.dingtalk.com/robot/send?access_token=ff6cd723bdb4455fe18ba30dbeff007f5"),
      "https://oapi.dingtalk.com/robot/send?access_token=****07f5");
  EXPECT_EQ(
      Redact("https://open.feishu.cn/open-apis/bot/v2/hook/8f3c2a1b-0000-4c4c-9d9d-1234567890ab"),
      "https://open.feishu.cn/open-apis/bot/v2/hook/****90ab");
  // A hook token that looks like a word is hidden all the same: after "hook", or at the end of
  // a path without a query, a segment is a credential whatever it looks like.
  EXPECT_EQ(Redact("http://127.0.0.1:8080/open-apis/bot/v2/hook/branch-group"),
            "http://127.0.0.1:8080/open-apis/bot/v2/hook/****roup");
  EXPECT_EQ(Redact("https://gw.example.org/robots/partycommitteegroup"),
            "https://gw.example.org/robots/****roup");
  // User info of a mail URL goes entirely.
  EXPECT_EQ(Redact("smtps://notify:hunter2@mail.example:465"), "smtps://****@mail.example:465");
}

TEST(NotifyRedactTest, SecretsShowOnlyTheirTailAndShortOnesNothing) {
  EXPECT_EQ(Redact("SEC0123456789abcdef0123456789abcdef"), "****cdef");
  EXPECT_EQ(Redact("hunter2"), "****");
  EXPECT_EQ(Redact(""), "****");
}

TEST(NotifyRateLimiterTest, AllowsTwentyThenDefersTheTwentyFirstToTheWindowEnd) {
  RateLimiter limiter(MessagesPerMinute(ChannelKind::kWeCom), absl::Minutes(1));
  const absl::Time start = kNow;
  for (int i = 0; i < 20; ++i) {
    const absl::Time at = start + absl::Seconds(i);
    ASSERT_EQ(limiter.NextSlot(7, at), at) << i;
    limiter.Record(7, at);
  }
  const absl::Time now = start + absl::Seconds(20);
  EXPECT_EQ(limiter.NextSlot(7, now), start + absl::Minutes(1));
  // Another channel has its own window.
  EXPECT_EQ(limiter.NextSlot(8, now), now);
  // When the first send leaves the window, one more may go, and then the 22nd waits for the
  // second send to leave.
  const absl::Time later = start + absl::Minutes(1);
  EXPECT_EQ(limiter.NextSlot(7, later), later);
  limiter.Record(7, later);
  EXPECT_EQ(limiter.NextSlot(7, later), start + absl::Minutes(1) + absl::Seconds(1));
}

TEST(NotifyAnswerTest, RetryAfterIsReadAsSecondsOrHttpDate) {
  EXPECT_EQ(internal::ParseRetryAfter("30", kNow), absl::Seconds(30));
  EXPECT_EQ(internal::ParseRetryAfter("Mon, 01 Dec 2025 03:51:56 GMT", kNow),
            absl::Seconds(60) - absl::Milliseconds(789));
  EXPECT_EQ(internal::ParseRetryAfter("soon", kNow), absl::ZeroDuration());
  EXPECT_EQ(internal::ParseRetryAfter("", kNow), absl::ZeroDuration());
}

TEST(NotifyAnswerTest, OkCodeInsideA4xxIsStillRejected) {
  // A 4xx is the gateway's refusal whatever the body says.
  EXPECT_EQ(
      internal::ClassifyRobotAnswer(ChannelKind::kWeCom, 403, R"({"errcode":0})", "", kNow).outcome,
      Outcome::kRejected);
  EXPECT_EQ(internal::ClassifyRobotAnswer(ChannelKind::kWeCom, 200, R"({"errcode":-1})", "", kNow)
                .outcome,
            Outcome::kRetry);
}

TEST(NotifyRateLimiterTest, DocumentedRates) {
  EXPECT_EQ(MessagesPerMinute(ChannelKind::kWeCom), 20);
  EXPECT_EQ(MessagesPerMinute(ChannelKind::kDingTalk), 20);
  EXPECT_EQ(MessagesPerMinute(ChannelKind::kFeishu), 100);
  EXPECT_GT(MessagesPerMinute(ChannelKind::kEmail), 0);
  const std::vector<RateLimit> feishu = RateLimits(ChannelKind::kFeishu);
  ASSERT_EQ(feishu.size(), 2u);
  EXPECT_EQ(feishu[0].messages, 100);
  EXPECT_EQ(feishu[0].window, absl::Minutes(1));
  EXPECT_EQ(feishu[1].messages, 5);
  EXPECT_EQ(feishu[1].window, absl::Seconds(1));
  EXPECT_EQ(RateLimits(ChannelKind::kWeCom).size(), 1u);
}

}  // namespace
}  // namespace rectify::notify
