#include "services/store/postgres/leader_lock.h"

#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace rectify {
namespace postgres {

LeaderLock::LeaderLock(std::string conninfo, ConnectionOptions options)
    : conninfo_(std::move(conninfo)), options_(options) {}

LeaderLock::~LeaderLock() {
  absl::MutexLock lock(&mu_);
  conn_.reset();  // ends the session, which releases the lock
}

bool LeaderLock::Check(bool* changed) {
  absl::MutexLock lock(&mu_);
  const bool was = held_.load();
  if (changed != nullptr) *changed = false;
  // A follower is woken by every commit it hears of; it asks the database at most once per
  // kFollowerRetry, not once per wake.
  const absl::Time now_time = absl::Now();
  if (!was && now_time - last_try_ < kFollowerRetry) return false;
  last_try_ = now_time;
  const absl::Status status = CheckLocked();
  if (!status.ok()) {
    held_.store(false);
    // A connection that failed may still hold the lock on the server; dropping it ends the
    // session there, so this node does not keep a lock it no longer knows about.
    conn_.reset();
  }
  const bool now = held_.load();
  if (now && !was) terms_.fetch_add(1);
  if (changed != nullptr) *changed = now != was;
  return now;
}

absl::Status LeaderLock::CheckLocked() {
  if (conn_ == nullptr) {
    held_.store(false);
    absl::StatusOr<std::unique_ptr<PgConnection>> opened = PgConnection::Open(conninfo_, options_);
    if (!opened.ok()) return opened.status();
    conn_ = std::move(opened).value();
  }
  if (held_.load()) {
    // Still our session, so still our lock (it is only released with the session or by us).
    absl::StatusOr<std::string> alive = conn_->QueryText("SELECT 1");
    if (!alive.ok()) return alive.status();
    return absl::OkStatus();
  }
  static const std::string kTry = absl::StrCat("SELECT pg_try_advisory_lock(", kLeaderLockKey, ")");
  absl::StatusOr<std::string> got = conn_->QueryText(kTry.c_str());
  if (!got.ok()) return got.status();
  held_.store(*got == "t");
  return absl::OkStatus();
}

}  // namespace postgres
}  // namespace rectify
