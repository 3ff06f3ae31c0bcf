// EventFeed: tells event watchers that the event log may have grown, so that they re-read its tail
// instead of polling the store.
//
// It carries no events, only a generation number that grows on every Notify(). A watcher reads
// the generation, reads the store, and then waits for the generation to move past what it read:
// an event committed between its read and its wait has bumped the generation already, so the wait
// returns at once and nothing is missed. Waits are bounded, so a watcher can check for a cancelled
// call or a stopping server at least that often.
//
//   EventFeed feed;
//   ledger.set_change_listener([&] { feed.Notify(); });   // every committed mutation
//   // watcher:
//   uint64_t seen = feed.generation();
//   ... read events after the last seq ...
//   seen = feed.WaitForChange(seen, absl::Seconds(1));
//
// Thread safety: every method may be called from any thread.
#ifndef RECTIFY_SERVICES_DOMAIN_EVENT_FEED_H_
#define RECTIFY_SERVICES_DOMAIN_EVENT_FEED_H_

#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace rectify {

class EventFeed {
 public:
  EventFeed() = default;
  EventFeed(const EventFeed&) = delete;
  EventFeed& operator=(const EventFeed&) = delete;

  // Something may have been appended to the event log: wakes every waiter.
  void Notify() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    ++generation_;
  }

  uint64_t generation() const ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return generation_;
  }

  // Waits until the generation differs from `seen`, or `timeout` passes; returns the generation
  // then (equal to `seen` on a timeout).
  uint64_t WaitForChange(uint64_t seen, absl::Duration timeout) const ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    auto moved = [this, seen]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return generation_ != seen; };
    mu_.AwaitWithTimeout(absl::Condition(&moved), timeout);
    return generation_;
  }

 private:
  mutable absl::Mutex mu_;
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace rectify

#endif  // RECTIFY_SERVICES_DOMAIN_EVENT_FEED_H_
