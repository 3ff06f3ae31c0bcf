// The dispatcher against receivers on 127.0.0.1 that check the bytes: every notice delivered
// once and recorded; retries after 5xx and rate-limit answers with backoff; the channel's rate
// kept; quiet hours hold non-urgent notices only; a channel that keeps failing is given up and
// reported; secrets never in what is recorded.
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "services/notify/dispatch/dispatcher.h"
#include "services/scheduler/scheduler.h"
#include "tests/support/ledger_fixture.h"
#include "tests/support/smtp_sink.h"
#include "tests/support/webhook_receiver.h"

namespace rectify {
namespace {

using testing_support::LedgerTest;
using testing_support::ScriptedAnswer;
using testing_support::SmtpSink;
using testing_support::WebhookReceiver;

constexpr char kKey[] = "0f3c9a77-5e2b-4c1d-9a0e-secretkey1234";

class NotifyDispatcherTest : public LedgerTest {
 protected:
  void SetUp() override {
    LedgerTest::SetUp();
    SeedLedger();
    receiver_.Start();
    sender_ = notify::NewCurlSender({absl::Seconds(2), absl::Seconds(3)});
    options_.plan_notices = false;  // the planner has its own tests
    options_.quiet.start_minute = options_.quiet.end_minute = 0;
    channel_ = AddChannel(branch_a_.id, ChannelKind::kWeCom,
                          receiver_.url(std::string("/cgi-bin/webhook/send?key=") + kKey));
    task_ = *CreateTask("2021-12-31");
  }

  Id AddChannel(Id unit, ChannelKind kind, const std::string& url, const std::string& lang = "zh") {
    NotifyChannel c;
    c.unit_id = unit;
    c.kind = kind;
    c.name = "第一支部群";
    c.url = url;
    c.lang = lang;
    c.create_time = clock_->Now();
    if (kind == ChannelKind::kEmail) {
      c.user = "rectify";
      c.secret = "smtp-password-xyz";
      c.from = "rectify@example.org";
      c.to = {"branch-a@example.org"};
    }
    EXPECT_TRUE(store_->Write([&](WriteTxn& tx) { return tx.InsertChannel(c); }).ok());
    return c.id;
  }

  void Urge(const std::string& note) {
    ASSERT_TRUE(Do<Event>([&](WriteTxn& tx) {
                  return ledger_->UrgeTask(tx, actor_, task_.id, note);
                }).ok());
  }

  notify::DispatchPass Pass() {
    notify::Dispatcher dispatcher(store_.get(), clock_.get(), settings_, sender_.get(), options_);
    absl::StatusOr<notify::DispatchPass> pass = dispatcher.RunPass();
    EXPECT_TRUE(pass.ok()) << pass.status();
    return pass.ok() ? *pass : notify::DispatchPass{};
  }

  std::vector<DeliveryView> Deliveries() {
    std::vector<DeliveryView> out;
    EXPECT_TRUE(store_
                    ->Read([&](ReadTxn& tx) -> absl::Status {
                      auto all = tx.ListDeliveries("", absl::nullopt, 1000);
                      if (!all.ok()) return all.status();
                      out = *all;
                      return absl::OkStatus();
                    })
                    .ok());
    return out;
  }

  NotifyChannel Channel(Id id) {
    NotifyChannel c;
    EXPECT_TRUE(store_
                    ->Read([&](ReadTxn& tx) -> absl::Status {
                      auto got = tx.GetChannel(id);
                      if (!got.ok()) return got.status();
                      c = *got;
                      return absl::OkStatus();
                    })
                    .ok());
    return c;
  }

  // The markdown content of a WeCom request.
  static std::string Content(const std::string& body) {
    google::protobuf::Struct json;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(body, &json).ok()) << body;
    return json.fields().at("markdown").struct_value().fields().at("content").string_value();
  }

  void Advance(absl::Duration d) { clock_->Set(clock_->Now() + d); }

  WebhookReceiver receiver_;
  std::unique_ptr<notify::Sender> sender_;
  notify::Dispatcher::Options options_;
  Id channel_ = 0;
  Task task_;
};

TEST_F(NotifyDispatcherTest, DeliversEachNoticeOnceAndRecordsIt) {
  Urge("请本周内报送进展");
  notify::DispatchPass pass = Pass();
  EXPECT_EQ(pass.sent, 1);
  ASSERT_EQ(receiver_.request_count(), 1u);
  const auto request = receiver_.requests()[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.Param("key"), kKey);
  const std::string content = Content(request.body);
  EXPECT_NE(content.find("【催办】"), std::string::npos) << content;
  EXPECT_NE(content.find(absl::StrCat("#", task_.id)), std::string::npos) << content;
  EXPECT_NE(content.find("请本周内报送进展"), std::string::npos) << content;
  EXPECT_NE(content.find("第一支部"), std::string::npos) << content;
  std::vector<DeliveryView> d = Deliveries();
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].delivery.state, DeliveryState::kSent);
  EXPECT_EQ(d[0].delivery.attempts, 1);
  EXPECT_EQ(d[0].delivery.sent_time, clock_->Now());
  EXPECT_EQ(Channel(channel_).last_success_time, clock_->Now());

  // Nothing is sent twice: another pass, or another dispatcher (a restart), sends nothing.
  EXPECT_EQ(Pass().sent, 0);
  Reopen();
  EXPECT_EQ(Pass().sent, 0);
  EXPECT_EQ(receiver_.request_count(), 1u);
}

