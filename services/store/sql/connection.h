// The SQL both stores speak: one Connection interface with a SQLite implementation
// (store/sqlite/database.h) and a PostgreSQL one (store/postgres/connection.h), so that the
// ledger's statements (ledger_txn.h, txn_*.cc), the group committer and the row codec are
// written once. Modelled on Chromium's sql/ and SQLiteCpp; no exceptions, every failure is an
// absl::Status with the codes of store.h.
//
// Usage:
//   Transaction txn(connection, Transaction::Mode::kWrite);
//   RETURN_IF_ERROR(txn.Begin());
//   ASSIGN_OR_RETURN(Statement s, connection.GetCachedStatement(
//                                     "SELECT name FROM units WHERE id = $1"));
//   s.BindInt64(1, id);
//   ASSIGN_OR_RETURN(bool row, s.Step());
//   ...
//   RETURN_IF_ERROR(txn.Commit());
//
// The SQL dialect is the intersection of SQLite 3.40 and PostgreSQL 15: placeholders $1, $2, ...
// numbered in the order they first appear; INSERT ... RETURNING; INSERT ... ON CONFLICT; no
// LIKE on paths (ranges instead), no SQLite-only functions, comparisons not used as numbers.
// Integers are 64-bit on both (BIGINT in PostgreSQL), text compares bytewise (COLLATE "C").
// Bind indexes are the placeholder numbers (1-based); column indexes are 0-based.
#ifndef RECTIFY_SERVICES_STORE_SQL_CONNECTION_H_
#define RECTIFY_SERVICES_STORE_SQL_CONNECTION_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rectify {
namespace sql {

// What a Connection implements for one prepared statement.
class StatementImpl {
 public:
  virtual ~StatementImpl() = default;
  virtual void BindNull(int index) = 0;
  virtual void BindInt64(int index, int64_t value) = 0;
  virtual void BindText(int index, absl::string_view value) = 0;
  virtual void BindBlob(int index, absl::string_view value) = 0;
  virtual absl::StatusOr<bool> Step() = 0;
  virtual void Reset() = 0;
  virtual bool ColumnIsNull(int column) const = 0;
  virtual int64_t ColumnInt64(int column) const = 0;
  virtual std::string ColumnText(int column) const = 0;
  virtual std::string ColumnBlob(int column) const = 0;
  virtual const char* sql() const = 0;
  // Gives a statement borrowed from the connection's cache back, reset and with its bindings
  // cleared for the next user. Owned statements are deleted instead.
  virtual void Recycle() = 0;
};

// One prepared statement. Movable, not copyable. A statement borrowed from the connection's cache
// goes back to it when this object dies; an uncached one is finalized.
//
// Thread safety: like its Connection, used by one thread at a time; must not outlive it.
class Statement {
 public:
  // `owned`: delete impl at the end; otherwise Recycle it.
  Statement(StatementImpl* impl, bool owned) : impl_(impl), owned_(owned) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { Release(); }

  // Bind `index` ($index in the SQL, 1-based). Text and blobs are copied, so the argument need
  // not outlive the call. Errors surface at Step().
  void BindNull(int index) { impl_->BindNull(index); }
  void BindInt(int index, int value) { impl_->BindInt64(index, value); }
  // Blocks silent narrowing of 64-bit ids and instants into an int.
  void BindInt(int index, int64_t value) = delete;
  void BindInt64(int index, int64_t value) { impl_->BindInt64(index, value); }
  void BindBool(int index, bool value) { BindInt(index, value ? 1 : 0); }
  void BindText(int index, absl::string_view value) { impl_->BindText(index, value); }
  void BindBlob(int index, absl::string_view value) { impl_->BindBlob(index, value); }

  // Advances to the next row: true when there is one, false when done.
  absl::StatusOr<bool> Step() { return impl_->Step(); }
  // Runs a statement that returns no rows (or whose rows don't matter) to completion.
  absl::Status Run();
  // Rewinds for another run, keeping bindings.
  void Reset() { impl_->Reset(); }

  // Columns of the current row (0-based).
  bool ColumnIsNull(int column) const { return impl_->ColumnIsNull(column); }
  int64_t ColumnInt64(int column) const { return impl_->ColumnInt64(column); }
  // For columns that hold small numbers (enums, percents); ids and instants use ColumnInt64.
  int ColumnInt(int column) const { return static_cast<int>(impl_->ColumnInt64(column)); }
  std::string ColumnText(int column) const { return impl_->ColumnText(column); }
  std::string ColumnBlob(int column) const { return impl_->ColumnBlob(column); }

  // The SQL this statement was prepared from, for error messages.
  const char* sql() const { return impl_ == nullptr ? "" : impl_->sql(); }

 private:
  void Release();

  StatementImpl* impl_ = nullptr;
  bool owned_ = false;
};

// One connection to a database.
//
// Thread safety: thread-compatible. One thread at a time uses a Connection and its statements;
// the stores hand connections out under their own locks.
class Connection {
 public:
  enum class TransactionMode {
    kRead,   // one consistent snapshot for the whole transaction, read only
    kWrite,  // the only writer of the ledger while it runs (SQLite: the file's write lock;
             // PostgreSQL: a transaction-scoped advisory lock shared by every node)
  };

  virtual ~Connection() = default;

  // Prepares `sql` once and keeps it for the life of the connection; later calls with the same
  // text reuse it. When the cached statement is in use already (a nested query with the same
  // text), a fresh uncached one is prepared instead.
  virtual absl::StatusOr<Statement> GetCachedStatement(absl::string_view sql) = 0;
  // Prepares a statement that is finalized with the returned object (for one-off SQL).
  virtual absl::StatusOr<Statement> GetUniqueStatement(absl::string_view sql) = 0;

  // Runs one or more statements without results or parameters (schema scripts, BEGIN).
  virtual absl::Status Execute(const char* sql) = 0;
  // Runs a single-statement query and returns the first column of its first row as text ("" when
  // there is no row).
  absl::StatusOr<std::string> QueryText(const char* sql);

  // Rows changed by the last INSERT, UPDATE or DELETE on this connection.
  virtual int64_t ChangeCount() const = 0;
  // Rows changed by every INSERT, UPDATE or DELETE since the connection opened (not counting
  // what triggers did): tells a transaction that wrote from one that only read.
  virtual int64_t TotalChangeCount() const = 0;
  // True when no transaction is open (the database may roll back by itself after some errors,
  // or the connection may be gone).
  virtual bool InAutocommit() const = 0;

  // Opens a transaction of the given mode (Transaction calls these).
  virtual absl::Status BeginTransaction(TransactionMode mode) = 0;
  virtual absl::Status CommitTransaction() { return Execute("COMMIT"); }
};

// A transaction that rolls back when it dies uncommitted. Not nestable.
//
// Thread safety: as its Connection.
class Transaction {
 public:
  using Mode = Connection::TransactionMode;

  Transaction(Connection& db, Mode mode) : db_(db), mode_(mode) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  absl::Status Begin();
  // Commits; on failure the transaction is rolled back.
  absl::Status Commit();
  // Rolls back now (also safe when the database already rolled back by itself).
  void Rollback();

 private:
  Connection& db_;
  const Mode mode_;
  bool open_ = false;
};

}  // namespace sql
}  // namespace rectify

#endif  // RECTIFY_SERVICES_STORE_SQL_CONNECTION_H_
