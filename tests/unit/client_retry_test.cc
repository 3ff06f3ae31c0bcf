// The client's retries (client/rpc/retry.h): which codes are retried, the backoff, the bounds,
// and, through whole commands against a fake server that fails the first calls, that a retried
// mutation carries the same request_id so that the user never gets a duplicate.
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "client/commands/root.h"
#include "client/rpc/exit_codes.h"
#include "client/rpc/retry.h"
#include "client/rpc/tls.h"
#include "grpcpp/server_context.h"
#include "gtest/gtest.h"
#include "rectify/v1/import.grpc.pb.h"
#include "rectify/v1/ledger.grpc.pb.h"
#include "tests/support/fake_server_fixture.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

const grpc::Status kUnavailable(grpc::StatusCode::UNAVAILABLE, "数据库繁忙 / busy");

TEST(RetryPolicyTest, OnlyUnavailableDeadlineExceededAndServerCancelledAreRetried) {
  EXPECT_TRUE(IsRetryable(grpc::StatusCode::UNAVAILABLE));
  EXPECT_TRUE(IsRetryable(grpc::StatusCode::DEADLINE_EXCEEDED));
  // A server stopping with the call in flight cancels it; the same request_id is safe to resend.
  EXPECT_TRUE(IsRetryable(grpc::StatusCode::CANCELLED));
  for (auto code :
       {grpc::StatusCode::OK, grpc::StatusCode::ABORTED, grpc::StatusCode::INVALID_ARGUMENT,
        grpc::StatusCode::RESOURCE_EXHAUSTED, grpc::StatusCode::ALREADY_EXISTS,
        grpc::StatusCode::INTERNAL, grpc::StatusCode::FAILED_PRECONDITION}) {
    EXPECT_FALSE(IsRetryable(code)) << code;
  }
}

TEST(RetryPolicyTest, BackoffDoublesUpToItsCap) {
  RetryPolicy policy;
  EXPECT_EQ(BackoffCeiling(policy, 1), absl::Milliseconds(250));
  EXPECT_EQ(BackoffCeiling(policy, 2), absl::Milliseconds(500));
  EXPECT_EQ(BackoffCeiling(policy, 3), absl::Seconds(1));
  EXPECT_EQ(BackoffCeiling(policy, 4), absl::Seconds(2));
  EXPECT_EQ(BackoffCeiling(policy, 5), absl::Seconds(4));
  EXPECT_EQ(BackoffCeiling(policy, 50), absl::Seconds(4));
}

TEST(RetryPolicyTest, TheBudgetCoversAtLeastTwoDeadlines) {
  EXPECT_EQ(RetryPolicy::ForTimeout(30).total_budget, absl::Seconds(60));
  EXPECT_EQ(RetryPolicy::ForTimeout(300).total_budget, absl::Seconds(600));
  EXPECT_EQ(RetryPolicy::ForTimeout(30).max_attempts, 5);
}

// A fake clock and sleeper: sleeping moves the clock, nothing waits.
struct FakeTime {
  absl::Time now = absl::UnixEpoch();
  std::vector<absl::Duration> sleeps;
  double jitter = 0.5;
  RetryHooks Hooks() {
    RetryHooks hooks;
    hooks.now = [this] { return now; };
    hooks.sleep = [this](absl::Duration d) {
      sleeps.push_back(d);
      now += d;
    };
    hooks.random01 = [this] { return jitter; };
    return hooks;
  }
};