TEST_F(NotifyDispatcherTest, ServerErrorsAreRetriedWithBackoffUntilDelivered) {
  receiver_.Script({{503, "busy"}, {502, "bad gateway"}});
  Urge("催一下");
  EXPECT_EQ(Pass().retried, 1);
  std::vector<DeliveryView> d = Deliveries();
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].delivery.state, DeliveryState::kPending);
  EXPECT_EQ(d[0].delivery.next_attempt_time, clock_->Now() + options_.first_backoff);
  EXPECT_NE(d[0].delivery.last_error.find("503"), std::string::npos) << d[0].delivery.last_error;
  EXPECT_EQ(Pass().sent + Pass().retried, 0) << "not before its time";
  Advance(options_.first_backoff);
  EXPECT_EQ(Pass().retried, 1);
  Advance(options_.first_backoff * 2);  // the backoff doubles
  EXPECT_EQ(Pass().sent, 1);
  d = Deliveries();
  EXPECT_EQ(d[0].delivery.state, DeliveryState::kSent);
  EXPECT_EQ(d[0].delivery.attempts, 3);
  EXPECT_EQ(receiver_.request_count(), 3u);
  EXPECT_EQ(Channel(channel_).consecutive_failures, 0) << "a success resets the count";
}

TEST_F(NotifyDispatcherTest, RateLimitAnswersWaitForRetryAfterAndDoNotCountAsFailures) {
  receiver_.Script({{429, "slow down", {{"Retry-After", "120"}}},
                    {200, R"({"errcode":45009,"errmsg":"api freq out of limit"})"}});
  Urge("催一下");
  EXPECT_EQ(Pass().retried, 1);
  EXPECT_EQ(Deliveries()[0].delivery.next_attempt_time, clock_->Now() + absl::Seconds(120));
  EXPECT_EQ(Channel(channel_).consecutive_failures, 0);
  Advance(absl::Seconds(120));
  EXPECT_EQ(Pass().retried, 1);
  Advance(absl::Hours(1));
  EXPECT_EQ(Pass().sent, 1);
  EXPECT_EQ(receiver_.request_count(), 3u);
}

TEST_F(NotifyDispatcherTest, TheChannelsRateIsKeptTwentyAMinuteForWeCom) {
  for (int i = 0; i < 25; ++i) Urge(absl::StrCat("第 ", i, " 次催办"));
  notify::DispatchPass pass = Pass();
  EXPECT_EQ(pass.sent, 20);
  EXPECT_EQ(pass.deferred, 5);
  EXPECT_EQ(receiver_.request_count(), 20u);
  Advance(absl::Seconds(30));
  EXPECT_EQ(Pass().sent, 0) << "the window is a minute";
  Advance(absl::Seconds(31));
  EXPECT_EQ(Pass().sent, 5);
  // Every urge arrived exactly once.
  std::multiset<std::string> seen;
  for (const auto& r : receiver_.requests()) {
    const std::string content = Content(r.body);
    for (int i = 0; i < 25; ++i) {
      if (content.find(absl::StrCat("第 ", i, " 次催办")) != std::string::npos) {
        seen.insert(std::to_string(i));
      }
    }
  }
  EXPECT_EQ(seen.size(), 25u);
  for (const std::string& i : seen) EXPECT_EQ(seen.count(i), 1u) << i;
}

TEST_F(NotifyDispatcherTest, QuietHoursHoldNonUrgentNoticesButNotUrgentOnes) {
  options_.quiet = *notify::ParseQuietHours("q", "22:00-08:00");
  Task task = task_;
  task = *Do<Task>([&](WriteTxn& tx) { return ledger_->StartTask(tx, actor_, task.id, 0); });
  task =
      *Do<Task>([&](WriteTxn& tx) { return ledger_->SubmitTask(tx, actor_, task.id, 0, "完成"); });
  clock_->Set(Local(2021, 12, 1, 23, 15));
  ASSERT_TRUE(Do<Task>([&](WriteTxn& tx) {
                return ledger_->ReturnTask(tx, actor_, task.id, 0, "材料不全");
              }).ok());
  Urge("今晚必须处理");
  notify::DispatchPass pass = Pass();
  EXPECT_EQ(pass.sent, 1);
  EXPECT_EQ(pass.deferred, 1);
  ASSERT_EQ(receiver_.request_count(), 1u);
  EXPECT_NE(Content(receiver_.requests()[0].body).find("今晚必须处理"), std::string::npos);
  for (const DeliveryView& d : Deliveries()) {
    if (d.topic == NoticeTopic::kReturned) {
      EXPECT_EQ(d.delivery.next_attempt_time, Local(2021, 12, 2, 8, 0));
    }
  }
  clock_->Set(Local(2021, 12, 2, 8, 0));
  EXPECT_EQ(Pass().sent, 1);
  EXPECT_NE(Content(receiver_.requests()[1].body).find("材料不全"), std::string::npos);
}

