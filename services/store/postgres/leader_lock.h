// LeaderLock: which of several rectifyd nodes on one PostgreSQL database runs the background work
// that must happen once (the scheduler's passes, the notification outbox's deliveries).
//
// The leader is the node that holds a session-level advisory lock (kLeaderLockKey) on a
// connection of its own. Check() is called before each pass: it confirms with one round trip
// that the connection (and so the lock) is still there, or, on a node that does not hold it,
// tries to take it (pg_try_advisory_lock, never waiting). PostgreSQL releases the lock when the
// holding session ends: a leader that exits, is killed or loses its connection stops being the
// leader as soon as the server notices the connection is gone (at once for a killed process,
// whose socket the kernel closes; within the TCP keepalive time for a vanished host), and
// another node takes over at its next Check (Options.follower_poll, 1 s; a follower asks the
// database at most every kFollowerRetry however often it is woken).
//
// What leadership does not have to guarantee: the scheduler's writes are idempotent under the
// store's cluster-wide write lock (a flag is unique per task, deadline version and kind; a
// reconciliation re-reads the task inside the write transaction), so two nodes that both believe
// they lead for a moment (a paused leader whose session the server already ended) raise nothing
// twice. Leadership keeps the work in one place, and keeps a notification from being sent twice.
//
// The lock needs a session: connect this connection to PostgreSQL directly or through a pooler in
// session mode, never through PgBouncer in transaction mode (docs/postgresql.md).
//
// Thread safety: Check and held may be called from any thread.
#ifndef RECTIFY_SERVICES_STORE_POSTGRES_LEADER_LOCK_H_
#define RECTIFY_SERVICES_STORE_POSTGRES_LEADER_LOCK_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/store/postgres/connection.h"

namespace rectify {
namespace postgres {

// The advisory lock key of leadership: "RECTIFYL".
inline constexpr int64_t kLeaderLockKey = 0x5245435449465958;

class LeaderLock {
 public:
  LeaderLock(std::string conninfo, ConnectionOptions options);
  ~LeaderLock();
  LeaderLock(const LeaderLock&) = delete;
  LeaderLock& operator=(const LeaderLock&) = delete;

  // Whether this node is the leader now, after confirming it (or trying to become it) with one
  // round trip. False when the database cannot be reached. `changed` (optional) says whether
  // this call changed the answer, decided under the lock, so that of several threads checking
  // exactly one sees a change.
  bool Check(bool* changed = nullptr) ABSL_LOCKS_EXCLUDED(mu_);
  // The answer of the last Check, without a round trip.
  bool held() const { return held_.load(); }
  // Times this node became the leader.
  int64_t terms() const { return terms_.load(); }

 private:
  absl::Status CheckLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // How often a node that does not lead tries to take the lock, however often it is asked.
  static constexpr absl::Duration kFollowerRetry = absl::Milliseconds(500);

  const std::string conninfo_;
  const ConnectionOptions options_;
  absl::Mutex mu_;
  std::unique_ptr<PgConnection> conn_ ABSL_GUARDED_BY(mu_);
  absl::Time last_try_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  std::atomic<bool> held_{false};
  std::atomic<int64_t> terms_{0};
};

}  // namespace postgres
}  // namespace rectify

#endif  // RECTIFY_SERVICES_STORE_POSTGRES_LEADER_LOCK_H_