TEST(CallWithRetryTest, RetriesUntilSuccessWithGrowingJitteredWaits) {
  FakeTime time;
  int calls = 0;
  std::vector<RetryNotice> notices;
  grpc::Status s = CallWithRetry(
      RetryPolicy(),
      [&](int attempt) {
        EXPECT_EQ(attempt, ++calls);
        return calls < 4 ? kUnavailable : grpc::Status::OK;
      },
      [&](const RetryNotice& n) { notices.push_back(n); }, time.Hooks());
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(calls, 4);
  // Jitter 0.5: each wait is 3/4 of its ceiling (uniform in [ceiling/2, ceiling]).
  EXPECT_EQ(time.sleeps,
            (std::vector<absl::Duration>{absl::Microseconds(187500), absl::Microseconds(375000),
                                         absl::Microseconds(750000)}));
  ASSERT_EQ(notices.size(), 3u);
  EXPECT_EQ(notices[0].next_attempt, 2);
  EXPECT_EQ(notices[2].next_attempt, 4);
  EXPECT_EQ(notices[0].max_attempts, 5);
  EXPECT_EQ(notices[0].last.error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST(CallWithRetryTest, JitterStaysWithinHalfToAllOfTheCeiling) {
  for (double jitter : {0.0, 0.999}) {
    FakeTime time;
    time.jitter = jitter;
    int calls = 0;
    CallWithRetry(
        RetryPolicy(), [&](int) { return ++calls < 2 ? kUnavailable : grpc::Status::OK; }, {},
        time.Hooks());
    ASSERT_EQ(time.sleeps.size(), 1u);
    EXPECT_GE(time.sleeps[0], absl::Milliseconds(125));
    EXPECT_LE(time.sleeps[0], absl::Milliseconds(250));
  }
}

TEST(CallWithRetryTest, GivesUpAfterMaxAttemptsWithTheLastStatus) {
  FakeTime time;
  int calls = 0;
  grpc::Status s = CallWithRetry(
      RetryPolicy(), [&](int) { return ++calls, kUnavailable; }, {}, time.Hooks());
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(calls, 5);
  EXPECT_EQ(time.sleeps.size(), 4u);
}

TEST(CallWithRetryTest, StopsWhenTheTotalBudgetIsSpent) {
  FakeTime time;
  RetryPolicy policy;
  policy.max_attempts = 100;
  policy.total_budget = absl::Seconds(10);
  int calls = 0;
  grpc::Status s = CallWithRetry(
      policy,
      [&](int) {
        ++calls;
        time.now += absl::Seconds(3);  // each attempt waits out a 3 s deadline
        return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "slow");
      },
      {}, time.Hooks());
  EXPECT_EQ(s.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_EQ(calls, 3);  // 3 s + wait + 3 s + wait + 3 s: a fourth would end past 10 s
  EXPECT_LT(time.now - absl::UnixEpoch(), absl::Seconds(10));
}

TEST(CallWithRetryTest, AnswersAreNeverRetried) {
  for (auto code : {grpc::StatusCode::ABORTED, grpc::StatusCode::INVALID_ARGUMENT,
                    grpc::StatusCode::RESOURCE_EXHAUSTED}) {
    FakeTime time;
    int calls = 0;
    grpc::Status s = CallWithRetry(
        RetryPolicy(), [&](int) { return ++calls, grpc::Status(code, "answer"); }, {},
        time.Hooks());
    EXPECT_EQ(s.error_code(), code);
    EXPECT_EQ(calls, 1);
    EXPECT_TRUE(time.sleeps.empty());
  }
}

TEST(CallWithRetryTest, AFailedTlsHandshakeIsNotRetried) {
  // A wrong CA stays wrong: five attempts with backoff would only delay the hint.
  FakeTime time;
  RetryHooks hooks = time.Hooks();
  hooks.permanent = [](const grpc::Status& status) { return LooksLikeTlsFailure(status); };
  int calls = 0;
  const grpc::Status handshake(grpc::StatusCode::UNAVAILABLE,
                               "failed to connect to all addresses; last error: UNKNOWN: "
                               "Ssl handshake failed: SSL_ERROR_SSL: CERTIFICATE_VERIFY_FAILED");
  grpc::Status s = CallWithRetry(
      RetryPolicy(), [&](int) { return ++calls, handshake; }, {}, hooks);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(time.sleeps.empty());
  // A server that is simply down is still retried.
  calls = 0;
  s = CallWithRetry(
      RetryPolicy(), [&](int) { return ++calls, kUnavailable; }, {}, hooks);
  EXPECT_EQ(calls, 5);
}

TEST(CallWithRetryTest, TheMessageSaysRetryingInBothLanguages) {
  RetryNotice notice{2, 5, absl::Milliseconds(300), kUnavailable};
  const std::string message = RetryMessage(notice);
  EXPECT_NE(message.find("重试中…"), std::string::npos);
  EXPECT_NE(message.find("2/5"), std::string::npos);
  EXPECT_NE(message.find("retrying"), std::string::npos);
  EXPECT_NE(message.find("UNAVAILABLE"), std::string::npos);
}

TEST(CallErrorTest, AnOversizedRequestIsExplainedAndNotRetried) {
  // gRPC refuses it before rectifyd sees it, in English only; the client says what it means.
  const grpc::Status status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                            "Received message larger than max (10485800 vs. 9437184)");
  const std::string message = DescribeCallError(status, "127.0.0.1:50051", 30);
  EXPECT_NE(message.find("消息大小上限"), std::string::npos) << message;
  EXPECT_NE(message.find("9437184"), std::string::npos) << message;
  EXPECT_FALSE(IsRetryable(status.error_code()));
}

// Fails the first `fail_first` calls of each kind; StartTask fails with UNAVAILABLE, and
// ReportProgress applies the report but answers too late (the client sees DEADLINE_EXCEEDED).
// Like rectifyd, it answers a request_id it has seen with the first answer.
class FlakyLedger final : public v1::LedgerService::Service {
 public:
  explicit FlakyLedger(int fail_first) : fail_first_(fail_first) {}

  grpc::Status StartTask(grpc::ServerContext*, const v1::StartTaskRequest* request,
                         v1::Task* response) override {
    std::lock_guard<std::mutex> lock(mu_);
    request_ids_.push_back(request->request_id());
    if (static_cast<int>(request_ids_.size()) <= fail_first_) return kUnavailable;
    response->set_id(request->id());
    response->set_status(v1::IN_PROGRESS);
    response->set_version(2);
    return grpc::Status::OK;
  }

  grpc::Status ReportProgress(grpc::ServerContext*, const v1::ReportProgressRequest* request,
                              v1::ReportProgressResponse* response) override {
    bool late = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      request_ids_.push_back(request->request_id());
      auto seen = answers_.find(request->request_id());
      if (seen != answers_.end()) {
        *response = seen->second;
        return grpc::Status::OK;
      }
      ++applied_;
      response->mutable_task()->set_id(request->id());
      response->mutable_task()->set_status(v1::IN_PROGRESS);
      response->mutable_report()->set_id(100 + applied_);
      answers_[request->request_id()] = *response;
      late = static_cast<int>(request_ids_.size()) <= fail_first_;
    }
    if (late) std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    return grpc::Status::OK;
  }

  std::vector<std::string> request_ids() {
    std::lock_guard<std::mutex> lock(mu_);
    return request_ids_;
  }
  int applied() {
    std::lock_guard<std::mutex> lock(mu_);
    return applied_;
  }

 private:
  const int fail_first_;
  std::mutex mu_;
  std::vector<std::string> request_ids_;
  std::map<std::string, v1::ReportProgressResponse> answers_;
  int applied_ = 0;
};

