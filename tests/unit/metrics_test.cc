// Prometheus metrics (services/metrics, docs/operations.md "Metrics"): the registry's own text
// and callbacks, and the real gRPC server with metrics on, scraped over the HTTP server's
// GET /metrics the way Prometheus does (no token): exact call counts by method and code, the
// latency histogram's counts, the open-watch gauge, and /metrics absent when metrics are off.
#include "services/metrics/metrics.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/support/byte_buffer.h>

#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "rectify/v1/auth.grpc.pb.h"
#include "rectify/v1/events.grpc.pb.h"
#include "tests/support/http_fixture.h"

namespace rectify {
namespace {

using testing_support::HttpServerTest;

// One exposition's samples by series, as `name{label="value",...}` with the labels sorted by
// name (`name` alone without labels), so that a test names a series the same way whatever order
// the serializer wrote them in. Comment lines are checked to be HELP or TYPE and skipped.
std::map<std::string, double> ParseExposition(const std::string& text) {
  std::map<std::string, double> out;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    if (line.front() == '#') {
      EXPECT_TRUE(absl::StartsWith(line, "# HELP ") || absl::StartsWith(line, "# TYPE ")) << line;
      continue;
    }
    const size_t space = line.rfind(' ');
    if (space == absl::string_view::npos) {
      ADD_FAILURE() << "no value: " << line;
      continue;
    }
    absl::string_view series = line.substr(0, space);
    double value = 0;
    EXPECT_TRUE(absl::SimpleAtod(line.substr(space + 1), &value)) << line;
    std::string key;
    const size_t brace = series.find('{');
    if (brace == absl::string_view::npos) {
      key = std::string(series);
    } else {
      EXPECT_EQ(series.back(), '}') << line;
      std::map<std::string, std::string> labels;
      absl::string_view rest = series.substr(brace + 1, series.size() - brace - 2);
      // name="value" pairs; the values here hold no quote, comma or backslash.
      for (absl::string_view pair : absl::StrSplit(rest, ',', absl::SkipEmpty())) {
        const size_t eq = pair.find('=');
        EXPECT_NE(eq, absl::string_view::npos) << line;
        EXPECT_GE(pair.size(), eq + 3) << line;
        labels[std::string(pair.substr(0, eq))] =
            std::string(pair.substr(eq + 2, pair.size() - eq - 3));
      }
      key = absl::StrCat(series.substr(0, brace), "{",
                         absl::StrJoin(labels, ",",
                                       [](std::string* o, const auto& kv) {
                                         absl::StrAppend(o, kv.first, "=\"", kv.second, "\"");
                                       }),
                         "}");
    }
    EXPECT_EQ(out.count(key), 0u) << "series twice: " << key;
    out[key] = value;
  }
  return out;
}

// The value of `series` in `samples`, or -1 when it is not there.
double Sample(const std::map<std::string, double>& samples, const std::string& series) {
  auto it = samples.find(series);
  return it == samples.end() ? -1 : it->second;
}

std::string Calls(const std::string& method, const std::string& code) {
  return absl::StrCat("rectify_rpc_calls_total{code=\"", code, "\",method=\"", method, "\"}");
}

std::string LatencyCount(const std::string& method) {
  return absl::StrCat("rectify_rpc_latency_seconds_count{method=\"", method, "\"}");
}

std::string LatencyBucket(const std::string& method, const std::string& le) {
  return absl::StrCat("rectify_rpc_latency_seconds_bucket{le=\"", le, "\",method=\"", method,
                      "\"}");
}

constexpr char kWhoAmI[] = "rectify.v1.TokenService/WhoAmI";
constexpr char kGetTask[] = "rectify.v1.LedgerService/GetTask";
constexpr char kWatchEvents[] = "rectify.v1.EventService/WatchEvents";

TEST(MetricsRegistryTest, RendersOwnedMetricsAndCallbacks) {
  metrics::Registry registry;
  registry.RecordCall("a.v1.S/M", 0, absl::Milliseconds(3));
  registry.RecordCall("a.v1.S/M", 0, absl::Milliseconds(30));
  registry.RecordCall("a.v1.S/M", 5, absl::nullopt);  // counted, not timed
  registry.CountDatabaseError();
  double leader = 1;
  const uint64_t gauge = registry.SetCallbackGauge(metrics::kSchedulerLeader, "主节点 / leader",
                                                   [&leader] { return leader; });
  EXPECT_NE(gauge, 0u);
  EXPECT_NE(registry.SetCallbackCounter(metrics::kGroupCommitWrites, "写入\n/ writes",
                                        [] { return 42.0; }),
            0u);
  // Not valid names, or the registry's own: refused.
  EXPECT_EQ(registry.SetCallbackGauge("rectify bad name", "x", [] { return 0.0; }), 0u);
  EXPECT_EQ(registry.SetCallbackGauge(metrics::kRpcCalls, "x", [] { return 0.0; }), 0u);

  const std::string text = registry.Render();
  EXPECT_NE(text.find("# TYPE rectify_group_commit_writes_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE rectify_scheduler_leader gauge\n"), std::string::npos);
  EXPECT_NE(text.find("# HELP rectify_group_commit_writes_total 写入\\n/ writes\n"),
            std::string::npos)
      << text;
  std::map<std::string, double> samples = ParseExposition(text);
  EXPECT_EQ(Sample(samples, Calls("a.v1.S/M", "OK")), 2);
  EXPECT_EQ(Sample(samples, Calls("a.v1.S/M", "NOT_FOUND")), 1);
  EXPECT_EQ(Sample(samples, LatencyCount("a.v1.S/M")), 2);
  EXPECT_EQ(Sample(samples, LatencyBucket("a.v1.S/M", "0.001")), 0);
  EXPECT_EQ(Sample(samples, LatencyBucket("a.v1.S/M", "0.005")), 1);
  EXPECT_EQ(Sample(samples, LatencyBucket("a.v1.S/M", "0.05")), 2);
  EXPECT_EQ(Sample(samples, LatencyBucket("a.v1.S/M", "10")), 2);
  EXPECT_EQ(Sample(samples, LatencyBucket("a.v1.S/M", "+Inf")), 2);
  EXPECT_NEAR(Sample(samples, "rectify_rpc_latency_seconds_sum{method=\"a.v1.S/M\"}"), 0.033, 1e-9);
  EXPECT_EQ(Sample(samples, "rectify_db_errors_total"), 1);
  EXPECT_EQ(Sample(samples, "rectify_scheduler_leader"), 1);
  EXPECT_EQ(Sample(samples, "rectify_group_commit_writes_total"), 42);

  // Read at each scrape; replaced by name; removed only by the id that registered it.
  leader = 0;
  EXPECT_EQ(Sample(ParseExposition(registry.Render()), "rectify_scheduler_leader"), 0);
  const uint64_t replacement =
      registry.SetCallbackGauge(metrics::kSchedulerLeader, "主节点 / leader", [] { return 1.0; });
  registry.RemoveCallback(gauge);  // replaced already: stays
  EXPECT_EQ(Sample(ParseExposition(registry.Render()), "rectify_scheduler_leader"), 1);
  registry.RemoveCallback(replacement);
  EXPECT_EQ(Sample(ParseExposition(registry.Render()), "rectify_scheduler_leader"), -1);
}

TEST(MetricsRegistryTest, StatusCodeNames) {
  EXPECT_EQ(metrics::StatusCodeName(0), "OK");
  EXPECT_EQ(metrics::StatusCodeName(3), "INVALID_ARGUMENT");
  EXPECT_EQ(metrics::StatusCodeName(14), "UNAVAILABLE");
  EXPECT_EQ(metrics::StatusCodeName(16), "UNAUTHENTICATED");
  EXPECT_EQ(metrics::StatusCodeName(17), "UNKNOWN");
  EXPECT_EQ(metrics::StatusCodeName(-1), "UNKNOWN");
}

class MetricsServerTest : public HttpServerTest {
 protected:
  MetricsServerTest() {
    metrics_ = &registry_;
    http_options_.metrics = &registry_;
  }

