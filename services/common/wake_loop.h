// WakeLoop: a background thread that runs one pass after another, sleeping between them for as
// long as the pass asks, woken early by Wake() and ended by Stop(). The scheduler, the
// idempotency-record purger and the notification dispatcher are such loops.
//
//   WakeLoop loop([this] { RunPass(); return absl::Seconds(30); });
//   loop.Start();  // the first pass runs at once
//   loop.Wake();   // the current or next sleep ends now
//   loop.Stop();   // waits for the pass in progress to finish
//
// Thread safety: Start and Stop from the owner only; Wake from any thread.
#ifndef RECTIFY_SERVICES_COMMON_WAKE_LOOP_H_
#define RECTIFY_SERVICES_COMMON_WAKE_LOOP_H_

#include <functional>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace rectify {

class WakeLoop {
 public:
  // `pass` runs on the loop's thread and returns how long to sleep before the next one.
  explicit WakeLoop(std::function<absl::Duration()> pass) : pass_(std::move(pass)) {}
  ~WakeLoop() { Stop(); }
  WakeLoop(const WakeLoop&) = delete;
  WakeLoop& operator=(const WakeLoop&) = delete;

  void Start() {
    {
      absl::MutexLock lock(&mu_);
      stop_ = false;
    }
    thread_ = std::thread([this] { Run(); });
  }

  void Stop() {
    {
      absl::MutexLock lock(&mu_);
      stop_ = true;
    }
    if (thread_.joinable()) thread_.join();
  }

  // A wake during a pass is kept: the sleep after it is skipped.
  void Wake() {
    absl::MutexLock lock(&mu_);
    woken_ = true;
  }

 private:
  void Run() {
    while (true) {
      const absl::Duration sleep = pass_();
      absl::MutexLock lock(&mu_);
      auto stop_or_woken = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stop_ || woken_; };
      mu_.AwaitWithTimeout(absl::Condition(&stop_or_woken), sleep);
      if (stop_) return;
      woken_ = false;
    }
  }

  const std::function<absl::Duration()> pass_;
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  bool woken_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace rectify

#endif  // RECTIFY_SERVICES_COMMON_WAKE_LOOP_H_
