// GroupCommitter: many concurrent writes, one durable commit.
//
// Callers of Run queue up; the caller at the front of the queue becomes the leader, takes every
// write queued behind it (up to max_batch), runs each inside its own SAVEPOINT of one
// transaction, commits once, and wakes the others with their own outcome (as leveldb's
// DBImpl::Write does). Each caller returns only after the commit holding its write is durable
// (or has failed), so with synchronous=FULL one fsync serves the whole batch instead of one per
// write. Durability is unchanged: nobody is told OK before the commit that holds their write.
//
// Failures stay with their caller:
// - a write whose function fails is rolled back to its savepoint and fails alone; the writes
//   before and after it in the batch commit as usual;
// - when the database rolls the whole transaction back by itself (disk full in the middle of
//   a write, I/O error), the write that hit the error gets that error, the writes already run in
//   the batch get UNAVAILABLE (nothing of theirs was kept; a retry with the same request_id is
//   safe), and the writes not yet run stay queued and go into the next batch, untouched;
// - a commit that fails (e.g. the disk is full when the WAL is written) fails every write of the
//   batch with that error: none of them is durable.
// Everything a write does must therefore live inside the transaction: state kept beside it (a
// cached chain head of an audit log, a counter) would not roll back with a savepoint. An audit
// append that reads the previous entry inside the transaction chains correctly: the second write
// of a batch sees the first one's entry, and an entry rolled back to its savepoint disappears.
//
// With max_batch = 1 it is one transaction per write (rectifyd --write_batch=1, for comparison).
//
// Thread safety: Run is safe to call from many threads; functions run on the leader's thread,
// one at a time, so they must not call Run themselves.
#ifndef RECTIFY_SERVICES_STORE_SQL_GROUP_COMMIT_H_
#define RECTIFY_SERVICES_STORE_SQL_GROUP_COMMIT_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/store/store.h"

namespace rectify::sql {

class Connection;

class GroupCommitter {
 public:
  // `connection_mu` guards the writer connection: the leader holds it while it runs a batch, so
  // the store may use the connection under the same lock between batches.
  GroupCommitter(Connection* writer, absl::Mutex* connection_mu, int max_batch);
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  absl::Status Run(const std::function<absl::Status(WriteTxn&)>& fn) ABSL_LOCKS_EXCLUDED(mu_);

  // Transactions so far and writes finished in them, for benchmarks and tests. `synced`: the
  // transactions that committed a change (each one fsync with synchronous=FULL); a transaction
  // whose writes only read (a scheduler pass with nothing due) commits without writing the WAL.
  // `commit_time`: the time the transactions took, from BEGIN to the end of COMMIT (the writes'
  // functions included), added up; over `commits` it is the mean commit latency
  // (rectify_group_commit_seconds_total, docs/operations.md).
  struct Counters {
    int64_t commits = 0;
    int64_t writes = 0;
    int64_t synced = 0;
    absl::Duration commit_time;
  };
  Counters counters() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Writer {
    const std::function<absl::Status(WriteTxn&)>* fn;
    absl::Status status;
    bool done = false;
    absl::CondVar cv;
  };

  // Runs batch[0..n) in one transaction and sets the status of each writer it finished; returns
  // how many, from the front (at least 1). Writers after that were not run and must be run again.
  // Called by the leader without mu_ held; only the leader touches the connection.
  // `*synced` tells whether the batch committed a change.
  size_t CommitBatch(Writer* const* batch, size_t n, bool* synced);

  // Constant after construction.
  Connection* const db_;
  absl::Mutex* const connection_mu_;
  const size_t max_batch_;

  mutable absl::Mutex mu_;
  std::deque<Writer*> queue_ ABSL_GUARDED_BY(mu_);
  Counters counters_ ABSL_GUARDED_BY(mu_);
};

}  // namespace rectify::sql

#endif  // RECTIFY_SERVICES_STORE_SQL_GROUP_COMMIT_H_
