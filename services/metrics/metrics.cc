#include "services/metrics/metrics.h"

#include <prometheus/check_names.h>
#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <array>
#include <atomic>
#include <map>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace rectify::metrics {
namespace {

constexpr int kCodes = 17;  // gRPC status codes 0-16

// Call latency buckets, 1 ms to 10 s: a read answers in about a millisecond, a durable write in a
// few (one group commit), an export or a report in up to seconds.
const std::vector<double>& LatencyBuckets() {
  static const auto* buckets = new std::vector<double>{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                       0.25,  0.5,    1,     2.5,  5,     10};
  return *buckets;
}

// HELP text as the exposition format wants it: backslash and newline escaped (prometheus-cpp
// writes it as given).
std::string EscapeHelp(absl::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

bool IsOwnedName(absl::string_view name) {
  return name == kRpcCalls || name == kRpcLatency || name == kDbErrors;
}

}  // namespace

absl::string_view StatusCodeName(int code) {
  static constexpr std::array<absl::string_view, kCodes> kNames = {
      "OK",
      "CANCELLED",
      "UNKNOWN",
      "INVALID_ARGUMENT",
      "DEADLINE_EXCEEDED",
      "NOT_FOUND",
      "ALREADY_EXISTS",
      "PERMISSION_DENIED",
      "RESOURCE_EXHAUSTED",
      "FAILED_PRECONDITION",
      "ABORTED",
      "OUT_OF_RANGE",
      "UNIMPLEMENTED",
      "INTERNAL",
      "UNAVAILABLE",
      "DATA_LOSS",
      "UNAUTHENTICATED",
  };
  return code >= 0 && code < kCodes ? kNames[code] : "UNKNOWN";
}

class Registry::Impl {
 public:
  Impl()
      : calls_(prometheus::BuildCounter()
                   .Name(kRpcCalls)
                   .Help("gRPC 调用次数，按方法与状态码 / gRPC calls by method and status code")
                   .Register(registry_)),
        latency_(prometheus::BuildHistogram()
                     .Name(kRpcLatency)
                     .Help("gRPC 调用耗时（秒），按方法；不含事件订阅等长连接 / gRPC call "
                           "latency in seconds by method; open-ended streams excluded")
                     .Register(registry_)),
        db_errors_(prometheus::BuildCounter()
                       .Name(kDbErrors)
                       .Help("因数据库失败或不可达而失败的调用 / calls that failed because the "
                             "database failed or could not be reached")
                       .Register(registry_)
                       .Add({})) {}

  // The series of one method, made on its first call: its counter for a code on the first call
  // answered with that code (a method does not show 17 series of zeros), its histogram on its
  // first timed call (an untimed method, a watch, has none).
  struct MethodSeries {
    std::atomic<prometheus::Histogram*> latency{nullptr};
    std::array<std::atomic<prometheus::Counter*>, kCodes> calls{};
  };

  MethodSeries& SeriesOf(absl::string_view method) ABSL_LOCKS_EXCLUDED(series_mu_) {
    {
      absl::ReaderMutexLock lock(&series_mu_);
      auto it = series_.find(method);
      if (it != series_.end()) return *it->second;
    }
    absl::MutexLock lock(&series_mu_);
    std::unique_ptr<MethodSeries>& slot = series_[std::string(method)];
    if (slot == nullptr) slot = std::make_unique<MethodSeries>();
    return *slot;
  }

  prometheus::Histogram& LatencyOf(absl::string_view method, MethodSeries& series) {
    prometheus::Histogram* histogram = series.latency.load(std::memory_order_acquire);
    if (histogram == nullptr) {
      // Family::Add hands back the existing series when two threads race here.
      histogram = &latency_.Add({{"method", std::string(method)}}, LatencyBuckets());
      series.latency.store(histogram, std::memory_order_release);
    }
    return *histogram;
  }

