// A thin RAII layer over the SQLite C API: Database (one connection), Statement (one prepared
// statement) and Transaction (rolls back unless committed). Modelled on Chromium's sql/ and
// SQLiteCpp; no exceptions, every failure is an absl::Status with the codes of store.h.
//
// <sqlite3.h> stays out of this header on purpose: only the .cc files of the SQLite store see it.
//
// Usage:
//   ASSIGN_OR_RETURN(std::unique_ptr<Database> db, Database::Open(path, options));
//   Transaction txn(*db, Transaction::Mode::kImmediate);
//   RETURN_IF_ERROR(txn.Begin());
//   ASSIGN_OR_RETURN(Statement s, db->GetCachedStatement("SELECT name FROM units WHERE id = $1"));
//   s.BindInt64(1, id);
//   ASSIGN_OR_RETURN(bool row, s.Step());
//   ...
//   RETURN_IF_ERROR(txn.Commit());
//
// Placeholders are written $1, $2, ... (as PostgreSQL writes them), numbered in the order they
// first appear; Prepare checks that numbering, so SQL text can be shared with a PostgreSQL store.
// Bind indexes are those numbers (1-based); column indexes are 0-based, as in both C APIs.
#ifndef RECTIFY_SERVICES_STORE_SQLITE_DATABASE_H_
#define RECTIFY_SERVICES_STORE_SQLITE_DATABASE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

struct sqlite3;
struct sqlite3_stmt;

namespace rectify {
namespace sqlite {

// Maps an SQLite result code (primary or extended) to a status with a bilingual message:
// BUSY/LOCKED/IOERR -> UNAVAILABLE, FULL/NOMEM/TOOBIG -> RESOURCE_EXHAUSTED,
// CORRUPT/NOTADB -> DATA_LOSS, UNIQUE/PRIMARY KEY constraint -> ALREADY_EXISTS, other
// constraints -> FAILED_PRECONDITION, anything else -> INTERNAL. `detail` (SQLite's own message
// and the context) is appended for the operator. OK for SQLITE_OK/ROW/DONE.
absl::Status StatusFromSqlite(int code, absl::string_view detail);

// True for the RESOURCE_EXHAUSTED that StatusFromSqlite makes of SQLITE_FULL (the database hit
// its max_page_count, or the disk is full), as opposed to any other limit.
bool IsDatabaseFull(const absl::Status& status);

// Creates `path` as an empty file readable and writable by its owner only (0600, whatever the
// umask), unless it exists already. SQLite gives the -wal, -shm and -journal files it makes later
// the permissions of the database file, so creating the database this way before SQLite opens it
// keeps all of them private: the ledger holds names, findings and evidence. Paths SQLite treats
// specially (":memory:", "" and "file:" URIs) are left alone.
absl::Status CreateOwnerOnlyFile(const std::string& path);

class Database;

// One prepared statement. Movable, not copyable. A statement borrowed from the connection's cache
// is reset and its bindings cleared when this object dies; an uncached one is finalized.
//
// Thread safety: like its Database, used by one thread at a time; must not outlive the Database.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Bind `index` ($index in the SQL, 1-based). Text and blobs are copied by SQLite, so the
  // argument need not outlive the call. Errors surface at Step().
  void BindNull(int index);
  void BindInt(int index, int value);
  // Blocks silent narrowing of 64-bit ids and instants into an int.
  void BindInt(int index, int64_t value) = delete;
  void BindInt64(int index, int64_t value);
  void BindBool(int index, bool value) { BindInt(index, value ? 1 : 0); }
  void BindText(int index, absl::string_view value);
  void BindBlob(int index, absl::string_view value);

  // Advances to the next row: true when there is one, false when done.
  absl::StatusOr<bool> Step();
  // Runs a statement that returns no rows (or whose rows don't matter) to completion.
  absl::Status Run();
  // Rewinds for another run, keeping bindings.
  void Reset();

