// Sending through the channels to local receivers on 127.0.0.1: the robots' answers mapped to
// outcomes, multi-part sends resumed, mail through an SMTP sink, and no secret in any detail.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/notify/channels/channel.h"
#include "tests/support/smtp_sink.h"
#include "tests/support/webhook_receiver.h"

namespace rectify::notify {
namespace {

using testing_support::ScriptedAnswer;
using testing_support::SmtpSink;
using testing_support::WebhookReceiver;

const absl::Time kNow = absl::FromUnixMillis(1764561056789);
const std::string kKey = "693a91f6-7aoc-4bc4-97a0-0ec2sifa1a2b";
const std::string kSecret = "SEC9f8e7d6c5b4a39281706f5e4d3c2b1a0";

Message ShortMessage() {
  Message message;
  message.title = "【催办】整改任务 12：消防通道堵塞";
  message.lines = {"请第一支部尽快完成整改", "截止日期：2025-12-05"};
  message.link = "https://rectify.example/tasks/12";
  return message;
}

Message LongMessage() {
  Message message;
  message.title = "【每日汇总】第一支部";
  for (int i = 1; i <= 300; ++i) {
    message.lines.push_back(absl::StrCat("任务 ", i, "：消防通道堵塞，责任人张三，已逾期"));
  }
  return message;
}

class NotifyRobotSendTest : public ::testing::Test {
 protected:
  void SetUp() override { receiver_.Start(); }

  ChannelConfig Channel(ChannelKind kind) {
    ChannelConfig channel;
    channel.kind = kind;
    channel.url = receiver_.url("/cgi-bin/webhook/send?key=" + kKey);
    if (kind != ChannelKind::kWeCom) channel.secret = kSecret;
    return channel;
  }

  // A failure's detail names neither the key nor the secret, whatever the answer quoted.
  static void ExpectNoSecret(const SendResult& result) {
    EXPECT_FALSE(absl::StrContains(result.detail, kKey)) << result.detail;
    EXPECT_FALSE(absl::StrContains(result.detail, kSecret)) << result.detail;
    EXPECT_FALSE(absl::StrContains(result.detail, kKey.substr(0, 12))) << result.detail;
  }

  WebhookReceiver receiver_;
  std::unique_ptr<Sender> sender_ = NewCurlSender();
};

TEST_F(NotifyRobotSendTest, DeliveredPostCarriesTheRenderedBody) {
  for (ChannelKind kind : {ChannelKind::kWeCom, ChannelKind::kDingTalk, ChannelKind::kFeishu}) {
    receiver_.ClearRequests();
    const ChannelConfig channel = Channel(kind);
    if (kind == ChannelKind::kFeishu) receiver_.Script({{200, R"({"code":0,"msg":"success"})"}});
    const SendResult result = sender_->Send(channel, ShortMessage(), 0, kNow);
    EXPECT_EQ(result.outcome, Outcome::kDelivered) << result.detail;
    EXPECT_EQ(result.parts_sent, 1);
    EXPECT_EQ(result.parts_total, 1);
    const auto requests = receiver_.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].method, "POST");
    EXPECT_EQ(requests[0].path, "/cgi-bin/webhook/send");
    EXPECT_EQ(requests[0].Param("key"), kKey);
    EXPECT_TRUE(absl::StartsWith(requests[0].Header("Content-Type"), "application/json"));
    EXPECT_EQ(requests[0].body, RenderParts(channel, ShortMessage(), kNow)[0]);
    if (kind == ChannelKind::kDingTalk) {
      EXPECT_EQ(requests[0].Param("timestamp"), "1764561056789");
      EXPECT_FALSE(requests[0].Param("sign").empty());
      EXPECT_EQ(receiver_.url(requests[0].target), RequestUrl(channel, kNow));
    }
  }
}

TEST_F(NotifyRobotSendTest, OlderFeishuStatusCodeZeroIsDelivered) {
  receiver_.Script({{200, R"({"Extra":null,"StatusCode":0,"StatusMessage":"success"})"}});
  EXPECT_EQ(sender_->Send(Channel(ChannelKind::kFeishu), ShortMessage(), 0, kNow).outcome,
            Outcome::kDelivered);
}

TEST_F(NotifyRobotSendTest, ServerErrorIsRetried) {
  receiver_.Script({{503, "<html>busy</html>"}});
  const SendResult result = sender_->Send(Channel(ChannelKind::kWeCom), ShortMessage(), 0, kNow);
  EXPECT_EQ(result.outcome, Outcome::kRetry);
  EXPECT_EQ(result.parts_sent, 0);
  EXPECT_TRUE(absl::StrContains(result.detail, "503")) << result.detail;
  ExpectNoSecret(result);
}

