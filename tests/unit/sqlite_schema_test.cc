// The SQLite store's schema and file handling: migrations step by step, a too-new database is
// refused, damaged or foreign files give clear errors (never a crash), a full database is
// RESOURCE_EXHAUSTED.
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/store/sqlite/database.h"
#include "services/store/sqlite/schema.h"
#include "services/store/sqlite/sqlite_store.h"
#include "tests/unit/store_test_support.h"

namespace rectify {
namespace {

using sqlite::Database;
using sqlite::SchemaVersion;
using testing_support::SqliteLedgerTest;
using testing_support::SqliteTest;
using testing_support::T0;

class SqliteSchemaTest : public SqliteTest {
 protected:
  // A raw connection to the test's file, as an older or newer binary would have it.
  std::unique_ptr<Database> OpenRaw() {
    absl::StatusOr<std::unique_ptr<Database>> db =
        Database::Open(options_.path, Database::Options());
    EXPECT_TRUE(db.ok()) << db.status();
    return db.ok() ? std::move(db).value() : nullptr;
  }

  SchemaVersion VersionOnDisk() {
    std::unique_ptr<Database> db = OpenRaw();
    absl::StatusOr<SchemaVersion> v = sqlite::ReadSchemaVersion(*db);
    EXPECT_TRUE(v.ok()) << v.status();
    return v.value_or(SchemaVersion());
  }

  void SetVersionOnDisk(int version, int compatible) {
    std::unique_ptr<Database> db = OpenRaw();
    ASSERT_OK(db->Execute(absl::StrCat("UPDATE meta SET value = ", version,
                                       " WHERE key = 'version'; UPDATE meta SET value = ",
                                       compatible, " WHERE key = 'last_compatible_version'")
                              .c_str()));
  }

  void WriteFile(const std::string& bytes) {
    std::ofstream out(options_.path, std::ios::binary | std::ios::trunc);
    out << bytes;
  }
};

TEST_F(SqliteSchemaTest, NewDatabaseIsCreatedAtTheCurrentVersion) {
  OpenStore();
  store_.reset();
  SchemaVersion v = VersionOnDisk();
  EXPECT_EQ(v.version, sqlite::kCurrentSchemaVersion);
  // Step 13 (the notification outbox) shuts out older binaries: their changes would write no
  // notices, so reminders, urges and escalations would silently not be sent.
  EXPECT_EQ(v.compatible_version, 13);
}

TEST_F(SqliteSchemaTest, VersionOneDatabaseIsMigratedAndKeepsItsData) {
  {
    std::unique_ptr<Database> db = OpenRaw();
    ASSERT_OK(sqlite::MigrateSchema(*db, 1));
    absl::StatusOr<SchemaVersion> v = sqlite::ReadSchemaVersion(*db);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->version, 1);
    ASSERT_OK(
        db->Execute("INSERT INTO units (id, name, parent_id, path, depth, version, "
                    "create_time) VALUES (1, '党委', NULL, '/1/', 0, 1, 0)"));
    // Step 2 has not run: its tables are not there yet.
    EXPECT_FALSE(db->Execute("SELECT COUNT(*) FROM flags").ok());
  }

  OpenStore();  // migrates to the current version