  prometheus::Counter& CallsOf(absl::string_view method, MethodSeries& series, int code) {
    if (code < 0 || code >= kCodes) code = 2;  // UNKNOWN
    prometheus::Counter* counter = series.calls[code].load(std::memory_order_acquire);
    if (counter == nullptr) {
      // Family::Add hands back the existing series when two threads race here.
      counter = &calls_.Add(
          {{"method", std::string(method)}, {"code", std::string(StatusCodeName(code))}});
      series.calls[code].store(counter, std::memory_order_release);
    }
    return *counter;
  }

  prometheus::Registry registry_;
  prometheus::Family<prometheus::Counter>& calls_;
  prometheus::Family<prometheus::Histogram>& latency_;
  prometheus::Counter& db_errors_;

  absl::Mutex series_mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<MethodSeries>> series_
      ABSL_GUARDED_BY(series_mu_);

  struct Callback {
    uint64_t id = 0;
    bool counter = false;
    std::string help;
    std::function<double()> read;
  };
  // Held while callbacks run, so that RemoveCallback waits for a scrape in progress.
  mutable absl::Mutex callbacks_mu_;
  std::map<std::string, Callback, std::less<>> callbacks_ ABSL_GUARDED_BY(callbacks_mu_);
  uint64_t next_id_ ABSL_GUARDED_BY(callbacks_mu_) = 1;
};

Registry::Registry() : impl_(std::make_unique<Impl>()) {}
Registry::~Registry() = default;

void Registry::RecordCall(absl::string_view method, int code,
                          absl::optional<absl::Duration> latency) {
  Impl::MethodSeries& series = impl_->SeriesOf(method);
  impl_->CallsOf(method, series, code).Increment();
  if (latency.has_value()) {
    impl_->LatencyOf(method, series).Observe(absl::ToDoubleSeconds(*latency));
  }
}

void Registry::CountDatabaseError() { impl_->db_errors_.Increment(); }

uint64_t Registry::SetCallbackGauge(absl::string_view name, absl::string_view help,
                                    std::function<double()> read) {
  return SetCallback(/*counter=*/false, name, help, std::move(read));
}

uint64_t Registry::SetCallbackCounter(absl::string_view name, absl::string_view help,
                                      std::function<double()> read) {
  return SetCallback(/*counter=*/true, name, help, std::move(read));
}

uint64_t Registry::SetCallback(bool counter, absl::string_view name, absl::string_view help,
                               std::function<double()> read) {
  if (read == nullptr || IsOwnedName(name) || !prometheus::CheckMetricName(std::string(name))) {
    return 0;
  }
  absl::MutexLock lock(&impl_->callbacks_mu_);
  const uint64_t id = impl_->next_id_++;
  impl_->callbacks_[std::string(name)] =
      Impl::Callback{id, counter, EscapeHelp(help), std::move(read)};
  return id;
}

void Registry::RemoveCallback(uint64_t id) {
  if (id == 0) return;
  absl::MutexLock lock(&impl_->callbacks_mu_);
  for (auto it = impl_->callbacks_.begin(); it != impl_->callbacks_.end(); ++it) {
    if (it->second.id == id) {
      impl_->callbacks_.erase(it);
      return;
    }
  }
}

std::string Registry::Render() const {
  std::vector<prometheus::MetricFamily> families = impl_->registry_.Collect();
  {
    absl::MutexLock lock(&impl_->callbacks_mu_);
    for (const auto& [name, callback] : impl_->callbacks_) {
      prometheus::MetricFamily family;
      family.name = name;
      family.help = callback.help;
      family.type =
          callback.counter ? prometheus::MetricType::Counter : prometheus::MetricType::Gauge;
      prometheus::ClientMetric metric;
      const double value = callback.read();
      if (callback.counter) {
        metric.counter.value = value;
      } else {
        metric.gauge.value = value;
      }
      family.metric.push_back(std::move(metric));
      families.push_back(std::move(family));
    }
  }
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, families);
  return out.str();
}

}  // namespace rectify::metrics