TEST_F(NotifyRobotSendTest, Http429IsRateLimitedWithRetryAfter) {
  receiver_.Script({{429, "", {{"Retry-After", "7"}}}});
  const SendResult result = sender_->Send(Channel(ChannelKind::kFeishu), ShortMessage(), 0, kNow);
  EXPECT_EQ(result.outcome, Outcome::kRateLimited);
  EXPECT_EQ(result.retry_after, absl::Seconds(7));
  ExpectNoSecret(result);
}

TEST_F(NotifyRobotSendTest, VendorRateLimitCodesAreRateLimited) {
  receiver_.Script({{200, R"({"errcode":45009,"errmsg":"api freq out of limit"})"}});
  EXPECT_EQ(sender_->Send(Channel(ChannelKind::kWeCom), ShortMessage(), 0, kNow).outcome,
            Outcome::kRateLimited);
  receiver_.Script({{200, R"({"errcode":130101,"errmsg":"send too fast"})"}});
  const SendResult dingtalk =
      sender_->Send(Channel(ChannelKind::kDingTalk), ShortMessage(), 0, kNow);
  EXPECT_EQ(dingtalk.outcome, Outcome::kRateLimited);
  // DingTalk throttles a robot for ten minutes and says so only in its documentation.
  EXPECT_EQ(dingtalk.retry_after, absl::Minutes(10));
  receiver_.Script({{200, R"({"code":11232,"msg":"frequency limited"})"}});
  EXPECT_EQ(sender_->Send(Channel(ChannelKind::kFeishu), ShortMessage(), 0, kNow).outcome,
            Outcome::kRateLimited);
}

TEST_F(NotifyRobotSendTest, BadRequestAndVendorErrorsAreRejectedWithTheVendorsMessage) {
  receiver_.Script({{400, R"({"errcode":40008,"errmsg":"invalid message type"})"}});
  SendResult result = sender_->Send(Channel(ChannelKind::kWeCom), ShortMessage(), 0, kNow);
  EXPECT_EQ(result.outcome, Outcome::kRejected);
  EXPECT_TRUE(absl::StrContains(result.detail, "invalid message type")) << result.detail;

  receiver_.Script(
      {{200, R"({"errcode":93000,"errmsg":"invalid webhook url, hint: [1764561056]"})"}});
  result = sender_->Send(Channel(ChannelKind::kWeCom), ShortMessage(), 0, kNow);
  EXPECT_EQ(result.outcome, Outcome::kRejected);
  EXPECT_TRUE(absl::StrContains(result.detail, "93000")) << result.detail;
  EXPECT_TRUE(absl::StrContains(result.detail, "invalid webhook url")) << result.detail;
}

TEST_F(NotifyRobotSendTest, DetailNeverQuotesTheKeyOrSecretEvenWhenTheAnswerDoes) {
  const std::string echo = absl::StrCat(R"({"errcode":310000,"errmsg":"sign not match, key )", kKey,
                                        " secret ", kSecret, R"("})");
  for (ChannelKind kind : {ChannelKind::kWeCom, ChannelKind::kDingTalk, ChannelKind::kFeishu}) {
    receiver_.Script({{200, echo}});
    ChannelConfig channel = Channel(kind);
    channel.secret = kSecret;  // WeCom signs nothing, but a secret configured stays hidden too
    const SendResult result = sender_->Send(channel, ShortMessage(), 0, kNow);
    EXPECT_EQ(result.outcome, Outcome::kRejected);
    EXPECT_TRUE(absl::StrContains(result.detail, "sign not match")) << result.detail;
    ExpectNoSecret(result);
  }
}

TEST_F(NotifyRobotSendTest, UnreachableReceiverIsRetriedWithoutTheKey) {
  ChannelConfig channel = Channel(ChannelKind::kDingTalk);
  receiver_.Stop();
  const SendResult result = sender_->Send(channel, ShortMessage(), 0, kNow);
  EXPECT_EQ(result.outcome, Outcome::kRetry);
  ExpectNoSecret(result);
}

TEST_F(NotifyRobotSendTest, TimeoutIsRetried) {
  receiver_.Script({{200, R"({"errcode":0})", {}, absl::Seconds(2)}});
  CurlSenderOptions options;
  options.timeout = absl::Milliseconds(300);
  const SendResult result =
      NewCurlSender(options)->Send(Channel(ChannelKind::kWeCom), ShortMessage(), 0, kNow);
  EXPECT_EQ(result.outcome, Outcome::kRetry);
  EXPECT_TRUE(absl::StrContains(result.detail, "timed out")) << result.detail;
}

