// Scheduler: raises and clears warning lights and escalations (红黄绿灯, 督办) as time passes.
//
// It keeps no state of its own. Every task stores the next instant at which its flags can change
// (a deadline, a window edge, a checkpoint); a pass reconciles exactly the tasks whose instant has
// come, through an index, so its cost follows the tasks that change, not the ledger. Flags are
// unique per (task, deadline version, kind) in the store, so a pass that is repeated after a crash
// or a restart raises nothing twice, and the first pass after a start catches up on deadlines that
// passed while the server was down.
//
// Between passes the thread sleeps until the earliest next check time, capped at max_sleep so that
// a wall clock that jumps is noticed; Wake() cuts the sleep short when a change may have made the
// next check earlier.
//
// Thread safety: RunPass may be called from any thread; Start/Stop from the owner only.
#ifndef RECTIFY_SERVICES_SCHEDULER_SCHEDULER_H_
#define RECTIFY_SERVICES_SCHEDULER_SCHEDULER_H_

#include <cstdint>
#include <functional>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/clock.h"
#include "services/common/wake_loop.h"
#include "services/domain/settings.h"
#include "services/store/store.h"

namespace rectify {

struct SchedulerPass {
  int64_t tasks_checked = 0;
  int64_t flags_raised = 0;
  int64_t flags_cleared = 0;
};

class Scheduler {
 public:
  struct Options {
    // Tasks reconciled per write transaction: keeps each transaction short.
    int batch_size = 500;
    // Longest sleep between passes, so that a jump of the wall clock is noticed.
    absl::Duration max_sleep = absl::Minutes(1);
    // Wait after a failed pass (e.g. the store is busy) before trying again.
    absl::Duration retry_after = absl::Seconds(5);
    // Called after a pass that raised or cleared flags, which appended events: rectifyd wakes
    // the event watchers with it (EventFeed::Notify). Runs on the thread of the pass.
    std::function<void()> on_events;
    // On several nodes sharing one database only the leader runs passes (docs/postgresql.md):
    // when set and it answers false, the pass is skipped and the thread looks again after
    // follower_poll. Unset: every pass runs (one node).
    std::function<bool()> may_run;
    absl::Duration follower_poll = absl::Seconds(1);
  };

  Scheduler(Store* store, const Clock* clock, LedgerSettings settings, Options options);
  Scheduler(Store* store, const Clock* clock, LedgerSettings settings)
      : Scheduler(store, clock, std::move(settings), Options()) {}
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Reconciles every task whose next check time is at or before the clock's now.
  absl::StatusOr<SchedulerPass> RunPass();

  // Starts the background thread (its first pass runs at once).
  void Start();
  // Stops it and waits for it to finish.
  void Stop();
  // Makes the background thread re-plan its sleep now.
  void Wake();

  // Totals since start, for logs and tests.
  SchedulerPass totals() const;

 private:
  // One pass and the sleep until the next.
  absl::Duration Pass();
  // Appends the audit entry of a reconciliation that changed the task's light or escalation.
  static absl::Status AuditReconcile(WriteTxn& tx, const Task& before, const Task& after,
                                     absl::Time now);

  // Constant after construction.
  Store* const store_;
  const Clock* const clock_;
  const LedgerSettings settings_;
  const Options options_;

  mutable absl::Mutex mu_;
  SchedulerPass totals_ ABSL_GUARDED_BY(mu_);
  WakeLoop loop_{[this] { return Pass(); }};
};

}  // namespace rectify

#endif  // RECTIFY_SERVICES_SCHEDULER_SCHEDULER_H_
