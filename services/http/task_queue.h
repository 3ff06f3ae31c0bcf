// The HTTP server's worker pool: a fixed number of threads and a bounded queue of accepted
// connections. cpp-httplib 0.11.4's own ThreadPool queues without limit; here, when the queue
// is full, the accepting thread waits for room, so further connections wait in the kernel's
// listen backlog instead of in memory, and the HTTP side never holds more than
// threads + max_queued connections. gRPC has its own threads, so its callers are not starved.
//
// Thread safety: enqueue and shutdown may be called from any thread (httplib calls enqueue from
// its accepting thread and shutdown once when it stops).
#ifndef RECTIFY_SERVICES_HTTP_TASK_QUEUE_H_
#define RECTIFY_SERVICES_HTTP_TASK_QUEUE_H_

#include <httplib.h>

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace rectify::http {

class BoundedTaskQueue final : public httplib::TaskQueue {
 public:
  BoundedTaskQueue(int threads, int max_queued) : max_queued_(max_queued < 1 ? 1 : max_queued) {
    for (int i = 0; i < (threads < 1 ? 1 : threads); ++i) workers_.emplace_back([this] { Run(); });
  }
  ~BoundedTaskQueue() override { shutdown(); }
  BoundedTaskQueue(const BoundedTaskQueue&) = delete;
  BoundedTaskQueue& operator=(const BoundedTaskQueue&) = delete;

  void enqueue(std::function<void()> fn) override {
    absl::MutexLock lock(&mu_);
    auto room = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return static_cast<int>(jobs_.size()) < max_queued_ || stopping_;
    };
    mu_.Await(absl::Condition(&room));
    // A job is never dropped, even while stopping: it owns a socket that only it closes.
    jobs_.push_back(std::move(fn));
  }

  void shutdown() override {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
      stopping_ = true;
    }
    for (std::thread& t : workers_) t.join();
  }

 private:
  void Run() {
    for (;;) {
      std::function<void()> job;
      {
        absl::MutexLock lock(&mu_);
        auto ready = [this]()
                         ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !jobs_.empty() || stopping_; };
        mu_.Await(absl::Condition(&ready));
        if (jobs_.empty()) return;  // stopping, and nothing left to finish
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }

  const int max_queued_;
  std::vector<std::thread> workers_;
  absl::Mutex mu_;
  std::deque<std::function<void()>> jobs_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace rectify::http

#endif  // RECTIFY_SERVICES_HTTP_TASK_QUEUE_H_
