// Race(n, write): runs `write(i)` on n threads released at the same moment, and tallies how the
// writes ended: the tool of the tests where several people change one task at once. Only std::
// primitives, so that ThreadSanitizer sees every edge of the harness itself.
#ifndef RECTIFY_TESTS_SUPPORT_RACE_H_
#define RECTIFY_TESTS_SUPPORT_RACE_H_

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"

namespace rectify {
namespace testing_support {

// Outcome counts of one race.
struct Round {
  int won = 0;
  int aborted = 0;
  int other = 0;
  std::string first_other;
};

// Releases every waiting thread at once, so that the writers really race.
class StartLine {
 public:
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return open_; });
  }
  void Open() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

// `write(int writer) -> absl::Status` on `writers` threads at once.
template <typename Write>
Round Race(int writers, Write write) {
  StartLine start;
  std::mutex mu;
  Round round;
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      start.Wait();
      const absl::Status status = write(w);
      std::lock_guard<std::mutex> lock(mu);
      if (status.ok()) {
        ++round.won;
      } else if (absl::IsAborted(status)) {
        ++round.aborted;
      } else if (round.other++ == 0) {
        round.first_other = status.ToString();
      }
    });
  }
  start.Open();
  for (std::thread& t : threads) t.join();
  return round;
}

}  // namespace testing_support
}  // namespace rectify

#endif  // RECTIFY_TESTS_SUPPORT_RACE_H_
