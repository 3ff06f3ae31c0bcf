// RequestPurger: forgets idempotency records (the `requests` table) once they are older than the
// retention, so that the table stays small while a retry within the retention still gets the
// first call's answer.
//
// The guarantee it keeps: a record is never deleted before it is `retention` old. It may live
// longer (up to one `interval` more, plus any time the server was down), which only makes retries
// safer. A retry that arrives after its record was purged is treated as a new call; for task
// changes its expected_version then no longer matches and it is refused with ABORTED.
//
// The background thread purges once at start and then every `interval`. It also forgets expired
// web console sessions (services/http), which no longer authenticate anyway.
//
// Thread safety: PurgeOnce may be called from any thread; Start/Stop from the owner only.
#ifndef RECTIFY_SERVICES_SCHEDULER_REQUEST_PURGER_H_
#define RECTIFY_SERVICES_SCHEDULER_REQUEST_PURGER_H_

#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/clock.h"
#include "services/common/wake_loop.h"
#include "services/store/store.h"

namespace rectify {

class RequestPurger {
 public:
  struct Options {
    // How long a request_id is remembered at least (rectifyd --request_retention_days).
    absl::Duration retention = absl::Hours(24 * 7);
    // Time between purges.
    absl::Duration interval = absl::Hours(1);
  };

  RequestPurger(Store* store, const Clock* clock, Options options);
  ~RequestPurger();
  RequestPurger(const RequestPurger&) = delete;
  RequestPurger& operator=(const RequestPurger&) = delete;

  // Deletes the records older than the retention as of the clock's now; returns how many.
  absl::StatusOr<int64_t> PurgeOnce();

  // Starts the background thread (its first purge runs at once).
  void Start();
  // Stops it and waits for it to finish.
  void Stop();

  // Records deleted since construction, for logs and tests.
  int64_t purged_total() const;

 private:
  // One purge and the wait until the next.
  absl::Duration Pass();

  // Constant after construction.
  Store* const store_;
  const Clock* const clock_;
  const Options options_;

  mutable absl::Mutex mu_;
  int64_t purged_total_ ABSL_GUARDED_BY(mu_) = 0;
  WakeLoop loop_{[this] { return Pass(); }};
};

}  // namespace rectify

#endif  // RECTIFY_SERVICES_SCHEDULER_REQUEST_PURGER_H_
