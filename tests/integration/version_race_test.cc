// Concurrent clients on one task, each sending the version it saw (expected_version): for every
// version exactly one change wins, every other gets ABORTED and changes nothing. Through the gRPC
// API on many channels; the same race on the Ledger alone is in unit/ledger_concurrency_test.cc
// (which ThreadSanitizer runs).
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/race.h"
#include "tests/support/server_fixture.h"

namespace rectify {
namespace {

using testing_support::ServerTest;

using testing_support::Race;
using testing_support::Round;

constexpr int kWriters = 6;
constexpr int kRounds = 12;

class VersionRaceTest : public ServerTest {};

TEST_F(VersionRaceTest, ThroughTheApiExactlyOneClientWinsEachVersion) {
  v1::Task task = SeedTask();
  // One channel (one connection) per writer, as separate people's clients would have.
  std::vector<std::unique_ptr<v1::LedgerService::Stub>> stubs;
  for (int w = 0; w < kWriters; ++w) {
    grpc::ChannelArguments args;
    args.SetInt("rectify.test.writer", w);  // distinct arguments: a channel of its own
    std::shared_ptr<grpc::Channel> channel = grpc::CreateCustomChannel(
        absl::StrCat("127.0.0.1:", server_->port()), grpc::InsecureChannelCredentials(), args);
    // Connected before the race: a fresh channel whose first connect attempt fails (seen once
    // in 15 runs on a loaded machine) fails its calls fast, which is not what is tested here.
    ASSERT_TRUE(
        channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10)))
        << "writer " << w << " could not connect";
    stubs.push_back(v1::LedgerService::NewStub(channel));
  }
  for (int r = 0; r < kRounds; ++r) {
    const int64_t seen = task.version() + r;
    Round round = Race(kWriters, [&](int writer) {
      v1::ReportProgressRequest req;
      req.set_request_id(absl::StrCat("race-", r, "-", writer));
      req.set_id(task.id());
      req.set_expected_version(seen);
      req.set_text(absl::StrCat("第 ", r, " 轮，委员 ", writer));
      req.set_percent(r);
      v1::ReportProgressResponse resp;
      grpc::Status s = stubs[writer]->ReportProgress(Ctx().get(), req, &resp);
      return absl::Status(static_cast<absl::StatusCode>(s.error_code()), s.error_message());
    });
    EXPECT_EQ(round.won, 1) << "round " << r;
    EXPECT_EQ(round.aborted, kWriters - 1) << "round " << r;
    EXPECT_EQ(round.other, 0) << round.first_other;
  }
  v1::TaskHistory history = History(task.id());
  EXPECT_EQ(history.task().version(), task.version() + kRounds);
  ASSERT_EQ(history.progress_size(), kRounds);
  // The winner of each round is the report of that round: no version was skipped or doubled.
  for (int r = 0; r < kRounds; ++r) {
    EXPECT_EQ(history.progress(r).percent(), r);
  }
}

}  // namespace
}  // namespace rectify
