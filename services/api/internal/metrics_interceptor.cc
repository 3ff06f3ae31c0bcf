#include "services/api/internal/metrics_interceptor.h"

#include <google/protobuf/descriptor.h>

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"

namespace rectify::api {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::ServerRpcInfo;

// Served by gRPC itself, not through a generated protobuf service.
constexpr absl::string_view kHealthCheck = "/grpc.health.v1.Health/Check";
constexpr absl::string_view kHealthWatch = "/grpc.health.v1.Health/Watch";
constexpr absl::string_view kWatchEvents = "/rectify.v1.EventService/WatchEvents";

// Whether `path` names a method of a service compiled into this binary.
bool Served(absl::string_view path) {
  if (path == kHealthCheck || path == kHealthWatch) return true;
  if (!absl::StartsWith(path, "/")) return false;
  std::string full_name(path.substr(1));
  const size_t slash = full_name.rfind('/');
  if (slash == std::string::npos) return false;
  full_name[slash] = '.';
  return google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(full_name) != nullptr;
}

class MetricsInterceptor final : public grpc::experimental::Interceptor {
 public:
  MetricsInterceptor(metrics::Registry* registry, const CallGate* gate,
                     const MetricsInterceptorFactory::MethodLabel& method)
      : registry_(registry), gate_(gate), method_(method), start_(absl::Now()) {}

  ~MetricsInterceptor() override {
    // The call ended without a status of ours (cancelled before the handler answered).
    if (!recorded_) Record(grpc::StatusCode::CANCELLED);
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (!recorded_ &&
        methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      Record(methods->GetSendStatus().error_code());
    }
    methods->Proceed();
  }

 private:
  void Record(grpc::StatusCode code) {
    recorded_ = true;
    absl::optional<absl::Duration> latency;
    if (method_.timed) latency = absl::Now() - start_;
    registry_->RecordCall(method_.label, static_cast<int>(code), latency);
    if ((code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::INTERNAL ||
         code == grpc::StatusCode::DATA_LOSS) &&
        (gate_ == nullptr || !gate_->draining())) {
      registry_->CountDatabaseError();
    }
  }

  metrics::Registry* const registry_;
  const CallGate* const gate_;
  const MetricsInterceptorFactory::MethodLabel& method_;  // in the factory's map, never erased
  const absl::Time start_;
  bool recorded_ = false;
};

}  // namespace

MetricsInterceptorFactory::MethodLabel MetricsInterceptorFactory::LabelOf(
    const std::string& path, ServerRpcInfo::Type type) {
  MethodLabel out;
  if (!Served(path)) {
    out.label = "unknown";
    return out;
  }
  out.label = path.substr(1);
  out.timed =
      type != ServerRpcInfo::Type::BIDI_STREAMING && path != kWatchEvents && path != kHealthWatch;
  return out;
}

grpc::experimental::Interceptor* MetricsInterceptorFactory::CreateServerInterceptor(
    ServerRpcInfo* info) {
  const std::string path = info->method() != nullptr ? info->method() : "";
  const MethodLabel* label = nullptr;
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = labels_.find(path);
    if (it != labels_.end()) label = &it->second;
  }
  if (label == nullptr) {
    MethodLabel computed = LabelOf(path, info->type());
    absl::MutexLock lock(&mu_);
    // Unknown paths share one entry, so a client sending made-up paths cannot grow the map.
    const std::string key = computed.label == "unknown" ? std::string() : path;
    label = &labels_.try_emplace(key, std::move(computed)).first->second;
  }
  return new MetricsInterceptor(registry_, gate_, *label);
}

}  // namespace rectify::api
