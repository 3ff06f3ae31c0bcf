#include "services/api/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/resource_quota.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/api/internal/metrics_interceptor.h"
#include "services/api/internal/parse_error_interceptor.h"
#include "services/api/tls_config.h"
#include "services/audit/audit_chain.h"
#include "services/common/status_macros.h"

namespace rectify::api {

namespace {

EventServiceImpl::Options EventOptions(const ServerOptions& options) {
  EventServiceImpl::Options events;
  events.feed = options.event_feed;
  events.poll_interval = options.event_poll_interval;
  events.max_watchers = options.max_watchers;
  return events;
}

}  // namespace

RunningServer::RunningServer(const Ledger* ledger, const ServerOptions& options)
    : org_(ServiceContext{ledger, &gate_}),
      ledger_service_(ServiceContext{ledger, &gate_}),
      reports_(ServiceContext{ledger, &gate_}),
      admin_(ServiceContext{ledger, &gate_}),
      import_(ServiceContext{ledger, &gate_}),
      events_(ServiceContext{ledger, &gate_}, EventOptions(options)),
      audit_(ServiceContext{ledger, &gate_}),
      tokens_(ServiceContext{ledger, &gate_}, options.web_url),
      notify_(ServiceContext{ledger, &gate_}, options.notify_sender),
      metrics_(options.metrics) {}

RunningServer::~RunningServer() {
  Shutdown(absl::Seconds(5));
  // The gauge reads events_, which goes with this object.
  if (metrics_ != nullptr) metrics_->RemoveCallback(watches_gauge_);
}

void RunningServer::Shutdown(absl::Duration grace) {
  if (server_ == nullptr) return;
  events_.Stop();  // watches never end by themselves
  const absl::Time deadline = absl::Now() + grace;
  gate_.BeginDrain();
  gate_.WaitIdle(grace);
  // Whatever is left past the grace is cancelled now; a moment more for the refusals in flight.
  server_->Shutdown(absl::ToChronoTime(std::max(deadline, absl::Now() + absl::Milliseconds(100))));
  server_->Wait();
  server_.reset();
}

absl::StatusOr<std::unique_ptr<RunningServer>> StartServer(const Ledger* ledger,
                                                           const ServerOptions& options) {
  TlsFiles tls{options.tls_cert_file, options.tls_key_file, options.tls_client_ca_file};
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::ServerCredentials> credentials,
                   MakeServerCredentials(tls, options.listen_address));
  RETURN_IF_ERROR(audit::EnsureChain(*ledger->store(), ledger->Now()));
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  std::unique_ptr<RunningServer> running(new RunningServer(ledger, options));
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen_address, credentials, &running->port_);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.SetMaxSendMessageSize(options.max_message_bytes);
  // The sized handler pool (see server.h for why the sync API): the quota bounds the threads
  // the sync server makes; at least one of them always polls, so a handler waiting for a durable
  // commit never stops gRPC from taking and answering other calls.
  grpc::ResourceQuota quota("rectifyd");
  quota.SetMaxThreads(options.max_threads);
  builder.SetResourceQuota(quota);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MIN_POLLERS, 1);
  // A handler thread that is done goes back to polling rather than exiting (the default keeps 2
  // pollers and ends the rest): under a steady load the pool is not torn down and rebuilt at
  // every call, which cost about a tenth of the server's CPU in a profile.
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS,
                              std::max(2, options.max_threads / 4));
  builder.RegisterService(&running->org_);
  builder.RegisterService(&running->ledger_service_);
  builder.RegisterService(&running->reports_);
  builder.RegisterService(&running->admin_);
  // A request that does not parse (e.g. invalid UTF-8) gets INVALID_ARGUMENT, not a bare INTERNAL.
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<ParseErrorInterceptorFactory>());
  // After the parse-error interceptor, so that it records the status the client gets.
  if (options.metrics != nullptr) {
    interceptors.push_back(
        std::make_unique<MetricsInterceptorFactory>(options.metrics, &running->gate_));
  }
  // Every rectify.v1 handler authenticates its caller and checks the permission table before
  // anything else (ServiceAdapter::Handle, service_context.h); health checks and reflection stay
  // open.
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  builder.RegisterService(&running->import_);
  builder.RegisterService(&running->events_);
  builder.RegisterService(&running->audit_);
  builder.RegisterService(&running->tokens_);
  builder.RegisterService(&running->notify_);
  running->server_ = builder.BuildAndStart();
  if (running->server_ == nullptr || running->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("无法监听 ", options.listen_address,
                                               "（端口被占用或地址无效） / cannot listen on ",
                                               options.listen_address));
  }
  if (options.metrics != nullptr) {
    const EventServiceImpl* events = &running->events_;
    running->watches_gauge_ = options.metrics->SetCallbackGauge(
        metrics::kWatchesOpen,
        "打开的事件订阅（rectify watch） / event watches open now (rectify watch)",
        [events] { return static_cast<double>(events->watchers()); });
  }
  return running;
}

}  // namespace rectify::api
