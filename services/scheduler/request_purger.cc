#include "services/scheduler/request_purger.h"

#include <iostream>

#include "services/common/status_macros.h"

namespace rectify {

RequestPurger::RequestPurger(Store* store, const Clock* clock, Options options)
    : store_(store), clock_(clock), options_(options) {}

RequestPurger::~RequestPurger() { Stop(); }

absl::StatusOr<int64_t> RequestPurger::PurgeOnce() {
  const absl::Time before = clock_->Now() - options_.retention;
  int64_t purged = 0;
  RETURN_IF_ERROR(store_->Write([&](WriteTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(purged, tx.PurgeRequests(before));
    // Web console sessions past their expiry are dead already (every call checks it); this only
    // keeps their rows from piling up.
    return tx.PurgeSessions(clock_->Now()).status();
  }));
  absl::MutexLock lock(&mu_);
  purged_total_ += purged;
  return purged;
}

void RequestPurger::Start() { loop_.Start(); }

void RequestPurger::Stop() { loop_.Stop(); }

int64_t RequestPurger::purged_total() const {
  absl::MutexLock lock(&mu_);
  return purged_total_;
}

absl::Duration RequestPurger::Pass() {
  absl::StatusOr<int64_t> purged = PurgeOnce();
  if (!purged.ok()) {
    // Not fatal: the records stay a little longer, and the next purge takes them.
    std::cerr << "rectifyd: 清理过期请求记录失败，稍后重试 / purging old request records "
                 "failed, will retry: "
              << purged.status().message() << "\n";
  }
  return options_.interval;
}

}  // namespace rectify
