// Group commit: concurrent writes share commits, each caller gets its own outcome, and a failing
// write fails alone.
#include <atomic>
#include <thread>
#include <vector>

#include "services/store/sql/group_commit.h"
#include "services/store/sqlite/database.h"
#include "services/store/sqlite/schema.h"
#include "tests/unit/store_test_support.h"

namespace rectify {
namespace {

using testing_support::SqliteTest;
using testing_support::T0;

class GroupCommitTest : public SqliteTest {
 protected:
  void SetUp() override {
    SqliteTest::SetUp();
    OpenStore();  // creates the schema
    store_.reset();
    auto db = sqlite::Database::Open(options_.path, sqlite::Database::Options());
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(db).value();
  }

  // Writes `threads` x `per_thread` units concurrently through a committer; unit names that
  // contain "坏" make the write fail after inserting (so it must be rolled back alone).
  void Hammer(sql::GroupCommitter& committer, int threads, int per_thread, std::atomic<int>* ok,
              std::atomic<int>* failed) {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        for (int i = 0; i < per_thread; ++i) {
          const bool bad = i % 10 == 9;
          absl::Status s = committer.Run([&](WriteTxn& tx) -> absl::Status {
            OrgUnit unit;
            unit.name = absl::StrCat(bad ? "坏" : "支部", t, "-", i);
            unit.parent_id = root_id_;
            unit.path = root_path_;
            unit.create_time = T0();
            absl::Status inserted = tx.InsertUnit(unit);
            if (!inserted.ok()) return inserted;
            return bad ? absl::InvalidArgumentError("refused after insert") : absl::OkStatus();
          });
          (s.ok() ? *ok : *failed) += 1;
        }
      });
    }
    for (auto& th : pool) th.join();
  }

  int64_t CountUnits() {
    auto n = db_->QueryText("SELECT COUNT(*) FROM units");
    EXPECT_TRUE(n.ok());
    return n.ok() ? std::stoll(*n) : -1;
  }

  void AddRoot(sql::GroupCommitter& committer) {
    ASSERT_OK(committer.Run([&](WriteTxn& tx) -> absl::Status {
      OrgUnit root;
      root.name = "党委";
      root.path = "/";
      root.create_time = T0();
      absl::Status s = tx.InsertUnit(root);
      root_id_ = root.id;
      root_path_ = root.path;
      return s;
    }));
  }

  std::unique_ptr<sqlite::Database> db_;
  absl::Mutex connection_mu_;
  Id root_id_ = 0;
  std::string root_path_;
};

TEST_F(GroupCommitTest, ConcurrentWritesShareCommitsAndFailuresStayAlone) {
  sql::GroupCommitter committer(db_.get(), &connection_mu_, 64);
  AddRoot(committer);
  std::atomic<int> ok{0}, failed{0};
  Hammer(committer, 8, 50, &ok, &failed);
  EXPECT_EQ(ok.load(), 8 * 45);
  EXPECT_EQ(failed.load(), 8 * 5);
  EXPECT_EQ(CountUnits(), 1 + 8 * 45) << "failed writes leave nothing; the others all stay";
  auto counters = committer.counters();
  EXPECT_EQ(counters.writes, 1 + 8 * 50);
  EXPECT_LT(counters.commits, counters.writes) << "some commits must have carried several writes";
}

TEST_F(GroupCommitTest, BatchOfOneIsOneTransactionPerWrite) {
  sql::GroupCommitter committer(db_.get(), &connection_mu_, 1);
  AddRoot(committer);
  std::atomic<int> ok{0}, failed{0};
  Hammer(committer, 4, 20, &ok, &failed);
  EXPECT_EQ(CountUnits(), 1 + 4 * 18);
  auto counters = committer.counters();
  EXPECT_EQ(counters.commits, counters.writes);
}

// The benchmark's fsyncs per write: a transaction that changed nothing writes no WAL frame, so
// it is a commit but not a synced one.
TEST_F(GroupCommitTest, OnlyCommitsThatWroteCountAsSynced) {
  sql::GroupCommitter committer(db_.get(), &connection_mu_, 1);
  AddRoot(committer);
  ASSERT_OK(committer.Run(
      [&](WriteTxn& tx) -> absl::Status { return tx.ListUnits("", "", 10).status(); }));
  auto counters = committer.counters();
  EXPECT_EQ(counters.commits, 2);
  EXPECT_EQ(counters.synced, 1);
  // A failed write rolls back: not synced either.
  EXPECT_FALSE(committer.Run([&](WriteTxn&) { return absl::InternalError("no"); }).ok());
  EXPECT_EQ(committer.counters().synced, 1);
}

TEST_F(GroupCommitTest, AWriteThatFillsTheDatabaseFailsAloneAndTheOthersAreKeptOrRetryable) {
  sql::GroupCommitter committer(db_.get(), &connection_mu_, 64);
  AddRoot(committer);
  // Room for the small units (64 pages), never for a 512 KiB one.
  auto pages = db_->QueryText("PRAGMA page_count");
  ASSERT_TRUE(pages.ok());
  const std::string cap = absl::StrCat("PRAGMA max_page_count = ", std::stoll(*pages) + 64);
  ASSERT_TRUE(db_->QueryText(cap.c_str()).ok());
  std::atomic<int> ok{0}, full{0}, retry{0}, other{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < 8; ++t) {
    pool.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        const bool huge = i % 5 == 4;
        absl::Status s = committer.Run([&](WriteTxn& tx) -> absl::Status {
          OrgUnit unit;
          unit.name = huge ? std::string(512 << 10, 'x') + absl::StrCat(t, "-", i)
                           : absl::StrCat("支部", t, "-", i);
          unit.parent_id = root_id_;
          unit.path = root_path_;
          unit.create_time = T0();
          return tx.InsertUnit(unit);
        });
        if (s.ok()) {
          EXPECT_FALSE(huge) << "a 512 KiB unit cannot fit";
          ++ok;
        } else if (sqlite::IsDatabaseFull(s)) {
          EXPECT_TRUE(huge) << "only the write that needed the room is refused as full: " << s;
          ++full;
        } else if (absl::IsUnavailable(s)) {
          ++retry;  // rolled back with a batch that SQLite abandoned: safe to retry
        } else {
          ADD_FAILURE() << s;
          ++other;
        }
      }
    });
  }
  for (auto& th : pool) th.join();
  EXPECT_EQ(full.load(), 8 * 4);
  EXPECT_EQ(ok.load() + retry.load(), 8 * 16);
  EXPECT_EQ(CountUnits(), 1 + ok.load()) << "every acknowledged write is there, nothing else";
  auto check = db_->QueryText("PRAGMA integrity_check");
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(*check, "ok");
}

}  // namespace
}  // namespace rectify
