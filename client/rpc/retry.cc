#include "client/rpc/retry.h"

#include <algorithm>
#include <random>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace rectify::client {
namespace {

const char* CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    default:
      return "ERROR";
  }
}

double DefaultRandom01() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

}  // namespace

RetryPolicy RetryPolicy::ForTimeout(double timeout_seconds) {
  RetryPolicy policy;
  policy.total_budget = std::max(absl::Seconds(60), absl::Seconds(2 * timeout_seconds));
  return policy;
}

bool IsRetryable(grpc::StatusCode code) {
  // CANCELLED: the CLI never cancels a call it waits for (Ctrl-C ends the process), so a unary
  // call that ends CANCELLED was cancelled by the server, which does so only when it stops with
  // the call still running. Every call the CLI retries is a read or carries its request_id,
  // except TestChannel (`notify test`), which may send its test message twice.
  return code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::DEADLINE_EXCEEDED ||
         code == grpc::StatusCode::CANCELLED;
}

absl::Duration BackoffCeiling(const RetryPolicy& policy, int retry) {
  absl::Duration backoff = policy.initial_backoff;
  for (int i = 1; i < retry && backoff < policy.max_backoff; ++i) backoff *= policy.multiplier;
  return std::min(backoff, policy.max_backoff);
}

std::string RetryMessage(const RetryNotice& notice) {
  const double seconds = absl::ToDoubleSeconds(notice.wait);
  const char* code = CodeName(notice.last.error_code());
  return absl::StrFormat(
      "重试中… 第 %d/%d 次，%.1f 秒后（%s） / retrying… attempt %d/%d in %.1f s (%s)",
      notice.next_attempt, notice.max_attempts, seconds, code, notice.next_attempt,
      notice.max_attempts, seconds, code);
}

grpc::Status CallWithRetry(const RetryPolicy& policy,
                           const std::function<grpc::Status(int attempt)>& attempt,
                           const std::function<void(const RetryNotice&)>& on_retry,
                           const RetryHooks& hooks) {
  std::function<absl::Time()> now = [] { return absl::Now(); };
  std::function<void(absl::Duration)> sleep = [](absl::Duration d) { absl::SleepFor(d); };
  std::function<double()> random01 = DefaultRandom01;
  if (hooks.now) now = hooks.now;
  if (hooks.sleep) sleep = hooks.sleep;
  if (hooks.random01) random01 = hooks.random01;
  const absl::Time start = now();
  const int max_attempts = std::max(1, policy.max_attempts);
  for (int n = 1;; ++n) {
    grpc::Status status = attempt(n);
    if (status.ok() || !IsRetryable(status.error_code()) || n >= max_attempts) return status;
    if (hooks.permanent && hooks.permanent(status)) return status;
    const absl::Duration ceiling = BackoffCeiling(policy, n);
    const absl::Duration wait = ceiling / 2 + ceiling / 2 * random01();
    if (now() + wait - start >= policy.total_budget) return status;
    if (on_retry) on_retry(RetryNotice{n + 1, max_attempts, wait, status});
    sleep(wait);
  }
}

}  // namespace rectify::client
