// The SQLite implementation of sql::Connection (services/store/sql/connection.h): Database is one
// connection; its statements are sql::Statement over a prepared sqlite3_stmt.
//
// <sqlite3.h> stays out of this header on purpose: only the .cc files of the SQLite store see it.
//
// Usage:
//   ASSIGN_OR_RETURN(std::unique_ptr<Database> db, Database::Open(path, options));
//   Transaction txn(*db, Transaction::Mode::kWrite);
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
#include "services/store/sql/connection.h"

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

// One SQLite connection.
//
// Thread safety: thread-compatible. One thread at a time uses a Database and its statements;
// SqliteStore hands connections out under its own locks.
class Database final : public sql::Connection {
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
  ~Database() override;

  // sql::Connection. Prepare checks that placeholders are $1, $2, ... in order of first
  // appearance (SQLite numbers named parameters that way), so the numbers written are the bind
  // indexes, as in PostgreSQL.
  absl::StatusOr<sql::Statement> GetCachedStatement(absl::string_view sql) override;
  absl::StatusOr<sql::Statement> GetUniqueStatement(absl::string_view sql) override;
  // Also runs pragmas that answer nothing.
  absl::Status Execute(const char* sql) override;
  int64_t ChangeCount() const override;
  int64_t TotalChangeCount() const override;
  bool InAutocommit() const override;
  // kRead: BEGIN DEFERRED (the snapshot is taken at the first read); kWrite: BEGIN IMMEDIATE
  // (takes the file's write lock at once, so a busy file fails before any work is done).
  absl::Status BeginTransaction(TransactionMode mode) override;

  const std::string& path() const { return path_; }

 private:
  friend class SqliteStatement;
  struct CachedStatement;

  Database(sqlite3* db, std::string path);
  absl::StatusOr<sqlite3_stmt*> Prepare(absl::string_view sql);
  // A status for `code` with SQLite's message of this connection and `context`.
  absl::Status Error(int code, absl::string_view context) const;

  // Constant after construction.
  sqlite3* const db_;
  const std::string path_;
  // Keyed by SQL text. Node-based, so the statements stay put while borrowed.
  std::unordered_map<std::string, std::unique_ptr<CachedStatement>> cache_;
};

using sql::Statement;
using sql::Transaction;

}  // namespace sqlite
}  // namespace rectify

#endif  // RECTIFY_SERVICES_STORE_SQLITE_DATABASE_H_
