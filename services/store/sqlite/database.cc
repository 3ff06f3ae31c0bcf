#include "services/store/sqlite/database.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"

namespace rectify {
namespace sqlite {

namespace {

// Marks the status of SQLITE_FULL, so that SqliteStore can tell it from other limits.
constexpr char kDatabaseFullPayload[] = "type.rectify.dev/store.DatabaseFull";

std::string WithDetail(absl::string_view zh, absl::string_view en, absl::string_view detail) {
  if (detail.empty()) return Bilingual(zh, en);
  return absl::StrCat(Bilingual(zh, en), " (", detail, ")");
}

}  // namespace

absl::Status StatusFromSqlite(int code, absl::string_view detail) {
  switch (code & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
      return absl::OkStatus();
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(
          WithDetail("数据库繁忙，请稍后重试", "the database is busy, retry later", detail));
    case SQLITE_IOERR:
      return absl::UnavailableError(WithDetail("数据库读写失败", "database I/O error", detail));
    case SQLITE_CANTOPEN:
      return absl::UnavailableError(
          WithDetail("无法打开数据库文件", "cannot open the database file", detail));
    case SQLITE_READONLY:
      return absl::UnavailableError(
          WithDetail("数据库当前不可写", "the database is not writable", detail));
    case SQLITE_INTERRUPT:
    case SQLITE_PROTOCOL:
      return absl::UnavailableError(WithDetail(
          "数据库操作被中断，请重试", "the database operation was interrupted, retry", detail));
    case SQLITE_FULL: {
      absl::Status full = absl::ResourceExhaustedError(
          WithDetail("数据库或磁盘已满", "the database or disk is full", detail));
      full.SetPayload(kDatabaseFullPayload, absl::Cord("1"));
      return full;
    }
    case SQLITE_NOMEM:
      return absl::ResourceExhaustedError(WithDetail("内存不足", "out of memory", detail));
    case SQLITE_TOOBIG:
      return absl::ResourceExhaustedError(WithDetail("数据过大", "value too large", detail));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::DataLossError(WithDetail("数据库文件已损坏或不是数据库文件",
                                            "the database file is corrupt or not a database",
                                            detail));
    case SQLITE_CONSTRAINT:
      if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return absl::AlreadyExistsError(
            WithDetail("记录已存在", "the record already exists", detail));
      }
      if (code == SQLITE_CONSTRAINT_FOREIGNKEY) {
        return absl::FailedPreconditionError(
            WithDetail("引用的记录不存在", "a referenced record does not exist", detail));
      }
      return absl::FailedPreconditionError(
          WithDetail("违反数据约束", "a data constraint was violated", detail));
    default:
      return absl::InternalError(WithDetail("数据库错误", "database error", detail));
  }
}

bool IsDatabaseFull(const absl::Status& status) {
  return status.GetPayload(kDatabaseFullPayload).has_value();
}

// ---------------------------------------------------------------------------------------------
// SqliteStatement

class SqliteStatement final : public sql::StatementImpl {
 public:
  // `in_use`: the cache's flag for this statement, or nullptr for one owned by its sql::Statement.
  SqliteStatement(Database* db, sqlite3_stmt* stmt, bool* in_use)
      : db_(db), stmt_(stmt), in_use_(in_use) {}
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }

  void BindNull(int index) override { sqlite3_bind_null(stmt_, index); }
  void BindInt64(int index, int64_t value) override {
    sqlite3_bind_int64(stmt_, index, static_cast<sqlite3_int64>(value));
  }
  void BindText(int index, absl::string_view value) override {
    sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  }
  void BindBlob(int index, absl::string_view value) override {
    // A null pointer would bind NULL, not an empty blob.
    static const char kEmpty = 0;
    const char* data = value.empty() ? &kEmpty : value.data();
    sqlite3_bind_blob64(stmt_, index, data, value.size(), SQLITE_TRANSIENT);
  }

  absl::StatusOr<bool> Step() override {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return db_->Error(rc, "");
  }
  void Reset() override { sqlite3_reset(stmt_); }

