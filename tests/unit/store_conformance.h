// The store conformance suite: a test written once as TEST_P on StoreTest or StoreLedgerTest
// runs on both stores,
//
//   class FooTest : public StoreLedgerTest {};
//   TEST_P(FooTest, Bar) { ... store_->Write(...) ... }
//   INSTANTIATE_TEST_SUITE_P(Stores, FooTest, AllBackends(), BackendName);
//
// with each test on a fresh database of its backend:
//   kSqlite    a real file in a fresh temporary directory, removed after the test;
//   kPostgres  a fresh scratch database on the test PostgreSQL server
//              (tests/support/postgres_fixture.h), dropped after the test.
// Link with rectify_store_sqlite, rectify_store_postgres and rectify_test_postgres
// (rectify_test(... POSTGRES) in tests/CMakeLists.txt does).
#ifndef RECTIFY_TESTS_UNIT_STORE_CONFORMANCE_H_
#define RECTIFY_TESTS_UNIT_STORE_CONFORMANCE_H_

#include <stdlib.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "services/store/postgres/postgres_store.h"
#include "services/store/sqlite/sqlite_store.h"
#include "services/store/store.h"
#include "tests/support/postgres_fixture.h"
#include "tests/unit/store_test_support.h"

namespace rectify {
namespace testing_support {

enum class Backend { kSqlite, kPostgres };

inline ::testing::internal::ParamGenerator<Backend> AllBackends() {
  return ::testing::Values(Backend::kSqlite, Backend::kPostgres);
}

inline std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

// The backend RECTIFY_TEST_STORE names: "postgres" or "sqlite" (the default). CTest runs some
// whole test binaries a second time with it set (tests/CMakeLists.txt, rectify_test_on_postgres).
inline Backend BackendFromEnvironment() {
  const char* name = std::getenv("RECTIFY_TEST_STORE");
  return name != nullptr && std::string(name) == "postgres" ? Backend::kPostgres : Backend::kSqlite;
}

// A fresh database of one backend, and a store on it. The database outlives OpenStore: a test
// may close and reopen the store on the same data.
class StoreFixtureBase {
 protected:
  void CreateDatabase(Backend backend) {
    backend_ = backend;
    // A directory of the test's own on either backend: tests put token files and exports there.
    std::string pattern = ::testing::TempDir() + "rectify_store_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    options_.path = dir_ + "/ledger.db";
    if (backend == Backend::kPostgres) {
      absl::StatusOr<std::string> db = CreateScratchDatabase();
      ASSERT_TRUE(db.ok()) << db.status();
      postgres_options_.conninfo = *db;
    }
  }

  void DropDatabase() {
    store_.reset();
    if (!dir_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(dir_, ignored);
    }
    if (!postgres_options_.conninfo.empty()) {
      const absl::Status dropped = DropScratchDatabase(postgres_options_.conninfo);
      EXPECT_TRUE(dropped.ok()) << dropped;
    }
  }

  // (Re)opens store_ on the test's database with the options of its backend; the old store, if
  // any, is closed first.
  void OpenStore() {
    store_.reset();
    if (backend_ == Backend::kSqlite) {
      absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(options_);
      ASSERT_TRUE(store.ok()) << store.status();
      store_ = std::move(store).value();
    } else {
      absl::StatusOr<std::unique_ptr<PostgresStore>> store = PostgresStore::Open(postgres_options_);
      ASSERT_TRUE(store.ok()) << store.status();
      store_ = std::move(store).value();
    }
  }

  // Read connections of either store (a test of concurrency sets it before OpenStore).
  void SetReadConnections(int n) {
    options_.read_connections = n;
    postgres_options_.read_connections = n;
  }

  // Writes and commits so far, whichever the store (group commit's counters).
  using CommitCounts = sql::GroupCommitter::Counters;
  CommitCounts commit_counts() const {
    if (const auto* s = dynamic_cast<const SqliteStore*>(store_.get())) return s->commit_counts();
    if (const auto* p = dynamic_cast<const PostgresStore*>(store_.get())) return p->commit_counts();
    return {};
  }

  Backend backend_ = Backend::kSqlite;
  std::string dir_;
  SqliteOptions options_;  // the SQLite file's; only what a SQLite test reads
  PostgresOptions postgres_options_;
  std::unique_ptr<Store> store_;
};

// One test on both stores (TEST_P, INSTANTIATE_TEST_SUITE_P with AllBackends()).
class StoreTest : public ::testing::TestWithParam<Backend>, protected StoreFixtureBase {
 protected:
  void SetUp() override { CreateDatabase(GetParam()); }
  void TearDown() override { DropDatabase(); }
};

// A test on the store RECTIFY_TEST_STORE names (TEST_F): the ledger, scheduler and service
// fixtures build on it, so that a whole binary runs on PostgreSQL by setting the variable.
class ConfiguredStoreTest : public ::testing::Test, protected StoreFixtureBase {
 protected:
  void SetUp() override { CreateDatabase(BackendFromEnvironment()); }
  void TearDown() override { DropDatabase(); }
};

using StoreLedgerTest = LedgerSeeding<StoreTest>;

}  // namespace testing_support
}  // namespace rectify

#endif  // RECTIFY_TESTS_UNIT_STORE_CONFORMANCE_H_