TEST_F(NotifyDispatcherTest, ARefusedDeliveryFailsAndAChannelThatKeepsFailingIsGivenUp) {
  options_.channel_failure_limit = 2;
  // The vendor echoes the key back in its error: it must not reach what is recorded.
  receiver_.SetDefault(ScriptedAnswer(
      200, absl::StrCat(R"({"errcode":93000,"errmsg":"invalid webhook url, key=)", kKey, R"("})")));
  Urge("一");
  Urge("二");
  Urge("三");
  notify::DispatchPass pass = Pass();
  EXPECT_EQ(pass.failed, 3);
  EXPECT_EQ(receiver_.request_count(), 2u) << "the third is not tried once the channel is given up";
  NotifyChannel c = Channel(channel_);
  EXPECT_EQ(c.consecutive_failures, 2);
  EXPECT_EQ(c.last_error.find(kKey), std::string::npos) << c.last_error;
  EXPECT_NE(c.last_error.find("93000"), std::string::npos) << c.last_error;
  for (const DeliveryView& d : Deliveries()) {
    EXPECT_EQ(d.delivery.state, DeliveryState::kFailed);
    EXPECT_EQ(d.delivery.last_error.find(kKey), std::string::npos) << d.delivery.last_error;
  }
}

TEST_F(NotifyDispatcherTest, AttemptsRunOutAfterTheBound) {
  options_.max_attempts = 3;
  receiver_.SetDefault(ScriptedAnswer(500, "down"));
  Urge("催");
  for (int i = 0; i < 5; ++i) {
    Pass();
    Advance(options_.max_backoff);
  }
  std::vector<DeliveryView> d = Deliveries();
  EXPECT_EQ(d[0].delivery.state, DeliveryState::kFailed);
  EXPECT_EQ(d[0].delivery.attempts, 3);
  EXPECT_EQ(receiver_.request_count(), 3u);
}

TEST_F(NotifyDispatcherTest, MailGoesThroughSmtpAndAnEnglishChannelReadsEnglish) {
  SmtpSink sink;
  sink.Start();
  const Id mail = AddChannel(branch_a_.id, ChannelKind::kEmail, sink.url(), "en");
  Urge("please report this week");
  EXPECT_EQ(Pass().sent, 2);
  ASSERT_EQ(sink.messages().size(), 1u);
  const auto m = sink.messages()[0];
  EXPECT_EQ(m.mail_from, "rectify@example.org");
  EXPECT_EQ(m.rcpt_to, std::vector<std::string>{"branch-a@example.org"});
  EXPECT_EQ(m.auth_password, "smtp-password-xyz");
  EXPECT_NE(m.data.find("Subject: =?UTF-8?B?"), std::string::npos) << m.data;
  for (const DeliveryView& d : Deliveries()) {
    EXPECT_EQ(d.delivery.state, DeliveryState::kSent) << d.channel_name;
  }
  EXPECT_EQ(Channel(mail).consecutive_failures, 0);
}

TEST_F(NotifyDispatcherTest, TheRunningThreadDeliversWhenWoken) {
  options_.max_sleep = absl::Seconds(30);
  notify::Dispatcher dispatcher(store_.get(), clock_.get(), settings_, sender_.get(), options_);
  dispatcher.Start();
  Urge("线程发送");
  dispatcher.Wake();
  EXPECT_TRUE(receiver_.WaitForRequests(1, absl::Seconds(10)));
  dispatcher.Stop();
  EXPECT_EQ(dispatcher.totals().sent, 1);
}

TEST(QuietHours, ParseAndContain) {
  auto q = notify::ParseQuietHours("notify_quiet_hours", "22:00-08:00");
  ASSERT_TRUE(q.ok());
  EXPECT_TRUE(q->Contains(22 * 60));
  EXPECT_TRUE(q->Contains(3 * 60));
  EXPECT_FALSE(q->Contains(8 * 60));
  EXPECT_FALSE(q->Contains(12 * 60));
  auto day = notify::ParseQuietHours("x", "12:00-13:30");
  ASSERT_TRUE(day.ok());
  EXPECT_TRUE(day->Contains(12 * 60 + 59));
  EXPECT_FALSE(day->Contains(13 * 60 + 30));
  EXPECT_FALSE(notify::ParseQuietHours("x", "off")->Contains(0));
  for (const char* bad : {"22-08", "25:00-08:00", "22:00", "22:00-08:60", "aa:bb-cc:dd"}) {
    absl::Status s = notify::ParseQuietHours("notify_quiet_hours", bad).status();
    EXPECT_TRUE(absl::IsInvalidArgument(s)) << bad;
    EXPECT_NE(s.message().find("notify_quiet_hours"), std::string::npos) << s.message();
  }
}

}  // namespace
}  // namespace rectify
