// Retrying calls that may not have reached the server: UNAVAILABLE (unreachable, restarting,
// storage busy), DEADLINE_EXCEEDED (no answer in time) and CANCELLED (cut off by a server that
// stopped with the call still running: the CLI itself never cancels a call it waits for), with
// exponential backoff and jitter.
//
// Safe because of request_id: a mutation's request is built once, with one request_id, before
// the first attempt, and every attempt sends that same request. When an attempt did reach the
// server and only its answer was lost, the server recognises the request_id and returns the first
// call's result instead of acting again, so a retried progress report is never recorded twice.
// Reads are naturally safe to repeat. Other codes (ABORTED, INVALID_ARGUMENT, RESOURCE_EXHAUSTED
// ...) are answers, and are never retried.
//
// Usage (Session::Call does this for every command):
//   RetryHooks hooks;
//   hooks.sleep = [&](absl::Duration d) { conn.PauseBeforeRetry(d); };  // redials meanwhile
//   grpc::Status status = CallWithRetry(
//       RetryPolicy::ForTimeout(30),
//       [&](int attempt) {
//         auto context = conn.NewContext();
//         return stub.Call(context.get(), request, &response);
//       },
//       [&](const RetryNotice& n) { std::cerr << RetryMessage(n) << "\n"; }, hooks);
//
// Thread safety: the functions are thread-safe; the callbacks run on the caller's thread.
#ifndef RECTIFY_CLIENT_RPC_RETRY_H_
#define RECTIFY_CLIENT_RPC_RETRY_H_

#include <functional>
#include <string>

#include "absl/time/time.h"
#include "grpcpp/support/status.h"

namespace rectify::client {

struct RetryPolicy {
  // Attempts in all, the first included. 1 disables retries.
  int max_attempts = 5;
  // The backoff before the first retry; each later one is `multiplier` times longer, up to
  // max_backoff. The wait is drawn uniformly from [backoff/2, backoff] (jitter), so that many
  // clients cut off together do not come back together.
  absl::Duration initial_backoff = absl::Milliseconds(250);
  absl::Duration max_backoff = absl::Seconds(4);
  double multiplier = 2.0;
  // No retry starts once this much time has passed since the first attempt began.
  absl::Duration total_budget = absl::Seconds(60);

  // The CLI's policy for a per-call deadline of `timeout_seconds`: 5 attempts, and a budget of
  // 60 s or two deadlines, whichever is longer.
  static RetryPolicy ForTimeout(double timeout_seconds);
};

// Whether a call that ended with `code` may be sent again with the same request.
bool IsRetryable(grpc::StatusCode code);

// The backoff before retry number `retry` (1 = before the second attempt), before jitter:
// initial_backoff * multiplier^(retry-1), capped at max_backoff.
absl::Duration BackoffCeiling(const RetryPolicy& policy, int retry);

// What is about to happen, for the "重试中…" line.
struct RetryNotice {
  int next_attempt = 0;  // 2 for the first retry
  int max_attempts = 0;
  absl::Duration wait;  // the pause before it
  grpc::Status last;    // why the previous attempt failed
};

// "重试中… 第 2/5 次，0.3 秒后（UNAVAILABLE） / retrying… attempt 2/5 in 0.3 s (UNAVAILABLE)".
std::string RetryMessage(const RetryNotice& notice);

// Runs attempt(1), attempt(2), ... until one returns a status that is not retryable, the
// attempts are used up, or the budget is spent; returns the last status. Before each retry it
// calls on_retry (may be empty) and then sleeps. `attempt` must send the same request each time
// and make a fresh grpc::ClientContext (contexts cannot be reused).
//
// `sleep` and `now` are for tests; by default they are absl::SleepFor and absl::Now. `random01`
// draws the jitter in [0, 1); by default from a per-thread engine seeded by std::random_device.
struct RetryHooks {
  std::function<void(absl::Duration)> sleep;
  std::function<absl::Time()> now;
  std::function<double()> random01;
  // True for a retryable status that waiting will not cure (a failed TLS handshake: a wrong CA
  // stays wrong), which is then returned at once.
  std::function<bool(const grpc::Status&)> permanent;
};
grpc::Status CallWithRetry(const RetryPolicy& policy,
                           const std::function<grpc::Status(int attempt)>& attempt,
                           const std::function<void(const RetryNotice&)>& on_retry,
                           const RetryHooks& hooks = RetryHooks());

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_RPC_RETRY_H_
