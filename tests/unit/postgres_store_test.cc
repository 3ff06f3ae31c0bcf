// What only the PostgreSQL store has: its schema's versions (a node refuses a newer schema), nodes
// that start together on an empty database, an unreachable server, the leader lock of several
// nodes. (Everything the two stores share is in the conformance suite, store_*_test.cc.)
#include "services/store/postgres/postgres_store.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/store/postgres/connection.h"
#include "services/store/postgres/leader_lock.h"
#include "services/store/postgres/schema.h"
#include "tests/support/postgres_fixture.h"
#include "tests/unit/store_test_support.h"

namespace rectify {
namespace {

using postgres::ConnectionOptions;
using postgres::PgConnection;

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> db = testing_support::CreateScratchDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    options_.conninfo = *db;
  }
  void TearDown() override { EXPECT_OK(testing_support::DropScratchDatabase(options_.conninfo)); }

  absl::StatusOr<postgres::SchemaVersion> Version() {
    absl::StatusOr<std::unique_ptr<PgConnection>> conn =
        PgConnection::Open(options_.conninfo, ConnectionOptions());
    if (!conn.ok()) return conn.status();
    return postgres::ReadSchemaVersion(**conn);
  }

  PostgresOptions options_;
};

TEST_F(PostgresStoreTest, FirstOpenCreatesTheCurrentSchemaAndReopeningKeepsIt) {
  ASSERT_OK_AND_ASSIGN(postgres::SchemaVersion empty, Version());
  EXPECT_EQ(empty.version, 0);
  { ASSERT_OK_AND_ASSIGN(std::unique_ptr<PostgresStore> store, PostgresStore::Open(options_)); }
  ASSERT_OK_AND_ASSIGN(postgres::SchemaVersion v, Version());
  EXPECT_EQ(v.version, postgres::kCurrentSchemaVersion);
  EXPECT_EQ(v.compatible_version, postgres::kCurrentSchemaVersion);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<PostgresStore> again, PostgresStore::Open(options_));
  EXPECT_OK(again->Ping());
}

TEST_F(PostgresStoreTest, ANewerSchemaIsRefusedWithAClearMessageAndLeftAlone) {
  { ASSERT_OK_AND_ASSIGN(std::unique_ptr<PostgresStore> store, PostgresStore::Open(options_)); }
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<PgConnection> conn,
                         PgConnection::Open(options_.conninfo, ConnectionOptions()));
    ASSERT_OK(conn->Execute(
        "UPDATE meta SET value = '99' WHERE key IN ('version', 'last_compatible_version')"));
  }
  const absl::Status refused = PostgresStore::Open(options_).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_TRUE(absl::StrContains(refused.message(), "请升级 rectifyd")) << refused;
  EXPECT_TRUE(absl::StrContains(refused.message(), "upgrade rectifyd")) << refused;
  ASSERT_OK_AND_ASSIGN(postgres::SchemaVersion v, Version());
  EXPECT_EQ(v.version, 99);
}

TEST_F(PostgresStoreTest, NodesStartingTogetherOnAnEmptyDatabaseAllOpenIt) {
  constexpr int kNodes = 4;
  std::vector<absl::Status> results(kNodes);
  std::vector<std::thread> nodes;
  for (int i = 0; i < kNodes; ++i) {
    nodes.emplace_back([&, i] { results[i] = PostgresStore::Open(options_).status(); });
  }
  for (std::thread& t : nodes) t.join();
  for (const absl::Status& s : results) EXPECT_OK(s);
  ASSERT_OK_AND_ASSIGN(postgres::SchemaVersion v, Version());
  EXPECT_EQ(v.version, postgres::kCurrentSchemaVersion);
}

TEST_F(PostgresStoreTest, AnUnreachableServerIsUnavailableNotAHang) {
  PostgresOptions nowhere = options_;
  nowhere.conninfo = "host=127.0.0.1 port=1 dbname=rectify user=rectify";
  nowhere.connect_timeout_s = 2;
  const absl::Time start = absl::Now();
  const absl::Status s = PostgresStore::Open(nowhere).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << s;
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
}

TEST_F(PostgresStoreTest, BackupPointsToPostgresqlsOwnTools) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<PostgresStore> store, PostgresStore::Open(options_));
  const absl::Status s = store->Backup("/tmp/never-written.db");
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_TRUE(absl::StrContains(s.message(), "pg_dump")) << s;
}

TEST_F(PostgresStoreTest, ExactlyOneNodeLeadsAndAnotherTakesOverWhenItGoes) {
  auto first = std::make_unique<postgres::LeaderLock>(options_.conninfo, ConnectionOptions());
  postgres::LeaderLock second(options_.conninfo, ConnectionOptions());
  EXPECT_TRUE(first->Check());
  EXPECT_FALSE(second.Check());
  EXPECT_TRUE(first->Check());  // confirmed, still the one
  EXPECT_FALSE(second.Check());
  first.reset();  // the leader's session ends (as when its process dies)
  // The server frees the lock once it has seen the session end: at once for a closed socket,
  // but the check may race the backend's exit by a few milliseconds, and a follower asks at most
  // every half second.
  bool took_over = false;
  for (int i = 0; i < 150 && !took_over; ++i) {
    took_over = second.Check();
    if (!took_over) absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_TRUE(took_over);
  EXPECT_EQ(second.terms(), 1);
}

}  // namespace
}  // namespace rectify
