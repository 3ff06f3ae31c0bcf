// The RAII layer under the SQLite store: error mapping, statements, the cache, transactions.
#include <sqlite3.h>

#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "services/store/sqlite/database.h"
#include "tests/unit/store_test_support.h"

namespace rectify {
namespace sqlite {
namespace {

// Detects whether Statement::BindInt accepts a T.
template <typename T, typename = void>
struct CanBindInt : std::false_type {};
template <typename T>
struct CanBindInt<T,
                  std::void_t<decltype(std::declval<Statement&>().BindInt(1, std::declval<T>()))>>
    : std::true_type {};

static_assert(CanBindInt<int>::value, "BindInt takes an int");
static_assert(!CanBindInt<int64_t>::value, "BindInt must refuse a 64-bit value (narrowing)");

TEST(StatusFromSqliteTest, MapsCodesAsTheStoreInterfacePromises) {
  EXPECT_TRUE(StatusFromSqlite(SQLITE_OK, "").ok());
  EXPECT_TRUE(StatusFromSqlite(SQLITE_DONE, "").ok());
  EXPECT_EQ(StatusFromSqlite(SQLITE_BUSY, "").code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(StatusFromSqlite(SQLITE_BUSY_SNAPSHOT, "").code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(StatusFromSqlite(SQLITE_LOCKED, "").code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(StatusFromSqlite(SQLITE_IOERR_FSYNC, "").code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(StatusFromSqlite(SQLITE_FULL, "").code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(StatusFromSqlite(SQLITE_CORRUPT, "").code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(StatusFromSqlite(SQLITE_NOTADB, "").code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(StatusFromSqlite(SQLITE_CONSTRAINT_UNIQUE, "").code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(StatusFromSqlite(SQLITE_CONSTRAINT_PRIMARYKEY, "").code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(StatusFromSqlite(SQLITE_CONSTRAINT_FOREIGNKEY, "").code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(StatusFromSqlite(SQLITE_MISUSE, "").code(), absl::StatusCode::kInternal);
  // Chinese first, English after " / ", the detail for the operator last.
  EXPECT_EQ(StatusFromSqlite(SQLITE_FULL, "disk").message(),
            "数据库或磁盘已满 / the database or disk is full (disk)");
}

class DatabaseTest : public testing_support::SqliteTest {
 protected:
  void SetUp() override {
    SqliteTest::SetUp();
    ASSERT_OK_AND_ASSIGN(db_, Database::Open(options_.path, Database::Options()));
    ASSERT_OK(db_->Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, b BLOB)"));
  }

  int64_t Count() {
    absl::StatusOr<std::string> n = db_->QueryText("SELECT COUNT(*) FROM t");
    EXPECT_TRUE(n.ok()) << n.status();
    return n.ok() ? std::stoll(*n) : -1;
  }

  std::unique_ptr<Database> db_;
};

TEST_F(DatabaseTest, TextAndBlobsKeepEmbeddedNullsAndNullStaysNull) {
  const std::string blob("a\0b\xff", 4);
  {
    ASSERT_OK_AND_ASSIGN(Statement s,
                         db_->GetCachedStatement("INSERT INTO t (id, v, b) VALUES ($1, $2, $3)"));
    s.BindInt64(1, int64_t{1} << 40);
    s.BindText(2, "中文");
    s.BindBlob(3, blob);
    ASSERT_OK(s.Run());
  }
  ASSERT_OK_AND_ASSIGN(Statement s, db_->GetCachedStatement("SELECT id, v, b, NULL FROM t"));
  ASSERT_OK_AND_ASSIGN(bool row, s.Step());
  ASSERT_TRUE(row);
  EXPECT_EQ(s.ColumnInt64(0), int64_t{1} << 40);
  EXPECT_EQ(s.ColumnText(1), "中文");
  EXPECT_EQ(s.ColumnBlob(2), blob);
  EXPECT_TRUE(s.ColumnIsNull(3));
  EXPECT_FALSE(s.ColumnIsNull(2));
}

TEST_F(DatabaseTest, NestedUseOfACachedStatementGetsItsOwnCopy) {
  ASSERT_OK_AND_ASSIGN(Statement outer, db_->GetCachedStatement("SELECT $1"));
  ASSERT_OK_AND_ASSIGN(Statement inner, db_->GetCachedStatement("SELECT $1"));
  outer.BindInt(1, 1);
  inner.BindInt(1, 2);
  ASSERT_TRUE(outer.Step().value());
  ASSERT_TRUE(inner.Step().value());
  EXPECT_EQ(outer.ColumnInt(0), 1);
  EXPECT_EQ(inner.ColumnInt(0), 2);
}

TEST_F(DatabaseTest, CachedStatementComesBackResetWithBindingsCleared) {
  {
    ASSERT_OK_AND_ASSIGN(Statement s, db_->GetCachedStatement("SELECT $1"));
    s.BindInt(1, 7);
    ASSERT_TRUE(s.Step().value());  // left mid-way on purpose
  }
  ASSERT_OK_AND_ASSIGN(Statement s, db_->GetCachedStatement("SELECT $1"));
  ASSERT_TRUE(s.Step().value());
  EXPECT_TRUE(s.ColumnIsNull(0));
}

TEST_F(DatabaseTest, MovedStatementKeepsWorkingAndTheOldOneIsEmpty) {
  ASSERT_OK_AND_ASSIGN(Statement a, db_->GetCachedStatement("SELECT 5"));
  Statement b = std::move(a);
  ASSERT_TRUE(b.Step().value());
  EXPECT_EQ(b.ColumnInt(0), 5);
  EXPECT_STREQ(a.sql(), "");  // NOLINT(bugprone-use-after-move): the moved-from state is defined
}

TEST_F(DatabaseTest, PlaceholdersMustBeNumberedInOrderOfAppearance) {
  EXPECT_TRUE(db_->GetUniqueStatement("SELECT $1, $2, $1").ok());
  absl::Status status = db_->GetUniqueStatement("SELECT $2, $1").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal) << status;
  EXPECT_EQ(db_->GetUniqueStatement("SELECT :name").status().code(), absl::StatusCode::kInternal);
}

TEST_F(DatabaseTest, OneStatementAtATime) {
  EXPECT_EQ(db_->GetUniqueStatement("SELECT 1; SELECT 2").status().code(),
            absl::StatusCode::kInternal);
  EXPECT_TRUE(db_->GetUniqueStatement("SELECT 1;  \n").ok());
}

TEST_F(DatabaseTest, SyntaxErrorIsInternalWithSqlitesMessage) {
  absl::Status status = db_->GetUniqueStatement("SELEC 1").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_NE(status.message().find("syntax error"), absl::string_view::npos) << status;
}

TEST_F(DatabaseTest, TransactionRollsBackUnlessCommitted) {
  {
    Transaction txn(*db_, Transaction::Mode::kWrite);
    ASSERT_OK(txn.Begin());
    ASSERT_OK(db_->Execute("INSERT INTO t (v) VALUES ('dropped')"));
  }
  EXPECT_EQ(Count(), 0);
  EXPECT_TRUE(db_->InAutocommit());
  {
    Transaction txn(*db_, Transaction::Mode::kWrite);
    ASSERT_OK(txn.Begin());
    ASSERT_OK(db_->Execute("INSERT INTO t (v) VALUES ('kept')"));
    ASSERT_OK(txn.Commit());
  }
  EXPECT_EQ(Count(), 1);
}

TEST_F(DatabaseTest, UniqueViolationIsAlreadyExistsAndChangeCountCounts) {
  ASSERT_OK(db_->Execute("INSERT INTO t (id) VALUES (1), (2)"));
  EXPECT_EQ(db_->ChangeCount(), 2);
  EXPECT_EQ(db_->Execute("INSERT INTO t (id) VALUES (1)").code(), absl::StatusCode::kAlreadyExists);
}

TEST_F(DatabaseTest, MissingDirectoryIsUnavailable) {
  Database::Options options;
  absl::Status status = Database::Open(dir_ + "/no/such/dir/x.db", options).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  options.must_exist = true;
  status = Database::Open(dir_ + "/absent.db", options).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
}

}  // namespace
}  // namespace sqlite
}  // namespace rectify
