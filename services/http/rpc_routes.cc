#include "services/http/rpc_routes.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.pb.h"
#include "rectify/v1/admin.pb.h"
#include "rectify/v1/audit.pb.h"
#include "rectify/v1/auth.pb.h"
#include "rectify/v1/events.pb.h"
#include "rectify/v1/import.pb.h"
#include "rectify/v1/ledger.pb.h"
#include "rectify/v1/notify.pb.h"
#include "rectify/v1/org.pb.h"
#include "rectify/v1/reports.pb.h"

namespace rectify::http {
namespace {

constexpr char kPackage[] = "rectify.v1";

// The descriptors of the .proto files the server was built with. Naming one message of each
// file makes sure the linker keeps the file, and with it the file's services, in the pool.
std::vector<const google::protobuf::FileDescriptor*> ApiFiles() {
  return {v1::OrgUnit::descriptor()->file(),
          v1::Task::descriptor()->file(),
          v1::StatisticsRequest::descriptor()->file(),
          v1::WatchEventsRequest::descriptor()->file(),
          v1::BackupRequest::descriptor()->file(),
          v1::ImportPreview::descriptor()->file(),
          v1::ApiToken::descriptor()->file(),
          v1::VerifyAuditRequest::descriptor()->file(),
          v1::Channel::descriptor()->file()};
}

}  // namespace

const RouteTable& RouteTable::Get() {
  static const RouteTable* const table = new RouteTable();
  return *table;
}

RouteTable::RouteTable() {
  const google::protobuf::DescriptorPool* pool = google::protobuf::DescriptorPool::generated_pool();
  google::protobuf::MessageFactory* factory = google::protobuf::MessageFactory::generated_factory();
  for (const google::protobuf::FileDescriptor* linked : ApiFiles()) {
    // Look the file up again by name in the pool, so the table is the pool's view of it.
    const google::protobuf::FileDescriptor* file = pool->FindFileByName(linked->name());
    if (file == nullptr || file->package() != kPackage) continue;
    for (int s = 0; s < file->service_count(); ++s) {
      const google::protobuf::ServiceDescriptor* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        const google::protobuf::MethodDescriptor* method = service->method(m);
        if (method->client_streaming()) continue;  // none today; HTTP has no way to carry them
        RpcRoute route;
        route.grpc_path = absl::StrCat("/", service->full_name(), "/", method->name());
        route.method = method;
        route.server_streaming = method->server_streaming();
        route.request_prototype = factory->GetPrototype(method->input_type());
        route.response_prototype = factory->GetPrototype(method->output_type());
        routes_.emplace(absl::StrCat(service->full_name(), "/", method->name()), std::move(route));
      }
    }
  }
}

const RpcRoute* RouteTable::Find(absl::string_view name) const {
  auto it = routes_.find(name);
  return it == routes_.end() ? nullptr : &it->second;
}

}  // namespace rectify::http