  // Columns of the current row (0-based).
  bool ColumnIsNull(int column) const;
  int64_t ColumnInt64(int column) const;
  // For columns that hold small numbers (enums, percents); ids and instants use ColumnInt64.
  int ColumnInt(int column) const;
  std::string ColumnText(int column) const;
  std::string ColumnBlob(int column) const;

  // The SQL this statement was prepared from, for error messages.
  const char* sql() const;

 private:
  friend class Database;
  // `in_use` is the cache's flag for a borrowed statement (nullptr when this statement owns it).
  Statement(Database* db, sqlite3_stmt* stmt, bool* in_use);
  void Release();
  absl::Status Error(int code) const;

  Database* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  bool* in_use_ = nullptr;
};

// One SQLite connection.
//
// Thread safety: thread-compatible. One thread at a time uses a Database and its statements;
// SqliteStore hands connections out under its own locks.
class Database {
 public:
  struct Options {
    int busy_timeout_ms = 5000;
    // Open the file without creating it (used by read connections).
    bool must_exist = false;
  };

  // Opens (creating unless options.must_exist) the file at `path`. A file that is not a
  // database is only noticed by the first statement, which then fails with DATA_LOSS.
  static absl::StatusOr<std::unique_ptr<Database>> Open(const std::string& path,
                                                        const Options& options);

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  // Finalizes the cached statements and closes the connection. Statements must be gone first.
  ~Database();

  // Prepares `sql` once and keeps it for the life of the connection; later calls with the same
  // text reuse it. When the cached statement is in use already (a nested query with the same
  // text), a fresh uncached one is prepared instead.
  absl::StatusOr<Statement> GetCachedStatement(absl::string_view sql);
  // Prepares a statement that is finalized with the returned object (for one-off SQL).
  absl::StatusOr<Statement> GetUniqueStatement(absl::string_view sql);

  // Runs one or more statements without results (schema scripts, BEGIN, pragmas that return
  // nothing).
  absl::Status Execute(const char* sql);
  // Runs a single-statement query and returns the first column of its first row as text ("" when
  // there is no row). For pragmas such as journal_mode that answer with a row.
  absl::StatusOr<std::string> QueryText(const char* sql);

  // Rows changed by the last INSERT, UPDATE or DELETE on this connection.
  int64_t ChangeCount() const;
  // Rows changed by every INSERT, UPDATE or DELETE since the connection opened (not counting
  // what triggers did): tells a transaction that wrote from one that only read.
  int64_t TotalChangeCount() const;
  // True when no transaction is open (SQLite rolls back by itself after some errors).
  bool InAutocommit() const;

  const std::string& path() const { return path_; }

 private:
  friend class Statement;
  struct CachedStatement {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };

  Database(sqlite3* db, std::string path);
  absl::StatusOr<sqlite3_stmt*> Prepare(absl::string_view sql);
  // A status for `code` with SQLite's message of this connection and `context`.
  absl::Status Error(int code, absl::string_view context) const;

  // Constant after construction.
  sqlite3* const db_;
  const std::string path_;
  // Keyed by SQL text. Node-based, so the in_use flags that Statements point at stay put.
  std::unordered_map<std::string, CachedStatement> cache_;
};

// A transaction that rolls back when it dies uncommitted. Not nestable.
//
// Thread safety: as its Database.
class Transaction {
 public:
  enum class Mode {
    kDeferred,   // snapshot taken at the first read: for read transactions
    kImmediate,  // takes the write lock at Begin: for write transactions
  };

  Transaction(Database& db, Mode mode) : db_(db), mode_(mode) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  absl::Status Begin();
  // Commits; on failure the transaction is rolled back.
  absl::Status Commit();
  // Rolls back now (also safe when SQLite already rolled back by itself).
  void Rollback();

 private:
  Database& db_;
  const Mode mode_;
  bool open_ = false;
};

}  // namespace sqlite
}  // namespace rectify

#endif  // RECTIFY_SERVICES_STORE_SQLITE_DATABASE_H_
