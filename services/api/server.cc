#include "services/api/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/resource_quota.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include "absl/strings/str_cat.h"
#include "services/api/parse_error_interceptor.h"

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
    : org_(ledger),
      ledger_service_(ledger),
      reports_(ledger),
      admin_(ledger),
      import_(ledger),
      events_(ledger, EventOptions(options)) {}

RunningServer::~RunningServer() { Shutdown(absl::Seconds(5)); }

void RunningServer::Shutdown(absl::Duration grace) {
  if (server_ == nullptr) return;
  events_.Stop();  // watches never end by themselves
  server_->Shutdown(std::chrono::system_clock::now() + absl::ToChronoSeconds(grace));
  server_->Wait();
  server_.reset();
}

absl::StatusOr<std::unique_ptr<RunningServer>> StartServer(const Ledger* ledger,
                                                           const ServerOptions& options) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  std::unique_ptr<RunningServer> running(new RunningServer(ledger, options));
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen_address, grpc::InsecureServerCredentials(),
                           &running->port_);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.SetMaxSendMessageSize(options.max_message_bytes);
  // The sync server runs handlers on its own pool; the quota bounds it so that a burst of calls
  // queues instead of spawning a thread each.
  grpc::ResourceQuota quota("rectifyd");
  quota.SetMaxThreads(options.max_threads);
  builder.SetResourceQuota(quota);
  builder.RegisterService(&running->org_);
  builder.RegisterService(&running->ledger_service_);
  builder.RegisterService(&running->reports_);
  builder.RegisterService(&running->admin_);
  // A request that does not parse (e.g. invalid UTF-8) gets INVALID_ARGUMENT, not a bare INTERNAL.
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<ParseErrorInterceptorFactory>());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  builder.RegisterService(&running->import_);
  builder.RegisterService(&running->events_);
  running->server_ = builder.BuildAndStart();
  if (running->server_ == nullptr || running->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("无法监听 ", options.listen_address,
                                               "（端口被占用或地址无效） / cannot listen on ",
                                               options.listen_address));
  }
  return running;
}

}  // namespace rectify::api