  ASSERT_OK(store_->Read([&](ReadTxn& tx) {
    EXPECT_EQ(tx.GetUnit(1).value().name, "党委");
    return absl::OkStatus();
  }));
  ASSERT_OK(store_->Write([&](WriteTxn& tx) {
    return tx.SaveRequest({"req-1", "fp", "resp", T0()});  // a table of step 2
  }));
  store_.reset();
  EXPECT_EQ(VersionOnDisk().version, sqlite::kCurrentSchemaVersion);
}

TEST_F(SqliteSchemaTest, MigratingAnUpToDateDatabaseChangesNothing) {
  std::unique_ptr<Database> db = OpenRaw();
  ASSERT_OK(sqlite::MigrateSchema(*db));
  ASSERT_OK(sqlite::MigrateSchema(*db));
  ASSERT_OK(sqlite::MigrateSchema(*db, 1));  // never downgrades
  EXPECT_EQ(sqlite::ReadSchemaVersion(*db).value().version, sqlite::kCurrentSchemaVersion);
  EXPECT_EQ(sqlite::MigrateSchema(*db, sqlite::kCurrentSchemaVersion + 1).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(SqliteSchemaTest, DatabaseOfAnIncompatibleNewerBinaryIsRefused) {
  OpenStore();
  store_.reset();
  const int newer = sqlite::kCurrentSchemaVersion + 1;
  SetVersionOnDisk(newer, newer);
  absl::Status status = SqliteStore::Open(options_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_NE(status.message().find("请升级 rectifyd"), absl::string_view::npos) << status;
  EXPECT_NE(status.message().find("upgrade rectifyd"), absl::string_view::npos) << status;
  EXPECT_EQ(VersionOnDisk().version, newer);  // untouched
}

TEST_F(SqliteSchemaTest, NewerDatabaseThatStaysCompatibleOpensAsItIs) {
  OpenStore();
  store_.reset();
  SetVersionOnDisk(sqlite::kCurrentSchemaVersion + 1, sqlite::kCurrentSchemaVersion);
  OpenStore();
  store_.reset();
  EXPECT_EQ(VersionOnDisk().version, sqlite::kCurrentSchemaVersion + 1);
}

TEST_F(SqliteSchemaTest, FileThatIsNotADatabaseIsDataLoss) {
  WriteFile(std::string(8192, 'x'));
  absl::Status status = SqliteStore::Open(options_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << status;
}

TEST_F(SqliteSchemaTest, SqliteFileOfAnotherProgramIsRefused) {
  {
    std::unique_ptr<Database> db = OpenRaw();
    ASSERT_OK(db->Execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)"));
  }
  absl::Status status = SqliteStore::Open(options_).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_NE(status.message().find("not a Rectify database"), absl::string_view::npos);
}

TEST_F(SqliteSchemaTest, DamagedDatabaseIsDataLossNotACrash) {
  OpenStore();
  ASSERT_OK(store_->Write([&](WriteTxn& tx) {
    OrgUnit unit;
    unit.name = "党委";
    unit.path = "/";
    return tx.InsertUnit(unit);
  }));
  store_.reset();
  // Keep the file header (first page) and overwrite every later page with noise.
  std::string bytes;
  {
    std::ifstream in(options_.path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  ASSERT_GT(bytes.size(), 8192u);
  for (size_t i = 4096; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 131 + 7);
  WriteFile(bytes);

  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(options_);
  absl::Status status = store.status();
  if (store.ok()) {
    // Opened (the damage missed what opening reads): reading the ledger must notice it.
    status = (*store)->Read([](ReadTxn& tx) { return tx.ListTasks(TaskQuery()).status(); });
  }
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << status;
}

class SqliteFullTest : public SqliteLedgerTest {
 protected:
  void SetUp() override {
    options_.max_page_count = 100;  // 400 KiB at the default page size
    SqliteLedgerTest::SetUp();
  }
};

TEST_F(SqliteFullTest, FullDatabaseIsResourceExhaustedAndKeepsWhatWasCommitted) {
  OrgUnit root = AddUnit(nullptr, "党委");
  Task task = AddTask(AddProblem(AddReview(root), 1), root, absl::CivilDay(2022, 3, 31));
  int committed = 0;
  absl::Status status;
  for (int i = 0; i < 50 && status.ok(); ++i) {
    ProgressReport report;
    report.task_id = task.id;
    report.report_time = T0();
    report.evidence.push_back({0, "scan.pdf", "application/pdf", 64 * 1024, "00",
                               std::string(64 * 1024, static_cast<char>(i))});
    status = store_->Write([&](WriteTxn& tx) { return tx.InsertProgress(report); });
    if (status.ok()) ++committed;
  }
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted) << status;
  EXPECT_GT(committed, 0);
  ASSERT_OK(store_->Read([&](ReadTxn& tx) {
    EXPECT_EQ(static_cast<int>(tx.ListProgress(task.id).value().size()), committed);
    return absl::OkStatus();
  }));
}

}  // namespace
}  // namespace rectify
