// A server interceptor that records every gRPC call in the metrics registry (metrics.h): its
// method, the status code it was answered with, and its latency from the moment gRPC created the
// call to the moment the status is sent. Calls answered UNAVAILABLE, INTERNAL or DATA_LOSS are
// also counted as database errors (rectify_db_errors_total), except while the server drains,
// when UNAVAILABLE only means "retry on another node".
//
// The method label is the method's path without its leading slash
// ("rectify.v1.LedgerService/CreateTask") for the methods this server serves; any other path a
// client sends is recorded as "unknown", so that a client cannot add series at will. Open-ended
// streams (WatchEvents, the health Watch, bidirectional streams such as reflection) are counted
// but not timed: their duration is how long the client stayed, not how fast the server was.
//
// Must come after the interceptors that change the status sent (ParseErrorInterceptorFactory):
// gRPC runs PRE_SEND_STATUS hooks in the order the factories were registered.
//
// Thread safety: one interceptor object per call, as gRPC creates them; the factory is safe to
// use from every handler thread.
#ifndef RECTIFY_SERVICES_API_INTERNAL_METRICS_INTERCEPTOR_H_
#define RECTIFY_SERVICES_API_INTERNAL_METRICS_INTERCEPTOR_H_

#include <grpcpp/support/server_interceptor.h>

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/node_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "services/api/service_context.h"
#include "services/metrics/metrics.h"

namespace rectify::api {

class MetricsInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `registry` and `gate` must outlive the server.
  MetricsInterceptorFactory(metrics::Registry* registry, const CallGate* gate)
      : registry_(registry), gate_(gate) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override ABSL_LOCKS_EXCLUDED(mu_);

  // How a method path is recorded.
  struct MethodLabel {
    std::string label;  // "rectify.v1.LedgerService/CreateTask", or "unknown"
    bool timed = true;  // false for open-ended streams
  };
  // The label of `path` ("/rectify.v1.LedgerService/CreateTask") for a call of `type`.
  static MethodLabel LabelOf(const std::string& path, grpc::experimental::ServerRpcInfo::Type type);

 private:
  metrics::Registry* const registry_;
  const CallGate* const gate_;
  // Labels of the paths seen so far (only served methods: the set is bounded). A node map: the
  // interceptors hold references to its values.
  absl::Mutex mu_;
  absl::node_hash_map<std::string, MethodLabel> labels_ ABSL_GUARDED_BY(mu_);
};

}  // namespace rectify::api

#endif  // RECTIFY_SERVICES_API_INTERNAL_METRICS_INTERCEPTOR_H_
