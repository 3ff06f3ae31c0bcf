// GroupCommitter: many concurrent writes, one durable commit.
//
// Callers of Run queue up; the caller at the front of the queue becomes the leader, takes every
// write queued behind it (up to max_batch), runs each inside its own SAVEPOINT of one
// transaction, commits once, and wakes the others with their own outcome (as leveldb's
// DBImpl::Write does). A write whose function fails is rolled back to its savepoint and fails
// alone; a commit that fails fails the whole batch, and nothing of it is kept. Each caller
// returns only after the commit holding its write is durable (or has failed), so with
// synchronous=FULL one fsync serves the whole batch instead of one per write.
//
// With max_batch = 1 it is one transaction per write (for comparison in benchmarks).
//
// Thread safety: Run is safe to call from many threads; functions run on the leader's thread,
// one at a time, so they must not call Run themselves.
#ifndef RECTIFY_SERVICES_STORE_SQLITE_GROUP_COMMIT_H_
#define RECTIFY_SERVICES_STORE_SQLITE_GROUP_COMMIT_H_

#include <deque>
#include <functional>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "services/store/store.h"

namespace rectify::sqlite {

class Database;

class GroupCommitter {
 public:
  // `connection_mu` guards the writer connection: the leader holds it while it runs a batch, so
  // the store may use the connection under the same lock between batches.
  GroupCommitter(Database* writer, absl::Mutex* connection_mu, int max_batch);
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  absl::Status Run(const std::function<absl::Status(WriteTxn&)>& fn) ABSL_LOCKS_EXCLUDED(mu_);

  // Commits so far and writes in them, for benchmarks and tests.
  struct Counters {
    int64_t commits = 0;
    int64_t writes = 0;
  };
  Counters counters() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Writer {
    const std::function<absl::Status(WriteTxn&)>* fn;
    absl::Status status;
    bool done = false;
    absl::CondVar cv;
  };

  // Runs `batch` in one transaction and sets each writer's status. Called by the leader without
  // mu_ held; only the leader touches the connection.
  void CommitBatch(Writer* const* batch, size_t n);

  // Constant after construction.
  Database* const db_;
  absl::Mutex* const connection_mu_;
  const size_t max_batch_;

  mutable absl::Mutex mu_;
  std::deque<Writer*> queue_ ABSL_GUARDED_BY(mu_);
  Counters counters_ ABSL_GUARDED_BY(mu_);
};

}  // namespace rectify::sqlite

#endif  // RECTIFY_SERVICES_STORE_SQLITE_GROUP_COMMIT_H_