TEST_F(NotifyRobotSendTest, MultiPartSendStopsAtFailureAndResumesFromThatPart) {
  const ChannelConfig channel = Channel(ChannelKind::kWeCom);
  const std::vector<std::string> parts = RenderParts(channel, LongMessage(), kNow);
  ASSERT_GE(parts.size(), 3u);
  receiver_.Script({{200, R"({"errcode":0})"}, {502, "bad gateway"}});
  const SendResult first = sender_->Send(channel, LongMessage(), 0, kNow);
  EXPECT_EQ(first.outcome, Outcome::kRetry);
  EXPECT_EQ(first.parts_sent, 1);
  EXPECT_EQ(first.parts_total, static_cast<int>(parts.size()));
  EXPECT_TRUE(absl::StrContains(first.detail, absl::StrCat("2/", parts.size()))) << first.detail;
  ASSERT_EQ(receiver_.request_count(), 2u);

  receiver_.ClearRequests();
  const SendResult rest = sender_->Send(channel, LongMessage(), 1, kNow);
  EXPECT_EQ(rest.outcome, Outcome::kDelivered) << rest.detail;
  EXPECT_EQ(rest.parts_sent, static_cast<int>(parts.size()) - 1);
  const auto requests = receiver_.requests();
  ASSERT_EQ(requests.size(), parts.size() - 1);
  for (size_t k = 1; k < parts.size(); ++k) EXPECT_EQ(requests[k - 1].body, parts[k]);
}

