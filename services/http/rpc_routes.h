// The HTTP gateway's route table: every RPC of every service in package rectify.v1, found in the
// generated descriptor pool, reachable as POST /api/<package.Service>/<Method>. Nothing here is
// written per method: a new RPC in a .proto is routed as soon as it is compiled in.
//
//   const RpcRoute* route = RouteTable::Get().Find("rectify.v1.LedgerService/ListTasks");
//   route->grpc_path  // "/rectify.v1.LedgerService/ListTasks"
//
// Thread safety: built once, immutable afterwards; safe to read from any thread.
#ifndef RECTIFY_SERVICES_HTTP_RPC_ROUTES_H_
#define RECTIFY_SERVICES_HTTP_RPC_ROUTES_H_

#include <map>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace rectify::http {

struct RpcRoute {
  std::string grpc_path;  // "/rectify.v1.LedgerService/ListTasks"
  const google::protobuf::MethodDescriptor* method = nullptr;
  bool server_streaming = false;
  // Empty messages of the request and response types (generated classes, not dynamic ones).
  const google::protobuf::Message* request_prototype = nullptr;
  const google::protobuf::Message* response_prototype = nullptr;
};

class RouteTable {
 public:
  // The table of the services linked into this binary (package rectify.v1).
  static const RouteTable& Get();
  // `name` is "<package.Service>/<Method>"; nullptr when there is no such RPC.
  const RpcRoute* Find(absl::string_view name) const;
  const std::map<std::string, RpcRoute, std::less<>>& routes() const { return routes_; }

 private:
  RouteTable();
  std::map<std::string, RpcRoute, std::less<>> routes_;
};

}  // namespace rectify::http

#endif  // RECTIFY_SERVICES_HTTP_RPC_ROUTES_H_
