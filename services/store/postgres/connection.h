// The PostgreSQL implementation of sql::Connection (services/store/sql/connection.h), over libpq.
//
// Why libpq and not libpqxx: the shared layer already owns statements, transactions and error
// mapping (sql::Connection, with no exceptions); libpqxx would add a second RAII layer built on
// exceptions underneath it. libpq is PostgreSQL's own C client (Debian libpq-dev), is what libpqxx
// wraps anyway, and lets us read SQLSTATE codes directly.
//
// Statements are sent with PQexecParams: each bind carries its type (BIGINT, TEXT or BYTEA,
// the only three column types of the schema), results come back as text and are parsed here.
// Nothing is kept on the server between statements, so a connection that was lost is reset and
// used again without re-preparing anything.
//
// Errors map SQLSTATE classes to the codes of store.h: 23505 -> ALREADY_EXISTS, other 23xxx ->
// FAILED_PRECONDITION, 08xxx/57Pxx/40001/40P01/55P03/57014 and a lost connection -> UNAVAILABLE
// (safe to retry), 53xxx -> RESOURCE_EXHAUSTED, XX001/XX002 -> DATA_LOSS, 22xxx ->
// INVALID_ARGUMENT, the rest INTERNAL; PostgreSQL's own message is appended for the operator.
//
// Thread safety: thread-compatible, as sql::Connection.
#ifndef RECTIFY_SERVICES_STORE_POSTGRES_CONNECTION_H_
#define RECTIFY_SERVICES_STORE_POSTGRES_CONNECTION_H_

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/store/sql/connection.h"

typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

namespace rectify {
namespace postgres {

class PgStatement;

// The status for a SQLSTATE (as in the header comment), with `detail` appended.
absl::Status StatusFromSqlState(absl::string_view state, absl::string_view detail);

// The advisory lock key every write transaction takes (pg_advisory_xact_lock): one writer at a
// time across all nodes, so sequence numbers are handed out and committed in the same order.
inline constexpr int64_t kWriteLockKey = 0x5245435449465957;  // "RECTIFYW"

// How a connection behaves; see PostgresOptions (postgres_store.h) for what each means.
struct ConnectionOptions {
  int lock_timeout_ms = 5000;
  int statement_timeout_ms = 30000;
  int idle_in_transaction_timeout_ms = 30000;
  int connect_timeout_s = 5;
};

class PgConnection final : public sql::Connection {
 public:
  // Connects with a libpq conninfo ("host=... dbname=...") or URI ("postgresql://user@host/db").
  // The password comes from the libpq environment (PGPASSWORD, PGPASSFILE, ~/.pgpass), never from
  // the command line. UNAVAILABLE when the server cannot be reached.
  static absl::StatusOr<std::unique_ptr<PgConnection>> Open(const std::string& conninfo,
                                                            const ConnectionOptions& options);
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;
  ~PgConnection() override;

  absl::StatusOr<sql::Statement> GetCachedStatement(absl::string_view sql) override;
  absl::StatusOr<sql::Statement> GetUniqueStatement(absl::string_view sql) override;
  absl::Status Execute(const char* sql) override;
  int64_t ChangeCount() const override { return last_changes_; }
  int64_t TotalChangeCount() const override { return total_changes_; }
  bool InAutocommit() const override;
  // kRead: REPEATABLE READ READ ONLY (one snapshot); kWrite: READ COMMITTED plus the
  // cluster-wide write lock (kWriteLockKey). Reconnects first when the connection was lost.
  absl::Status BeginTransaction(TransactionMode mode) override;
  // A COMMIT that PostgreSQL turned into a ROLLBACK (the transaction had failed) is an error.
  absl::Status CommitTransaction() override;

  // Whether the connection to the server is up (a cheap local check, no round trip).
  bool Healthy() const;
  // Reconnects when the connection was lost; OK when it is up afterwards.
  absl::Status EnsureConnected();

 private:
  friend class PgStatement;
  struct CachedStatement;

  PgConnection(PGconn* conn, const ConnectionOptions& options);
  absl::Status Configure();
  // Sends `sql` (with parameters when `n` >= 0; else as plain text, which may hold several
  // statements) and waits for its results, at most the statement timeout plus a margin: a server
  // that stopped answering (a frozen host, a network that drops packets) must not hold a call
  // forever. Returns the last result (the first error, if any), as PQexec does; nullptr when
  // nothing came back, the connection then being marked for a reset.
  PGresult* Run(const char* sql, int n, const unsigned int* types, const char* const* values,
                const int* lengths, const int* formats);
  // The status for a failed result (or a lost connection), naming the SQL.
  absl::Status ResultError(const PGresult* result, absl::string_view sql) const;
  // Records the rows an INSERT, UPDATE or DELETE changed (from its command tag).
  void NoteChanges(const char* command_status, const char* tuples);

  PGconn* conn_;
  // Set when a query got no answer in time: the connection is in an unknown state and is reset
  // before its next use.
  bool broken_ = false;
  const ConnectionOptions options_;
  int64_t last_changes_ = 0;
  int64_t total_changes_ = 0;
  std::unordered_map<std::string, std::unique_ptr<CachedStatement>> cache_;
};

}  // namespace postgres
}  // namespace rectify

#endif  // RECTIFY_SERVICES_STORE_POSTGRES_CONNECTION_H_
