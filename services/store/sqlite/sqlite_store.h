// SqliteStore: the embedded default Store, one SQLite file in WAL mode.
//
// Writes go through a single connection with group commit (group_commit.h): concurrent Writes
// queue, one of them runs up to max_write_batch of them, each in its own SAVEPOINT, inside one
// BEGIN IMMEDIATE ... COMMIT, and every caller returns after that commit is durable. A failing
// Write fails alone; with max_write_batch = 1 each Write is its own transaction. Reads run on a
// small pool of separate connections, each Read in its own deferred transaction, so a Read sees one
// snapshot and never waits for a writer (WAL readers don't block on the writer, nor it on them).
// Another process on the same file waits up to busy_timeout_ms, then gets UNAVAILABLE.
//
// Usage:
//   SqliteOptions options;
//   options.path = "/var/lib/rectify/ledger.db";
//   ASSIGN_OR_RETURN(std::unique_ptr<SqliteStore> store, SqliteStore::Open(options));
//   RETURN_IF_ERROR(store->Write([&](WriteTxn& tx) { return tx.InsertUnit(unit); }));
//
// Open creates the file or migrates its schema to this binary's version; a database made by a
// newer, incompatible rectifyd is refused with FAILED_PRECONDITION.
//
// Thread safety: safe to use from many threads. A Write must not call Write on the same store
// from inside its function (it would wait for itself); Read inside Write is fine and sees the
// state before the Write.
#ifndef RECTIFY_SERVICES_STORE_SQLITE_SQLITE_STORE_H_
#define RECTIFY_SERVICES_STORE_SQLITE_SQLITE_STORE_H_

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
#include "absl/types/optional.h"
#include "services/store/sql/group_commit.h"
#include "services/store/store.h"

namespace rectify {

namespace sqlite {
class Database;
}  // namespace sqlite

// How to open the database file. Read once by SqliteStore::Open.
struct SqliteOptions {
  enum class Synchronous {
    kFull,    // fsync at every commit: a committed Write survives power loss
    kNormal,  // fsync at checkpoints: faster; the last commits may be lost on power loss
  };

  // The database file; created when missing (its directory must exist).
  std::string path;
  Synchronous synchronous = Synchronous::kFull;
  // How long a statement waits for a lock held by another connection before UNAVAILABLE.
  int busy_timeout_ms = 5000;
  // Connections for Read; at least 1. More lets more Reads run at once.
  int read_connections = 4;
  // Caps the file at this many pages (PRAGMA max_page_count); writes beyond it fail with
  // RESOURCE_EXHAUSTED as on a full disk, with a message that names the cap. For tests of that
  // path (rectifyd --max_db_pages).
  absl::optional<int64_t> max_page_count;
  // Concurrent Writes committed together at most (group commit); 1 commits each Write alone.
  // Durability is the same either way: each Write returns after the commit holding it.
  int max_write_batch = 128;
  // Page cache of each connection, KiB (PRAGMA cache_size). The writer's cache holds the pages
  // a batch dirties; the readers' caches bound what a report keeps resident. With the default
  // 4 readers the caches stay under 64 MiB however large the ledger grows.
  int writer_cache_kib = 16 << 10;
  int reader_cache_kib = 8 << 10;
};

class SqliteStore final : public Store {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(const SqliteOptions& options);

  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;
  // Every Read and Write must have returned.
  ~SqliteStore() override;

  absl::Status Read(const std::function<absl::Status(ReadTxn&)>& fn) override;
  absl::Status Write(const std::function<absl::Status(WriteTxn&)>& fn) override;
  // Online backup (SQLite's backup API) from a connection of its own, in one read transaction:
  // WAL lets writes go on meanwhile. Writes dest_path + ".tmp-..." in the same directory, syncs
  // it and renames it over dest_path (backup.cc).
  absl::Status Backup(const std::string& dest_path) override;

  // Writes finished since Open, and the transactions that committed them (each one fsync with
  // Synchronous::kFull): what group commit saves. rectifyd prints them when it stops, for the
  // benchmark's commits per acknowledged write.
  // `synced`: the commits that wrote a change (one fsync each); the others only read.
  // writes, commits, synced, commit_time: group commit's own counters (sql/group_commit.h).
  using CommitCounts = sql::GroupCommitter::Counters;
  CommitCounts commit_counts() const;

 private:
  SqliteStore(const SqliteOptions& options, std::string full_message,
              std::unique_ptr<sqlite::Database> writer,
              std::vector<std::unique_ptr<sqlite::Database>> readers);

  // Waits for an idle read connection and takes it out of the pool.
  std::unique_ptr<sqlite::Database> AcquireReader() ABSL_LOCKS_EXCLUDED(pool_mu_);
  void ReleaseReader(std::unique_ptr<sqlite::Database> reader) ABSL_LOCKS_EXCLUDED(pool_mu_);
  // The message for a write that failed with SQLITE_FULL: the cap, or a full disk.
  absl::Status ExplainFull(const absl::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  // Constant after construction.
  const SqliteOptions options_;
  // What a write that hit max_page_count says, naming the cap; empty without a cap.
  const std::string full_message_;

  absl::Mutex write_mu_;
  // The only connection that writes. State below is protected by write_mu_.
  std::unique_ptr<sqlite::Database> writer_ ABSL_GUARDED_BY(write_mu_);
  // Runs Writes in batches on writer_, holding write_mu_ while a batch runs.
  std::unique_ptr<sql::GroupCommitter> committer_;

  absl::Mutex pool_mu_;
  // Read connections not in use. State below is protected by pool_mu_.
  std::vector<std::unique_ptr<sqlite::Database>> idle_readers_ ABSL_GUARDED_BY(pool_mu_);
};

}  // namespace rectify

#endif  // RECTIFY_SERVICES_STORE_SQLITE_SQLITE_STORE_H_
