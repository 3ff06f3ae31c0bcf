// Concurrent writers on one task, each sending the version it saw (expected_version): for every
// version exactly one change wins, every other gets ABORTED and changes nothing. Run through the
// Ledger on many threads, and through the gRPC API on many channels.
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/server_fixture.h"

namespace rectify {
namespace {

using testing_support::ServerTest;

constexpr int kWriters = 6;
constexpr int kRounds = 12;

// Releases every waiting thread at once, so that the writers of a round really race.
class StartLine {
 public:
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return open_; });
  }
  void Open() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

// Outcome counts of one round.
struct Round {
  int won = 0;
  int aborted = 0;
  int other = 0;
  std::string first_other;
};

class VersionRaceTest : public ServerTest {
 protected:
  // Runs kWriters threads that each call `write(writer)` at the same moment; tallies the codes.
  template <typename Write>
  Round Race(Write write) {
    StartLine start;
    std::mutex mu;
    Round round;
    std::vector<std::thread> threads;
    for (int w = 0; w < kWriters; ++w) {
      threads.emplace_back([&, w] {
        start.Wait();
        const absl::Status status = write(w);
        std::lock_guard<std::mutex> lock(mu);
        if (status.ok()) {
          ++round.won;
        } else if (absl::IsAborted(status)) {
          ++round.aborted;
        } else if (round.other++ == 0) {
          round.first_other = status.ToString();
        }
      });
    }
    start.Open();
    for (std::thread& t : threads) t.join();
    return round;
  }
};

TEST_F(VersionRaceTest, ThroughTheLedgerExactlyOneWriterWinsEachVersion) {
  v1::Task seeded = SeedTask();
  ASSERT_OK_AND_ASSIGN(Task task, ledger_->GetTask(seeded.id()));
  const int64_t first_version = task.version;
  for (int r = 0; r < kRounds; ++r) {
    const int64_t seen = first_version + r;
    Round round = Race([&](int writer) {
      return store_->Write([&](WriteTxn& tx) -> absl::Status {
        return ledger_
            ->ReportProgress(tx, Actor{absl::StrCat("支部委员", writer)}, task.id, seen,
                             absl::StrCat("第 ", r, " 轮，委员 ", writer), r, {})
            .status();
      });
    });
    EXPECT_EQ(round.won, 1) << "round " << r;
    EXPECT_EQ(round.aborted, kWriters - 1) << "round " << r;
    EXPECT_EQ(round.other, 0) << round.first_other;
  }
  ASSERT_OK_AND_ASSIGN(TaskHistory history, ledger_->GetTaskHistory(task.id));
  EXPECT_EQ(history.task.version, first_version + kRounds);
  EXPECT_EQ(history.progress.size(), static_cast<size_t>(kRounds));
}

TEST_F(VersionRaceTest, ThroughTheApiExactlyOneClientWinsEachVersion) {
  v1::Task task = SeedTask();
  // One channel (one connection) per writer, as separate people's clients would have.
  std::vector<std::unique_ptr<v1::LedgerService::Stub>> stubs;
  for (int w = 0; w < kWriters; ++w) {
    grpc::ChannelArguments args;
    args.SetInt("rectify.test.writer", w);  // distinct arguments: a channel of its own
    stubs.push_back(v1::LedgerService::NewStub(grpc::CreateCustomChannel(
        absl::StrCat("127.0.0.1:", server_->port()), grpc::InsecureChannelCredentials(), args)));
  }
  for (int r = 0; r < kRounds; ++r) {
    const int64_t seen = task.version() + r;
    Round round = Race([&](int writer) {
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
