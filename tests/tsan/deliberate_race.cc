// A deliberate data race, for tests/sanitize.sh to check that the absl::Mutex annotation library
// hides nothing: one thread writes a counter under an absl::Mutex, the other without it. TSan must
// report the race (exit 66) with the annotations preloaded. Built only with
// -DRECTIFY_SANITIZE=thread.
#include <thread>

#include "absl/synchronization/mutex.h"

int main() {
  absl::Mutex mu;
  long counter = 0;
  std::thread locked([&] {
    for (int i = 0; i < 1000; ++i) {
      absl::MutexLock lock(&mu);
      ++counter;
    }
  });
  std::thread unlocked([&] {
    for (int i = 0; i < 1000; ++i) ++counter;  // the race
  });
  locked.join();
  unlocked.join();
  return counter > 0 ? 0 : 1;
}
