// PostgresStore: the Store for several rectifyd nodes on one PostgreSQL 15 database.
//
// Everything the ledger does runs the same SQL as the SQLite store (services/store/sql/): only
// the connection, the schema script and the transaction boundaries differ. Writes go through one
// connection per node with the same group commit as SQLite (sql/group_commit.h); each batch's
// transaction first takes a transaction-scoped advisory lock (kWriteLockKey) that every node
// shares, so the ledger has one writer at a time across the cluster, exactly as a SQLite file
// has. That is what keeps the domain's meaning identical on both stores: expected_version checks,
// request_id idempotency, the audit chain's next seq and the event numbers are all read and
// written under that lock, and events commit in the order of their numbers, so a watcher reading
// "after seq N" on any node never misses one that commits later with a smaller number. Reads run
// on a small pool of connections, each Read in one REPEATABLE READ READ ONLY snapshot, and never
// wait for the lock.
//
// Failure modes, all of them UNAVAILABLE to the caller (safe to retry with the same request_id):
// the database unreachable (each transaction reconnects first; connect_timeout bounds the wait);
// the write lock held longer than lock_timeout_ms by another node; a node paused inside a
// transaction is cut off by the server after idle_in_transaction_timeout_ms, which frees the
// lock. A commit whose answer is lost with the connection is reported UNAVAILABLE although it
// may have committed: the retry's request_id finds the stored answer. Session state is not used
// (no prepared statements, no session advisory locks), so a pooler in transaction mode
// (PgBouncer pool_mode=transaction) works; in statement mode it does not.
//
// Usage:
//   PostgresOptions options;
//   options.conninfo = "postgresql://rectify@db.example/rectify";
//   ASSIGN_OR_RETURN(std::unique_ptr<PostgresStore> store, PostgresStore::Open(options));
//
// Thread safety: as Store.
#ifndef RECTIFY_SERVICES_STORE_POSTGRES_POSTGRES_STORE_H_
#define RECTIFY_SERVICES_STORE_POSTGRES_POSTGRES_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/store/postgres/connection.h"
#include "services/store/sql/group_commit.h"
#include "services/store/store.h"

namespace rectify {

struct PostgresOptions {
  // A libpq conninfo or URI. Passwords come from PGPASSWORD, PGPASSFILE or ~/.pgpass.
  std::string conninfo;
  // Connections for Read; at least 1.
  int read_connections = 4;
  // Concurrent Writes of this node committed together at most (group commit).
  int max_write_batch = 128;
  // How long a write waits for another node's write transaction before UNAVAILABLE.
  int lock_timeout_ms = 5000;
  // Longest statement; longer ones are cancelled (UNAVAILABLE).
  int statement_timeout_ms = 30000;
  // A transaction idle this long (a paused or hung node) is ended by the server, freeing the
  // write lock for the other nodes.
  int idle_in_transaction_timeout_ms = 30000;
  int connect_timeout_s = 5;
};

class PostgresStore final : public Store {
 public:
  // Connects, creates or checks the schema (FAILED_PRECONDITION when it is newer than this
  // binary), and opens the read connections. UNAVAILABLE when the server cannot be reached.
  static absl::StatusOr<std::unique_ptr<PostgresStore>> Open(const PostgresOptions& options);

  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;
  ~PostgresStore() override;

  absl::Status Read(const std::function<absl::Status(ReadTxn&)>& fn) override;
  absl::Status Write(const std::function<absl::Status(WriteTxn&)>& fn) override;
  // FAILED_PRECONDITION: a PostgreSQL ledger is backed up with PostgreSQL's own tools
  // (pg_dump, pg_basebackup, or the replicas of a Patroni cluster), not by a node.
  absl::Status Backup(const std::string& dest_path) override;

  // Whether the database answers now (one round trip on a read connection).
  absl::Status Ping();

  // writes, commits, synced, commit_time: group commit's own counters (sql/group_commit.h).
  using CommitCounts = sql::GroupCommitter::Counters;
  CommitCounts commit_counts() const;

 private:
  PostgresStore(const PostgresOptions& options, std::unique_ptr<postgres::PgConnection> writer,
                std::vector<std::unique_ptr<postgres::PgConnection>> readers);
  std::unique_ptr<postgres::PgConnection> AcquireReader() ABSL_LOCKS_EXCLUDED(pool_mu_);
  void ReleaseReader(std::unique_ptr<postgres::PgConnection> reader) ABSL_LOCKS_EXCLUDED(pool_mu_);

  const PostgresOptions options_;
  absl::Mutex write_mu_;
  std::unique_ptr<postgres::PgConnection> writer_ ABSL_GUARDED_BY(write_mu_);
  std::unique_ptr<sql::GroupCommitter> committer_;
  absl::Mutex pool_mu_;
  std::vector<std::unique_ptr<postgres::PgConnection>> idle_readers_ ABSL_GUARDED_BY(pool_mu_);
};

}  // namespace rectify

#endif  // RECTIFY_SERVICES_STORE_POSTGRES_POSTGRES_STORE_H_
