#include "services/store/sql/group_commit.h"

#include <vector>

#include "absl/time/clock.h"
#include "services/store/sql/connection.h"
#include "services/store/sql/ledger_txn.h"

namespace rectify::sql {

namespace {

// Savepoint statements run twice per write of a batch: prepared once, not parsed every time.
absl::Status RunCached(Connection& db, const char* sql) {
  absl::StatusOr<Statement> s = db.GetCachedStatement(sql);
  if (!s.ok()) return s.status();
  return s->Run();
}

}  // namespace

GroupCommitter::GroupCommitter(Connection* writer, absl::Mutex* connection_mu, int max_batch)
    : db_(writer),
      connection_mu_(connection_mu),
      max_batch_(max_batch < 1 ? 1 : static_cast<size_t>(max_batch)) {}

GroupCommitter::Counters GroupCommitter::counters() const {
  absl::MutexLock lock(&mu_);
  return counters_;
}

absl::Status GroupCommitter::Run(const std::function<absl::Status(WriteTxn&)>& fn) {
  Writer self;
  self.fn = &fn;
  absl::MutexLock lock(&mu_);
  queue_.push_back(&self);
  while (!self.done && &self != queue_.front()) self.cv.Wait(&mu_);
  if (self.done) return self.status;  // a leader committed (or failed) it for us

  // Leader: take what is queued now; later arrivals wait for the next batch.
  std::vector<Writer*> batch;
  for (Writer* w : queue_) {
    if (batch.size() == max_batch_) break;
    batch.push_back(w);
  }
  mu_.Unlock();
  size_t finished;
  bool synced = false;
  absl::Duration took;
  {
    absl::MutexLock connection_lock(connection_mu_);
    const absl::Time begun = absl::Now();
    finished = CommitBatch(batch.data(), batch.size(), &synced);
    took = absl::Now() - begun;
  }
  mu_.Lock();
  ++counters_.commits;
  counters_.commit_time += took;
  if (synced) ++counters_.synced;
  counters_.writes += static_cast<int64_t>(finished);
  // The leader is batch[0] and always finished. Writers past `finished` were never run: they
  // stay at the front of the queue, and the first of them leads the next batch.
  for (size_t i = 0; i < finished; ++i) {
    Writer* w = queue_.front();
    queue_.pop_front();
    if (w != &self) {
      w->done = true;
      w->cv.Signal();
    }
  }
  if (!queue_.empty()) queue_.front()->cv.Signal();  // the next leader
  return self.status;
}

size_t GroupCommitter::CommitBatch(Writer* const* batch, size_t n, bool* synced) {
  const int64_t changes_before = db_->TotalChangeCount();
  // Immediate: takes the file's write lock now, so a busy file fails here, before any function
  // has done work.
  Transaction txn(*db_, Transaction::Mode::kWrite);
  absl::Status begun = txn.Begin();
  if (!begun.ok()) {
    for (size_t i = 0; i < n; ++i) batch[i]->status = begun;
    return n;
  }
  LedgerTxn tx(*db_);
  if (n == 1) {
    // Alone: no savepoint needed; the transaction is the write.
    tx.BeginWrite();
    batch[0]->status = (*batch[0]->fn)(tx);
    if (batch[0]->status.ok()) {
      const bool wrote = db_->TotalChangeCount() != changes_before;
      batch[0]->status = txn.Commit();
      *synced = wrote && batch[0]->status.ok();
    }
    return 1;  // on error txn's destructor rolls back
  }
  for (size_t i = 0; i < n; ++i) {
    absl::Status s = RunCached(*db_, "SAVEPOINT batch_write");
    // Rows a write rolled back to its savepoint must not be recorded with, nor read by, the next
    // one.
    tx.BeginWrite();
    if (s.ok()) {
      s = (*batch[i]->fn)(tx);
      if (s.ok()) {
        s = RunCached(*db_, "RELEASE batch_write");
      } else if (!db_->InAutocommit()) {
        // Undo this write only; the others in the batch stand.
        (void)RunCached(*db_, "ROLLBACK TO batch_write");
        (void)RunCached(*db_, "RELEASE batch_write");
      }
    }
    batch[i]->status = s;
    if (db_->InAutocommit()) {
      // SQLite rolled the whole transaction back by itself (disk full, I/O error): nothing of
      // the writes run so far was kept, so none of them may be told otherwise. Their functions
      // have run (and may have had effects beside the database), so they are not run again: a
      // retry by the caller is. Writes not yet run are left for the next batch.
      if (s.ok()) {
        batch[i]->status = absl::UnavailableError(
            "数据库写入失败，本批次已回滚，请重试 / the database rolled back this batch after an "
            "error; retry");
      }
      for (size_t j = 0; j < i; ++j) {
        batch[j]->status = absl::UnavailableError(
            "数据库写入失败，本批次已回滚，请重试 / the database rolled back this batch after an "
            "error; retry");
      }
      return i + 1;
    }
  }
  const bool wrote = db_->TotalChangeCount() != changes_before;
  absl::Status committed = txn.Commit();
  *synced = wrote && committed.ok();
  if (!committed.ok()) {
    for (size_t i = 0; i < n; ++i) {
      if (batch[i]->status.ok()) batch[i]->status = committed;
    }
  }
  return n;
}

}  // namespace rectify::sql
