// Both stores (the conformance suite) from many threads: readers and writers together never
// error, a Read sees one snapshot, the read pool queues callers, and a write lock held by another
// process (another node) makes a write UNAVAILABLE while reads go on.
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "services/store/postgres/connection.h"
#include "services/store/sqlite/database.h"
#include "services/store/sqlite/sqlite_store.h"
#include "tests/unit/store_conformance.h"
#include "tests/unit/store_test_support.h"

namespace rectify {
namespace {

using testing_support::AllBackends;
using testing_support::Backend;
using testing_support::BackendName;
using testing_support::StoreLedgerTest;
using testing_support::T0;

class StoreConcurrencyTest : public StoreLedgerTest {
 protected:
  void SetUp() override {
    SetReadConnections(2);
    StoreLedgerTest::SetUp();
    if (HasFatalFailure()) return;
    root_ = AddUnit(nullptr, "党委");
    problem_ = AddProblem(AddReview(root_), 1);
  }

  // One task and its "created" event, in one Write.
  absl::Status AddTaskWithEvent() {
    return store_->Write([&](WriteTxn& tx) -> absl::Status {
      Task task = NewTask(problem_, root_);
      absl::Status s = tx.InsertTask(task);
      if (!s.ok()) return s;
      Event e{0,    EventKind::kCreated, task.id,           root_.id, root_.path, "admin",
              T0(), absl::nullopt,       TaskStatus::kOpen, ""};
      return tx.AppendEvent(e);
    });
  }

  OrgUnit root_;
  Problem problem_;
};

TEST_P(StoreConcurrencyTest, ReadersAndWritersOnManyThreadsNeverError) {
  constexpr int kWriters = 2;
  constexpr int kWritesEach = 40;
  constexpr int kReaders = 4;
  std::atomic<int> writers_left{kWriters};
  std::atomic<int> errors{0};
  std::atomic<int> torn_snapshots{0};
  std::atomic<int> reads{0};
  absl::Mutex mu;
  std::string first_error;  // guarded by mu
  auto record = [&](const absl::Status& s) {
    if (s.ok()) return;
    ++errors;
    absl::MutexLock lock(&mu);
    if (first_error.empty()) first_error = s.ToString();
  };

  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&] {
      for (int i = 0; i < kWritesEach; ++i) record(AddTaskWithEvent());
      --writers_left;
    });
  }
  for (int r = 0; r < kReaders; ++r) {
    threads.emplace_back([&] {
      do {
        record(store_->Read([&](ReadTxn& tx) -> absl::Status {
          TaskQuery all;
          all.limit = 100000;
          absl::StatusOr<std::vector<Task>> tasks = tx.ListTasks(all);
          if (!tasks.ok()) return tasks.status();
          absl::StatusOr<std::vector<Event>> events = tx.ListEventsAfter(0, "", 100000);
          if (!events.ok()) return events.status();
          // Each Write adds a task and its event together: one snapshot always sees both.
          if (tasks->size() != events->size()) ++torn_snapshots;
          return absl::OkStatus();
        }));
        ++reads;
      } while (writers_left > 0);
    });
  }
  for (std::thread& t : threads) t.join();

  EXPECT_EQ(errors.load(), 0) << first_error;
  EXPECT_EQ(torn_snapshots.load(), 0);
  EXPECT_GE(reads.load(), kReaders);
  ASSERT_OK(store_->Read([&](ReadTxn& tx) {
    TaskQuery all;
    all.limit = 100000;
    EXPECT_EQ(tx.ListTasks(all).value().size(), static_cast<size_t>(kWriters * kWritesEach));
    return absl::OkStatus();
  }));
}

TEST_P(StoreConcurrencyTest, ReadKeepsOneSnapshotWhileAWriteCommits) {
  absl::Notification first_read_done;
  absl::Notification write_done;
  int64_t before = -1;
  int64_t during = -1;
  std::thread reader([&] {
    EXPECT_OK(store_->Read([&](ReadTxn& tx) {
      before = tx.CountRoots().value_or(-1);
      first_read_done.Notify();
      write_done.WaitForNotification();
      during = tx.CountRoots().value_or(-1);
      return absl::OkStatus();
    }));
  });
  first_read_done.WaitForNotification();
  AddUnit(nullptr, "另一个党委");  // commits while the Read is still open
  write_done.Notify();
  reader.join();

  EXPECT_EQ(before, 1);
  EXPECT_EQ(during, 1);  // the Read's snapshot did not move
  ASSERT_OK(store_->Read([&](ReadTxn& tx) {
    EXPECT_EQ(tx.CountRoots().value_or(-1), 2);  // a new Read sees the write
    return absl::OkStatus();
  }));
}

TEST_P(StoreConcurrencyTest, MoreReadersThanConnectionsWaitTheirTurn) {
  SetReadConnections(1);
  OpenStore();
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 20; ++j) {
        absl::Status s = store_->Read([&](ReadTxn& tx) { return tx.GetUnit(root_.id).status(); });
        if (!s.ok()) ++errors;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
}

TEST_P(StoreConcurrencyTest, WriteLockHeldByAnotherProcessIsUnavailableAndReadsGoOn) {
  options_.busy_timeout_ms = 50;
  postgres_options_.lock_timeout_ms = 50;
  OpenStore();
  // Another connection (as another process or node would) takes the write lock and keeps it.
  std::unique_ptr<sql::Connection> other;
  if (GetParam() == Backend::kSqlite) {
    ASSERT_OK_AND_ASSIGN(other, sqlite::Database::Open(options_.path, sqlite::Database::Options()));
    ASSERT_OK(other->Execute("BEGIN IMMEDIATE"));
  } else {
    ASSERT_OK_AND_ASSIGN(other, postgres::PgConnection::Open(postgres_options_.conninfo,
                                                             postgres::ConnectionOptions()));
    ASSERT_OK(other->Execute("BEGIN"));
    ASSERT_OK(other->Execute(
        absl::StrCat("SELECT pg_advisory_xact_lock(", postgres::kWriteLockKey, ")").c_str()));
  }

  absl::Status status = AddTaskWithEvent();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_OK(store_->Read([&](ReadTxn& tx) { return tx.GetUnit(root_.id).status(); }));

  ASSERT_OK(other->Execute("ROLLBACK"));
  EXPECT_OK(AddTaskWithEvent());  // retrying works once the lock is gone
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreConcurrencyTest, AllBackends(), BackendName);

}  // namespace
}  // namespace rectify
