// Threads on the ledger without gRPC (so that ThreadSanitizer can check them; see
// tests/sanitize.sh): writers racing on one task with expected_version, readers alongside, and
// the request purger's background thread.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "services/scheduler/request_purger.h"
#include "tests/support/ledger_fixture.h"
#include "tests/support/race.h"

namespace rectify {
namespace {

using testing_support::LedgerTest;
using testing_support::Race;
using testing_support::Round;

constexpr int kWriters = 6;
constexpr int kRounds = 12;

class LedgerConcurrencyTest : public LedgerTest {
 protected:
  void SetUp() override {
    LedgerTest::SetUp();
    SeedLedger();
  }
};

TEST_F(LedgerConcurrencyTest, ExactlyOneWriterWinsEachVersion) {
  ASSERT_OK_AND_ASSIGN(Task task, CreateTask("2021-12-31"));
  const int64_t first_version = task.version;
  std::atomic<bool> stop{false};
  std::atomic<int> read_errors{0};
  // A reader that keeps reading the task while the writers race: it must never fail or see a
  // version going backwards.
  std::thread reader([&] {
    int64_t last = 0;
    while (!stop.load()) {
      absl::StatusOr<Task> seen = ledger_->GetTask(task.id);
      if (!seen.ok() || seen->version < last) ++read_errors;
      if (seen.ok()) last = seen->version;
    }
  });
  for (int r = 0; r < kRounds; ++r) {
    const int64_t seen = first_version + r;
    Round round = Race(kWriters, [&](int writer) {
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
  stop = true;
  reader.join();
  EXPECT_EQ(read_errors.load(), 0);
  ASSERT_OK_AND_ASSIGN(TaskHistory history, ledger_->GetTaskHistory(task.id));
  EXPECT_EQ(history.task.version, first_version + kRounds);
  ASSERT_EQ(history.progress.size(), static_cast<size_t>(kRounds));
  for (int r = 0; r < kRounds; ++r) EXPECT_EQ(history.progress[r].percent, r);
}

TEST_F(LedgerConcurrencyTest, TheBackgroundPurgerRunsAtStartAndStopsPromptly) {
  StoredRequest old;
  old.request_id = "old-0001";
  old.fingerprint = "f";
  old.response = "r";
  old.time = clock_->Now();
  ASSERT_OK(store_->Write([&](WriteTxn& tx) { return tx.SaveRequest(old); }));
  clock_->Advance(absl::Hours(24 * 8));
  RequestPurger::Options options;
  options.retention = absl::Hours(24 * 7);
  RequestPurger purger(store_.get(), clock_.get(), options);
  purger.Start();
  for (int i = 0; i < 500 && purger.purged_total() == 0; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  const absl::Time before_stop = absl::Now();
  purger.Stop();  // the interval is an hour: Stop must not wait for it
  EXPECT_LT(absl::Now() - before_stop, absl::Seconds(5));
  EXPECT_EQ(purger.purged_total(), 1);
  EXPECT_OK(store_->Read([&](ReadTxn& tx) -> absl::Status {
    auto found = tx.FindRequest("old-0001");
    if (!found.ok()) return found.status();
    EXPECT_FALSE(found->has_value());
    return absl::OkStatus();
  }));
}

}  // namespace
}  // namespace rectify