TEST_F(NotifyRobotSendTest, OneSenderServesConcurrentSends) {
  constexpr int kThreads = 4;
  constexpr int kSendsEach = 5;
  std::vector<std::thread> threads;
  std::atomic<int> delivered{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kSendsEach; ++i) {
        const SendResult result =
            sender_->Send(Channel(ChannelKind::kDingTalk), ShortMessage(), 0, kNow);
        if (result.outcome == Outcome::kDelivered) ++delivered;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(delivered.load(), kThreads * kSendsEach);
  EXPECT_EQ(receiver_.request_count(), static_cast<size_t>(kThreads * kSendsEach));
}

// ---- Mail ----

// The decoded Subject of a raw message: the folded RFC 2047 words joined.
std::string DecodedSubject(const std::string& data) {
  const std::string headers = data.substr(0, data.find("\r\n\r\n"));
  const size_t start = headers.find("Subject: ");
  if (start == std::string::npos) return "";
  size_t end = headers.find("\r\n", start);
  while (end != std::string::npos && headers.compare(end, 3, "\r\n ") == 0) {
    end = headers.find("\r\n", end + 2);
  }
  const std::string value = headers.substr(start + 9, end - start - 9);
  std::string subject;
  for (absl::string_view word : absl::StrSplit(value, "\r\n ")) {
    EXPECT_LE(word.size(), 75u) << word;
    EXPECT_TRUE(absl::StartsWith(word, "=?UTF-8?B?") && absl::EndsWith(word, "?=")) << word;
    std::string bytes;
    EXPECT_TRUE(absl::Base64Unescape(word.substr(10, word.size() - 12), &bytes));
    subject += bytes;
  }
  return subject;
}

std::string DecodedBody(const std::string& data) {
  const std::string body = data.substr(data.find("\r\n\r\n") + 4);
  for (absl::string_view line : absl::StrSplit(body, "\r\n", absl::SkipEmpty())) {
    EXPECT_LE(line.size(), 76u);
  }
  std::string bytes;
  EXPECT_TRUE(absl::Base64Unescape(absl::StrReplaceAll(body, {{"\r\n", ""}}), &bytes));
  return bytes;
}

class NotifyMailSendTest : public ::testing::Test {
 protected:
  void SetUp() override { sink_.Start(); }

  ChannelConfig Channel() {
    ChannelConfig channel;
    channel.kind = ChannelKind::kEmail;
    channel.url = sink_.url();
    channel.user = "notify@rectify.example";
    channel.secret = kSecret;
    channel.from = "notify@rectify.example";
    channel.to = {"branch1@rectify.example", "supervisor@rectify.example"};
    return channel;
  }

  SmtpSink sink_;
  std::unique_ptr<Sender> sender_ = NewCurlSender();
};

TEST_F(NotifyMailSendTest, MailArrivesWithEncodedSubjectBodyAndAuth) {
  const ChannelConfig channel = Channel();
  const SendResult result = sender_->Send(channel, ShortMessage(), 0, kNow);
  ASSERT_EQ(result.outcome, Outcome::kDelivered) << result.detail;
  ASSERT_EQ(sink_.messages().size(), 1u);
  const testing_support::SmtpMessage mail = sink_.messages()[0];
  EXPECT_EQ(mail.mail_from, "notify@rectify.example");
  EXPECT_EQ(mail.rcpt_to, channel.to);
  EXPECT_FALSE(mail.auth_mechanism.empty());
  EXPECT_EQ(mail.auth_user, channel.user);
  EXPECT_EQ(mail.auth_password, kSecret);
  EXPECT_EQ(mail.data, RenderParts(channel, ShortMessage(), kNow)[0]);
  EXPECT_EQ(DecodedSubject(mail.data), ShortMessage().title);
  EXPECT_EQ(DecodedBody(mail.data),
            "请第一支部尽快完成整改\r\n截止日期：2025-12-05\r\n\r\n详情 / Details: "
            "https://rectify.example/tasks/12\r\n");
  for (const char* header :
       {"Date: Mon, 01 Dec 2025 03:50:56 +0000\r\n", "From: notify@rectify.example\r\n",
        "To: branch1@rectify.example, supervisor@rectify.example\r\n", "Message-ID: <",
        "MIME-Version: 1.0\r\n", "Content-Type: text/plain; charset=UTF-8\r\n",
        "Content-Transfer-Encoding: base64\r\n"}) {
    EXPECT_TRUE(absl::StrContains(mail.data, header)) << header;
  }
}

TEST(NotifyMailFormatTest, LongMailSplitsIntoNumberedMessagesThatDecodeBack) {
  ChannelConfig channel;
  channel.kind = ChannelKind::kEmail;
  channel.from = "notify@rectify.example";
  channel.to = {"branch1@rectify.example"};
  Message message;
  message.title = "【每日汇总】第一支部";
  std::string expected;
  while (expected.size() < 2 * PartLimitBytes(ChannelKind::kEmail)) {
    message.lines.push_back(absl::StrCat("任务 ", message.lines.size() + 1, "：消防通道堵塞"));
    absl::StrAppend(&expected, message.lines.back(), "\r\n");
  }
  const std::vector<std::string> parts = RenderParts(channel, message, kNow);
  ASSERT_EQ(parts.size(), 3u);
  std::string bodies;
  for (size_t k = 0; k < parts.size(); ++k) {
    EXPECT_EQ(DecodedSubject(parts[k]), absl::StrCat(message.title, " (", k + 1, "/3)"));
    const std::string body = DecodedBody(parts[k]);
    EXPECT_LE(body.size(), PartLimitBytes(ChannelKind::kEmail));
    bodies += body;
  }
  EXPECT_EQ(bodies, expected);
}

TEST_F(NotifyMailSendTest, AuthLoginIsUsedWhenItIsTheOnlyMechanism) {
  sink_.SetAuthMechanisms("LOGIN");
  ASSERT_EQ(sender_->Send(Channel(), ShortMessage(), 0, kNow).outcome, Outcome::kDelivered);
  ASSERT_EQ(sink_.messages().size(), 1u);
  EXPECT_EQ(sink_.messages()[0].auth_mechanism, "LOGIN");
  EXPECT_EQ(sink_.messages()[0].auth_password, kSecret);
}

TEST_F(NotifyMailSendTest, NoUserMeansNoAuth) {
  ChannelConfig channel = Channel();
  channel.user.clear();
  ASSERT_EQ(sender_->Send(channel, ShortMessage(), 0, kNow).outcome, Outcome::kDelivered);
  EXPECT_TRUE(sink_.messages()[0].auth_mechanism.empty());
}

TEST_F(NotifyMailSendTest, TemporaryRefusalIsRetriedAndPermanentOneRejected) {
  sink_.FailNextMail(451);
  SendResult result = sender_->Send(Channel(), ShortMessage(), 0, kNow);
  EXPECT_EQ(result.outcome, Outcome::kRetry);
  EXPECT_TRUE(absl::StrContains(result.detail, "451")) << result.detail;
  EXPECT_FALSE(absl::StrContains(result.detail, kSecret));

  sink_.FailNextMail(550);
  result = sender_->Send(Channel(), ShortMessage(), 0, kNow);
  EXPECT_EQ(result.outcome, Outcome::kRejected);
  EXPECT_TRUE(absl::StrContains(result.detail, "550")) << result.detail;
  EXPECT_FALSE(absl::StrContains(result.detail, kSecret));
  EXPECT_EQ(sink_.refused_mails(), 2);
  EXPECT_TRUE(sink_.messages().empty());
}

TEST_F(NotifyMailSendTest, BadAddressIsRejectedNamingTheFieldAndNothingIsSent) {
  ChannelConfig channel = Channel();
  channel.to.push_back("evil@example\r\nBcc: all@example");
  const SendResult result = sender_->Send(channel, ShortMessage(), 0, kNow);
  EXPECT_EQ(result.outcome, Outcome::kRejected);
  EXPECT_TRUE(absl::StrContains(result.detail, "to[2]")) << result.detail;
  EXPECT_TRUE(sink_.commands().empty());
}

}  // namespace
}  // namespace rectify::notify