  void SetUp() override {
    HttpServerTest::SetUp();
    tokens_ = v1::TokenService::NewStub(channel_);
    events_ = v1::EventService::NewStub(channel_);
  }

  // GET /metrics as Prometheus does it: no token, no cookie.
  std::map<std::string, double> Scrape() {
    httplib::Result got = Client()->Get("/metrics");
    EXPECT_TRUE(got);
    if (!got) return {};
    EXPECT_EQ(got->status, 200) << got->body;
    EXPECT_EQ(got->get_header_value("Content-Type"), metrics::kContentType);
    return ParseExposition(got->body);
  }

  // Scrapes until `series` has `value` (the server notices a cancelled watch within its poll
  // interval, 1 s); the last value seen.
  double WaitFor(const std::string& series, double value) {
    const absl::Time deadline = absl::Now() + absl::Seconds(15);
    double seen = Sample(Scrape(), series);
    while (seen != value && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(20));
      seen = Sample(Scrape(), series);
    }
    return seen;
  }

  metrics::Registry registry_;  // outlives the servers: TearDown stops them
  std::unique_ptr<v1::TokenService::Stub> tokens_;
  std::unique_ptr<v1::EventService::Stub> events_;
};

TEST_F(MetricsServerTest, CountsCallsByMethodAndCodeAndTimesThem) {
  // Nothing called yet (SetUp wrote its token straight into the store): the database error
  // counter is there at zero, no call series.
  std::map<std::string, double> before = Scrape();
  EXPECT_EQ(Sample(before, "rectify_db_errors_total"), 0);
  EXPECT_EQ(Sample(before, "rectify_watches_open"), 0);
  EXPECT_EQ(Sample(before, Calls(kWhoAmI, "OK")), -1);

  // Two OK calls over gRPC, one over the HTTP gateway (in-process, through the same
  // interceptors), one without a token, one for a task that does not exist.
  v1::ApiToken who;
  ASSERT_TRUE(tokens_->WhoAmI(Ctx().get(), v1::WhoAmIRequest(), &who).ok());
  ASSERT_TRUE(tokens_->WhoAmI(Ctx().get(), v1::WhoAmIRequest(), &who).ok());
  httplib::Result over_http = Api("TokenService/WhoAmI", "");
  ASSERT_TRUE(over_http);
  ASSERT_EQ(over_http->status, 200) << over_http->body;
  EXPECT_EQ(tokens_->WhoAmI(CtxAs("").get(), v1::WhoAmIRequest(), &who).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  v1::GetTaskRequest missing;
  missing.set_id(987654);
  v1::Task task;
  EXPECT_EQ(ledger_stub_->GetTask(Ctx().get(), missing, &task).error_code(),
            grpc::StatusCode::NOT_FOUND);

  std::map<std::string, double> after = Scrape();
  EXPECT_EQ(Sample(after, Calls(kWhoAmI, "OK")), 3);
  EXPECT_EQ(Sample(after, Calls(kWhoAmI, "UNAUTHENTICATED")), 1);
  EXPECT_EQ(Sample(after, Calls(kGetTask, "NOT_FOUND")), 1);
  EXPECT_EQ(Sample(after, Calls(kGetTask, "OK")), -1);
  EXPECT_EQ(Sample(after, LatencyCount(kWhoAmI)), 4);
  EXPECT_EQ(Sample(after, LatencyCount(kGetTask)), 1);
  EXPECT_EQ(Sample(after, LatencyBucket(kWhoAmI, "+Inf")), 4);
  EXPECT_EQ(Sample(after, LatencyBucket(kGetTask, "+Inf")), 1);
  EXPECT_GT(
      Sample(after, absl::StrCat("rectify_rpc_latency_seconds_sum{method=\"", kWhoAmI, "\"}")), 0);
  // Buckets are cumulative.
  double previous = 0;
  for (const char* le : {"0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5",
                         "1", "2.5", "5", "10", "+Inf"}) {
    const double count = Sample(after, LatencyBucket(kWhoAmI, le));
    EXPECT_GE(count, previous) << le;
    previous = count;
  }
  // Refusals of the caller are not database errors; scraping is not a call.
  EXPECT_EQ(Sample(after, "rectify_db_errors_total"), 0);
  EXPECT_EQ(Sample(Scrape(), Calls(kWhoAmI, "OK")), 3);
}

TEST_F(MetricsServerTest, AMethodThisServerDoesNotServeIsRecordedAsUnknown) {
  grpc::GenericStub stub(channel_);
  grpc::ClientContext ctx;
  grpc::Slice empty("");
  grpc::ByteBuffer request(&empty, 1);  // an empty message, not an unset buffer
  grpc::ByteBuffer response;
  absl::Notification done;
  grpc::Status status;
  stub.UnaryCall(&ctx, "/made.up.Service/Anything", grpc::StubOptions(), &request, &response,
                 [&](grpc::Status s) {
                   status = std::move(s);
                   done.Notify();
                 });
  ASSERT_TRUE(done.WaitForNotificationWithTimeout(absl::Seconds(30)));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  // Counted under "unknown", never under the path the client made up (a client must not be
  // able to add series at will).
  std::map<std::string, double> samples = Scrape();
  EXPECT_EQ(Sample(samples, Calls("unknown", "UNIMPLEMENTED")), 1);
  for (const auto& [series, value] : samples) {
    EXPECT_EQ(series.find("made.up"), std::string::npos) << series;
  }
}

TEST_F(MetricsServerTest, WatchGaugeFollowsAnOpenStream) {
  EXPECT_EQ(Sample(Scrape(), "rectify_watches_open"), 0);
  auto ctx = Ctx();
  auto reader = events_->WatchEvents(ctx.get(), v1::WatchEventsRequest());
  EXPECT_EQ(WaitFor("rectify_watches_open", 1), 1);

  ctx->TryCancel();
  v1::Event event;
  while (reader->Read(&event)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  EXPECT_EQ(WaitFor("rectify_watches_open", 0), 0);
  // The watch is one call, whatever code its handler ended with; a stream's lifetime is not a
  // latency, so it is not timed.
  const absl::Time deadline = absl::Now() + absl::Seconds(15);
  double calls = 0;
  std::map<std::string, double> samples;
  while (calls < 1 && absl::Now() < deadline) {
    samples = Scrape();
    calls = 0;
    for (const auto& [series, value] : samples) {
      if (absl::StartsWith(series, "rectify_rpc_calls_total{") &&
          absl::StrContains(series, kWatchEvents)) {
        calls += value;
      }
    }
    if (calls < 1) absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(Sample(samples, LatencyCount(kWatchEvents)), -1);
}

// Metrics off (the default for every other test): no /metrics route at all.
class NoMetricsTest : public HttpServerTest {};

TEST_F(NoMetricsTest, MetricsAreNotServed) {
  httplib::Result got = Client()->Get("/metrics");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->status, 404);
}

}  // namespace
}  // namespace rectify
