#include "services/store/sqlite/sqlite_store.h"

#include <sys/statvfs.h>

#include <filesystem>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"
#include "services/store/sql/group_commit.h"
#include "services/store/sql/ledger_txn.h"
#include "services/store/sqlite/database.h"
#include "services/store/sqlite/schema.h"

namespace rectify {

using sql::Transaction;
using sqlite::Database;

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
  if (options.writer_cache_kib < 64) {
    return InvalidField("writer_cache_kib", "至少为 64", "must be at least 64");
  }
  if (options.reader_cache_kib < 64) {
    return InvalidField("reader_cache_kib", "至少为 64", "must be at least 64");
  }
  if (options.max_write_batch < 1) {
    return InvalidField("max_write_batch", "至少为 1", "must be at least 1");
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
  RETURN_IF_ERROR(
      db->Execute(absl::StrCat("PRAGMA cache_size = -", options.writer_cache_kib).c_str()));
  // Each write of a group commit runs in a SAVEPOINT, whose statement journal would otherwise be
  // a temporary file created and deleted for every write.
  RETURN_IF_ERROR(db->Execute("PRAGMA temp_store = MEMORY"));
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

// What a write that hit the max_page_count cap says, naming the cap in pages and MiB.
absl::StatusOr<std::string> FullMessage(const SqliteOptions& options, Database& writer) {
  if (!options.max_page_count.has_value()) return std::string();
  ASSIGN_OR_RETURN(std::string page_size_text, writer.QueryText("PRAGMA page_size"));
  int64_t page_size = 0;
  if (!absl::SimpleAtoi(page_size_text, &page_size)) page_size = 4096;
  const int64_t pages = *options.max_page_count;
  const double mib = static_cast<double>(pages * page_size) / (1 << 20);
  return absl::StrFormat(
      "数据库已满：已达到容量上限 %d 页（每页 %d 字节，约 %.1f MiB），无法再写入；"
      "查询不受影响，请清理数据或调高上限（rectifyd --max_db_pages）后重试 / "
      "the database is full: it reached its size limit of %d pages of %d bytes (about %.1f MiB) "
      "and takes no more writes; reads still work. Free space or raise the limit "
      "(rectifyd --max_db_pages), then retry",
      pages, page_size, mib, pages, page_size, mib);
}

absl::StatusOr<std::unique_ptr<Database>> OpenReader(const SqliteOptions& options) {
  Database::Options db_options;
  db_options.busy_timeout_ms = options.busy_timeout_ms;
  db_options.must_exist = true;
  ASSIGN_OR_RETURN(std::unique_ptr<Database> db, Database::Open(options.path, db_options));
  // A guard: a Read that tried to write would fail instead of writing outside the writer's lock.
  RETURN_IF_ERROR(db->Execute("PRAGMA query_only = ON"));
  RETURN_IF_ERROR(
      db->Execute(absl::StrCat("PRAGMA cache_size = -", options.reader_cache_kib).c_str()));
  return db;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(const SqliteOptions& options) {
  RETURN_IF_ERROR(ValidateOptions(options));
  ASSIGN_OR_RETURN(std::unique_ptr<Database> writer, OpenWriter(options));
  ASSIGN_OR_RETURN(std::string full_message, FullMessage(options, *writer));
  std::vector<std::unique_ptr<Database>> readers;
  for (int i = 0; i < options.read_connections; ++i) {
    ASSIGN_OR_RETURN(std::unique_ptr<Database> reader, OpenReader(options));
    readers.push_back(std::move(reader));
  }
  return std::unique_ptr<SqliteStore>(
      new SqliteStore(options, std::move(full_message), std::move(writer), std::move(readers)));
}

SqliteStore::SqliteStore(const SqliteOptions& options, std::string full_message,
                         std::unique_ptr<Database> writer,
                         std::vector<std::unique_ptr<Database>> readers)
    : options_(options),
      full_message_(std::move(full_message)),
      writer_(std::move(writer)),
      idle_readers_(std::move(readers)) {
  // writer_ is never replaced, so the committer may keep the raw pointer; it takes write_mu_
  // around each batch.
  absl::MutexLock lock(&write_mu_);
  committer_ =
      std::make_unique<sql::GroupCommitter>(writer_.get(), &write_mu_, options_.max_write_batch);
}

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
    Transaction txn(*reader, Transaction::Mode::kRead);
    status = txn.Begin();
    if (status.ok()) {
      sql::LedgerTxn tx(*reader);
      status = fn(tx);
      // Ends the read transaction; nothing to make durable. On error, txn's destructor does it.
      if (status.ok()) status = txn.Commit();
    }
  }
  ReleaseReader(std::move(reader));
  return status;
}

SqliteStore::CommitCounts SqliteStore::commit_counts() const { return committer_->counters(); }

absl::Status SqliteStore::Write(const std::function<absl::Status(WriteTxn&)>& fn) {
  absl::Status status = committer_->Run(fn);
  if (sqlite::IsDatabaseFull(status)) {
    absl::MutexLock lock(&write_mu_);
    return ExplainFull(status);
  }
  return status;
}

absl::Status SqliteStore::ExplainFull(const absl::Status& status) {
  // The write needed more room than min(room under the cap, free disk): when the cap left less
  // room than the disk has, the cap is what stopped it.
  if (!full_message_.empty()) {
    absl::StatusOr<std::string> pages = writer_->QueryText("PRAGMA page_count");
    absl::StatusOr<std::string> page_size = writer_->QueryText("PRAGMA page_size");
    int64_t page_count = 0;
    int64_t size = 0;
    struct statvfs fs;
    const std::string dir = std::filesystem::path(options_.path).parent_path().string();
    if (pages.ok() && page_size.ok() && absl::SimpleAtoi(*pages, &page_count) &&
        absl::SimpleAtoi(*page_size, &size) && statvfs(dir.empty() ? "." : dir.c_str(), &fs) == 0) {
      const int64_t cap_room = (*options_.max_page_count - page_count) * size;
      const int64_t disk_free =
          static_cast<int64_t>(fs.f_bavail) * static_cast<int64_t>(fs.f_frsize);
      if (cap_room <= disk_free) return absl::ResourceExhaustedError(full_message_);
    }
  }
  return absl::ResourceExhaustedError(absl::StrCat(
      "磁盘已满，无法写入数据库 ", options_.path,
      "；查询不受影响，请释放磁盘空间后重试 / the disk holding the database ", options_.path,
      " is full; reads still work. Free disk space, then retry (", status.message(), ")"));
}

}  // namespace rectify