  bool ColumnIsNull(int column) const override {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
  }
  int64_t ColumnInt64(int column) const override {
    return static_cast<int64_t>(sqlite3_column_int64(stmt_, column));
  }
  std::string ColumnText(int column) const override {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    if (text == nullptr) return std::string();
    return std::string(reinterpret_cast<const char*>(text),
                       static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
  }
  std::string ColumnBlob(int column) const override {
    const void* data = sqlite3_column_blob(stmt_, column);
    if (data == nullptr) return std::string();
    return std::string(static_cast<const char*>(data),
                       static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
  }
  const char* sql() const override { return sqlite3_sql(stmt_); }

  void Recycle() override {
    // Back to the cache, clean for the next user. reset() repeats the last error; it was
    // reported by Step already.
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    *in_use_ = false;
  }

 private:
  Database* const db_;
  sqlite3_stmt* const stmt_;
  bool* const in_use_;
};

struct Database::CachedStatement {
  std::unique_ptr<SqliteStatement> statement;
  bool in_use = false;
};

// ---------------------------------------------------------------------------------------------
// Database

Database::Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

Database::~Database() {
  cache_.clear();  // finalizes the cached statements
  // close_v2 defers the close if a statement was leaked instead of failing with BUSY.
  sqlite3_close_v2(db_);
}

absl::Status CreateOwnerOnlyFile(const std::string& path) {
  if (path.empty() || path == ":memory:" || absl::StartsWith(path, "file:")) {
    return absl::OkStatus();
  }
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return absl::OkStatus();  // an existing file keeps its mode
    const int err = errno;
    return absl::UnavailableError(
        absl::StrCat("无法创建数据库文件 ", path, "：", std::strerror(err),
                     " / cannot create the database file ", path, ": ", std::strerror(err)));
  }
  // open() applied the umask to 0600, which can only remove bits; fchmod makes it exact.
  const int rc = fchmod(fd, 0600);
  const int err = errno;
  close(fd);
  if (rc != 0) {
    return absl::UnavailableError(absl::StrCat("无法设置数据库文件权限 ", path, "：",
                                               std::strerror(err), " / cannot set the mode of ",
                                               path, ": ", std::strerror(err)));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Database>> Database::Open(const std::string& path,
                                                         const Options& options) {
  if (!options.must_exist) RETURN_IF_ERROR(CreateOwnerOnlyFile(path));
  // NOMUTEX: a connection is used by one thread at a time (see the class comment), so SQLite's
  // own per-connection mutex would be pure overhead.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (!options.must_exist) flags |= SQLITE_OPEN_CREATE;
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string detail = absl::StrCat(path, ": ", raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc));
    sqlite3_close_v2(raw);
    return StatusFromSqlite(rc, detail);
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, options.busy_timeout_ms);
  return std::unique_ptr<Database>(new Database(raw, path));
}

absl::Status Database::Error(int code, absl::string_view context) const {
  std::string detail = sqlite3_errmsg(db_);
  if (!context.empty()) absl::StrAppend(&detail, "; ", context);
  return StatusFromSqlite(code, detail);
}

absl::StatusOr<sqlite3_stmt*> Database::Prepare(absl::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, &tail);
  if (rc != SQLITE_OK) return Error(rc, "");
  if (stmt == nullptr) {
    return absl::InternalError(absl::StrCat("empty SQL statement: ", sql));
  }
  const absl::string_view rest(tail, sql.data() + sql.size() - tail);
  if (!absl::StripAsciiWhitespace(rest).empty()) {
    sqlite3_finalize(stmt);
    return absl::InternalError(absl::StrCat("more than one SQL statement: ", sql));
  }
  // $1, $2, ... in order of first appearance, so that SQLite's parameter indexes equal the
  // numbers written (SQLite numbers named parameters by first appearance).
  const int count = sqlite3_bind_parameter_count(stmt);
  for (int i = 1; i <= count; ++i) {
    const char* name = sqlite3_bind_parameter_name(stmt, i);
    if (name != nullptr && absl::StrCat("$", i) != name) {
      // The name belongs to the statement: use it before finalizing.
      absl::Status error = absl::InternalError(absl::StrCat(
          "SQL placeholders must be $1, $2, ... in order of first appearance; parameter ", i,
          " is ", name, ": ", sql));
      sqlite3_finalize(stmt);
      return error;
    }
  }
  return stmt;
}

absl::StatusOr<Statement> Database::GetCachedStatement(absl::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it == cache_.end()) {
    absl::StatusOr<sqlite3_stmt*> stmt = Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    auto entry = std::make_unique<CachedStatement>();
    entry->statement = std::make_unique<SqliteStatement>(this, *stmt, &entry->in_use);
    it = cache_.emplace(std::string(sql), std::move(entry)).first;
  }
  CachedStatement& entry = *it->second;
  if (entry.in_use) return GetUniqueStatement(sql);
  entry.in_use = true;
  return Statement(entry.statement.get(), /*owned=*/false);
}

absl::StatusOr<Statement> Database::GetUniqueStatement(absl::string_view sql) {
  absl::StatusOr<sqlite3_stmt*> stmt = Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  return Statement(new SqliteStatement(this, *stmt, nullptr), /*owned=*/true);
}

absl::Status Database::Execute(const char* sql) {
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return Error(rc, "");
  return absl::OkStatus();
}

int64_t Database::ChangeCount() const { return static_cast<int64_t>(sqlite3_changes64(db_)); }

int64_t Database::TotalChangeCount() const {
  return static_cast<int64_t>(sqlite3_total_changes64(db_));
}

bool Database::InAutocommit() const { return sqlite3_get_autocommit(db_) != 0; }

absl::Status Database::BeginTransaction(TransactionMode mode) {
  return Execute(mode == TransactionMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
}

}  // namespace sqlite
}  // namespace rectify
