#include <algorithm>
#include <deque>

#include "services/notify/channels/channel.h"

namespace rectify::notify {

RateLimiter::RateLimiter(int max_per_window, absl::Duration window)
    : max_per_window_(max_per_window < 1 ? 1 : max_per_window), window_(window) {}

void RateLimiter::Expire(std::deque<absl::Time>& sends, absl::Time now) const {
  while (!sends.empty() && sends.front() + window_ <= now) sends.pop_front();
}

absl::Time RateLimiter::NextSlot(int64_t key, absl::Time now) {
  absl::MutexLock lock(&mu_);
  auto it = sends_.find(key);
  if (it == sends_.end()) return now;
  Expire(it->second, now);
  if (it->second.empty()) {
    sends_.erase(it);
    return now;
  }
  if (static_cast<int>(it->second.size()) < max_per_window_) return now;
  // The window is full: the next send may go when the oldest one that fills it leaves.
  const size_t oldest_blocking = it->second.size() - static_cast<size_t>(max_per_window_);
  return it->second[oldest_blocking] + window_;
}

void RateLimiter::Record(int64_t key, absl::Time now) {
  absl::MutexLock lock(&mu_);
  std::deque<absl::Time>& sends = sends_[key];
  Expire(sends, now);
  // Kept in order, so that a late Record of an earlier send still expires first.
  sends.insert(std::upper_bound(sends.begin(), sends.end(), now), now);
}

}  // namespace rectify::notify