class ClientRetryCliTest : public testing_support::FakeServerTest {
 protected:
  void Serve(int fail_first) {
    ledger_ = std::make_unique<FlakyLedger>(fail_first);
    FakeServerTest::Serve({ledger_.get()});
  }

  static int Count(const std::string& haystack, const std::string& needle) {
    int n = 0;
    for (size_t at = haystack.find(needle); at != std::string::npos;
         at = haystack.find(needle, at + 1)) {
      ++n;
    }
    return n;
  }

  std::unique_ptr<FlakyLedger> ledger_;
};

TEST_F(ClientRetryCliTest, UnavailableIsRetriedWithTheSameRequestIdAndSaysSo) {
  Serve(2);
  ASSERT_EQ(Run({"task", "start", "12"}), 0) << err_.str();
  const auto ids = ledger_->request_ids();
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids[0].size(), 32u);
  EXPECT_EQ(ids[1], ids[0]);
  EXPECT_EQ(ids[2], ids[0]);
  EXPECT_EQ(Count(err_.str(), "重试中…"), 2) << err_.str();
  EXPECT_NE(out_.str().find("任务 12"), std::string::npos);
}

TEST_F(ClientRetryCliTest, ALostAnswerIsRetriedAndTheReportIsRecordedOnce) {
  Serve(1);
  ASSERT_EQ(
      Run({"--timeout", "0.5", "task", "progress", "12", "--text", "走访", "--percent", "30"}), 0)
      << err_.str();
  const auto ids = ledger_->request_ids();
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids[1], ids[0]);
  EXPECT_EQ(ledger_->applied(), 1);  // the retry got the first answer, not a second report
  EXPECT_NE(err_.str().find("DEADLINE_EXCEEDED"), std::string::npos) << err_.str();
  EXPECT_NE(out_.str().find("进展反馈 101"), std::string::npos) << out_.str();
}

