// rectifyd's Prometheus metrics (docs/operations.md, "Metrics"): one Registry per process, owned
// by rectifyd and handed by pointer to the gRPC server (which records every call through an
// interceptor and reports its open watches) and to the HTTP server (which serves GET /metrics in
// the text exposition format). A null pointer anywhere means "no metrics": nothing is recorded
// and /metrics is not served, which is what every test that does not ask for them gets.
//
// Two kinds of metric live here:
// - Owned ones, updated as things happen: calls by method and code, call latency by method,
//   database errors. Built on prometheus-cpp's core library (Debian's prometheus-cpp-dev); its
//   pull exposer (civetweb) is not used, since rectifyd already has an HTTP server.
// - Read ones, whose value another part of rectifyd already keeps (the group committer's
//   counters, the scheduler's leadership and lag, the open watches): registered as a callback
//   and read at scrape time, so nothing on the write path pays for them.
//
//   metrics::Registry registry;
//   registry.SetCallbackCounter(metrics::kGroupCommitWrites, "...", [&] { return ...; });
//   server_options.metrics = &registry;  http_options.metrics = &registry;
//
// Thread safety: every method may be called from any thread. A callback runs on the scraping
// thread, one scrape at a time, and never after the RemoveCallback that removed it returned.
#ifndef RECTIFY_SERVICES_METRICS_METRICS_H_
#define RECTIFY_SERVICES_METRICS_METRICS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"

namespace rectify::metrics {

// Names of the metrics rectifyd exposes (docs/operations.md lists each with its meaning).
// Owned by the Registry:
inline constexpr char kRpcCalls[] = "rectify_rpc_calls_total";
inline constexpr char kRpcLatency[] = "rectify_rpc_latency_seconds";
inline constexpr char kDbErrors[] = "rectify_db_errors_total";
// Read through callbacks that the API server (watches) or rectifyd (the rest) registers:
inline constexpr char kWatchesOpen[] = "rectify_watches_open";
inline constexpr char kGroupCommitWrites[] = "rectify_group_commit_writes_total";
inline constexpr char kGroupCommitCommits[] = "rectify_group_commit_commits_total";
inline constexpr char kGroupCommitSynced[] = "rectify_group_commit_synced_total";
inline constexpr char kGroupCommitSeconds[] = "rectify_group_commit_seconds_total";
inline constexpr char kSchedulerLeader[] = "rectify_scheduler_leader";
inline constexpr char kSchedulerLag[] = "rectify_scheduler_lag_seconds";

// The Content-Type of Render()'s text (Prometheus text exposition format 0.0.4).
inline constexpr char kContentType[] = "text/plain; version=0.0.4; charset=utf-8";

// The name of a gRPC status code as gRPC spells it ("OK", "INVALID_ARGUMENT"; "UNKNOWN" for a
// number outside 0-16). Kept here so that this library needs no gRPC.
absl::string_view StatusCodeName(int code);

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // One finished gRPC call: rectify_rpc_calls_total{method, code} += 1 and, when `latency` is
  // given (not for open-ended streams such as WatchEvents, whose duration is a lifetime, not a
  // latency), one observation of rectify_rpc_latency_seconds{method}. `method` as
  // "rectify.v1.LedgerService/CreateTask"; `code` a gRPC status code number.
  void RecordCall(absl::string_view method, int code, absl::optional<absl::Duration> latency);
  // rectify_db_errors_total += 1: a call failed because the database did (see the interceptor).
  void CountDatabaseError();

  // A metric whose value `read` returns at each scrape; a gauge goes up and down, a counter
  // only up (since the process started). Replaces a callback of the same name. Returns an id for
  // RemoveCallback, or 0 (nothing registered) when `name` is not a valid metric name or is one of
  // the owned metrics above. `read` runs at every scrape: a lookup or one small query, and no
  // call of this Registry.
  uint64_t SetCallbackGauge(absl::string_view name, absl::string_view help,
                            std::function<double()> read);
  uint64_t SetCallbackCounter(absl::string_view name, absl::string_view help,
                              std::function<double()> read);
  // Removes the callback registered under `id`, unless another has replaced it since. Once this
  // returns, that callback is not running and will not run again.
  void RemoveCallback(uint64_t id);

  // Every metric in the text exposition format (serve with kContentType).
  std::string Render() const;

 private:
  class Impl;
  uint64_t SetCallback(bool counter, absl::string_view name, absl::string_view help,
                       std::function<double()> read);
  const std::unique_ptr<Impl> impl_;
};

}  // namespace rectify::metrics

#endif  // RECTIFY_SERVICES_METRICS_METRICS_H_
