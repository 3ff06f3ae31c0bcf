#include "services/store/sqlite/sqlite_store.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"
#include "services/store/sqlite/database.h"
#include "services/store/sqlite/schema.h"
#include "services/store/sqlite/sqlite_txn.h"

namespace rectify {

using sqlite::Database;
using sqlite::Transaction;

namespace {

absl::Status ValidateOptions(const SqliteOptions& options) {
  if (options.path.empty()) {
    return InvalidField("path", "须指定数据库文件", "a database file is required");
  }
  if (options.path == ":memory:" || options.path.rfind("file:", 0) == 0) {
    // Read connections must share the writer's file; a private in-memory database can't.
    return InvalidField("path", "须为普通文件路径", "must be a plain file path");
  }
  if (options.read_connections < 1) {
    return InvalidField("read_connections", "至少为 1", "must be at least 1");
  }
  if (options.busy_timeout_ms < 0) {
    return InvalidField("busy_timeout_ms", "不能为负数", "must not be negative");
  }
  if (options.max_page_count.has_value() && *options.max_page_count < 1) {
    return InvalidField("max_page_count", "至少为 1", "must be at least 1");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Database>> OpenWriter(const SqliteOptions& options) {
  Database::Options db_options;
  db_options.busy_timeout_ms = options.busy_timeout_ms;
  ASSIGN_OR_RETURN(std::unique_ptr<Database> db, Database::Open(options.path, db_options));
  // The first statement to read the file: a file that is not a database fails here (DATA_LOSS).
  ASSIGN_OR_RETURN(std::string mode, db->QueryText("PRAGMA journal_mode = WAL"));
  if (absl::AsciiStrToLower(mode) != "wal") {
    // Without WAL, readers and the writer would block each other.
    return absl::FailedPreconditionError(absl::StrCat(
        "无法为 ", options.path, " 启用 WAL 日志模式（当前为 ", mode,
        "） / cannot enable WAL journal mode on ", options.path, " (it is ", mode, ")"));
  }
  RETURN_IF_ERROR(db->Execute("PRAGMA foreign_keys = ON"));
  RETURN_IF_ERROR(db->Execute(options.synchronous == SqliteOptions::Synchronous::kFull
                                  ? "PRAGMA synchronous = FULL"
                                  : "PRAGMA synchronous = NORMAL"));
  if (options.max_page_count.has_value()) {
    const std::string pragma = absl::StrCat("PRAGMA max_page_count = ", *options.max_page_count);
    RETURN_IF_ERROR(db->QueryText(pragma.c_str()).status());
  }
  RETURN_IF_ERROR(sqlite::MigrateSchema(*db));
  return db;
}

absl::StatusOr<std::unique_ptr<Database>> OpenReader(const SqliteOptions& options) {
  Database::Options db_options;
  db_options.busy_timeout_ms = options.busy_timeout_ms;
  db_options.must_exist = true;
  ASSIGN_OR_RETURN(std::unique_ptr<Database> db, Database::Open(options.path, db_options));
  // A guard: a Read that tried to write would fail instead of writing outside the writer's lock.
  RETURN_IF_ERROR(db->Execute("PRAGMA query_only = ON"));
  return db;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(const SqliteOptions& options) {
  RETURN_IF_ERROR(ValidateOptions(options));
  ASSIGN_OR_RETURN(std::unique_ptr<Database> writer, OpenWriter(options));
  std::vector<std::unique_ptr<Database>> readers;
  for (int i = 0; i < options.read_connections; ++i) {
    ASSIGN_OR_RETURN(std::unique_ptr<Database> reader, OpenReader(options));
    readers.push_back(std::move(reader));
  }
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(writer), std::move(readers)));
}

SqliteStore::SqliteStore(std::unique_ptr<Database> writer,
                         std::vector<std::unique_ptr<Database>> readers)
    : writer_(std::move(writer)), idle_readers_(std::move(readers)) {}

SqliteStore::~SqliteStore() = default;

std::unique_ptr<Database> SqliteStore::AcquireReader() {
  absl::MutexLock lock(&pool_mu_);
  pool_mu_.Await(absl::Condition(
      +[](std::vector<std::unique_ptr<Database>>* idle) { return !idle->empty(); },
      &idle_readers_));
  std::unique_ptr<Database> reader = std::move(idle_readers_.back());
  idle_readers_.pop_back();
  return reader;
}

void SqliteStore::ReleaseReader(std::unique_ptr<Database> reader) {
  absl::MutexLock lock(&pool_mu_);
  idle_readers_.push_back(std::move(reader));
}

absl::Status SqliteStore::Read(const std::function<absl::Status(ReadTxn&)>& fn) {
  std::unique_ptr<Database> reader = AcquireReader();
  absl::Status status;
  {
    // Deferred: the snapshot is taken at the first read and held until the end, so everything
    // fn reads is from one moment.
    Transaction txn(*reader, Transaction::Mode::kDeferred);
    status = txn.Begin();
    if (status.ok()) {
      sqlite::SqliteTxn tx(*reader);
      status = fn(tx);
      // Ends the read transaction; nothing to make durable. On error, txn's destructor does it.
      if (status.ok()) status = txn.Commit();
    }
  }
  ReleaseReader(std::move(reader));
  return status;
}

absl::Status SqliteStore::Write(const std::function<absl::Status(WriteTxn&)>& fn) {
  absl::MutexLock lock(&write_mu_);
  // Immediate: takes the file's write lock now, so a busy file fails here, before fn has done
  // work, rather than at the first write inside it.
  Transaction txn(*writer_, Transaction::Mode::kImmediate);
  RETURN_IF_ERROR(txn.Begin());
  sqlite::SqliteTxn tx(*writer_);
  RETURN_IF_ERROR(fn(tx));  // txn's destructor rolls back
  return txn.Commit();
}

}  // namespace rectify