TEST_F(ClientRetryCliTest, AServerThatStaysDownGetsFiveAttemptsThenExitNine) {
  Serve(100);
  EXPECT_EQ(Run({"task", "start", "12"}), 9);
  EXPECT_EQ(ledger_->request_ids().size(), 5u);
  EXPECT_EQ(Count(err_.str(), "重试中…"), 4) << err_.str();
  EXPECT_NE(err_.str().find("错误: "), std::string::npos);
  EXPECT_EQ(out_.str(), "");
}

TEST_F(ClientRetryCliTest, JsonOutputStaysCleanWhileRetrying) {
  Serve(1);
  ASSERT_EQ(Run({"--json", "task", "start", "12"}), 0) << err_.str();
  EXPECT_EQ(out_.str().find("重试"), std::string::npos);
  EXPECT_EQ(out_.str().front(), '{');
  EXPECT_NE(err_.str().find("重试中…"), std::string::npos);
}

// Fails the first call of each import correction with UNAVAILABLE and keeps the request ids.
class FlakyImport final : public v1::ImportService::Service {
 public:
  grpc::Status AddDraftMeasure(grpc::ServerContext*, const v1::AddDraftMeasureRequest* request,
                               v1::Task* response) override {
    return Answer(request->request_id(), response);
  }
  grpc::Status CorrectDraftMeasure(grpc::ServerContext*,
                                   const v1::CorrectDraftMeasureRequest* request,
                                   v1::Task* response) override {
    return Answer(request->request_id(), response);
  }
  std::vector<std::string> request_ids() {
    std::lock_guard<std::mutex> lock(mu_);
    return request_ids_;
  }

 private:
  grpc::Status Answer(const std::string& request_id, v1::Task* response) {
    std::lock_guard<std::mutex> lock(mu_);
    request_ids_.push_back(request_id);
    if (request_ids_.size() % 2 == 1) return kUnavailable;
    response->set_id(45);
    response->set_status(v1::OPEN);
    response->set_draft(true);
    return grpc::Status::OK;
  }
  std::mutex mu_;
  std::vector<std::string> request_ids_;
};

class ClientRetryImportCliTest : public testing_support::FakeServerTest {
 protected:
  FlakyImport import_;
};

TEST_F(ClientRetryImportCliTest, ImportCorrectionsKeepOneRequestIdAcrossRetries) {
  Serve({&import_});
  ASSERT_EQ(Run({"task", "add-measure", "--problem", "31", "--measure", "建立调研台账"}), 0)
      << err_.str();
  ASSERT_EQ(Run({"task", "edit-measure", "45", "--measure", "每季度调研一次"}), 0) << err_.str();
  const auto ids = import_.request_ids();
  ASSERT_EQ(ids.size(), 4u);
  EXPECT_FALSE(ids[0].empty());
  EXPECT_EQ(ids[1], ids[0]);  // the retry of add-measure: the same request, so no second draft
  EXPECT_EQ(ids[3], ids[2]);
  EXPECT_NE(ids[2], ids[0]);
}

}  // namespace
}  // namespace rectify::client
