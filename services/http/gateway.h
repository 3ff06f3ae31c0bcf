// Internal to services/http: what the route handlers share, and the helpers they all use.
//
// Thread safety: Gateway is shared by every worker thread; its members are thread-safe
// (RpcBridge, the Store behind the Ledger) or constant after start, and the stream registry is
// guarded by its mutex.
#ifndef RECTIFY_SERVICES_HTTP_GATEWAY_H_
#define RECTIFY_SERVICES_HTTP_GATEWAY_H_

#include <httplib.h>

#include <memory>
#include <set>
#include <string>
#include <utility>

#include "absl/synchronization/mutex.h"
#include "google/protobuf/message.h"
#include "services/domain/ledger.h"
#include "services/http/http_server.h"
#include "services/http/rpc_bridge.h"

namespace rectify::http {

inline constexpr char kSessionCookie[] = "rectify_session";
inline constexpr char kCsrfHeader[] = "X-CSRF-Token";

// Streams in progress, so that Shutdown can end them (a watch never ends by itself).
class StreamRegistry {
 public:
  // False when stopping: the caller must not start.
  bool Add(ServerStream* stream);
  void Remove(ServerStream* stream);
  // Cancels every stream and refuses new ones.
  void CancelAll();
  bool stopping() const;

 private:
  mutable absl::Mutex mu_;
  std::set<ServerStream*> streams_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
};

struct Gateway {
  Gateway(const Ledger* ledger, std::shared_ptr<grpc::Channel> channel, HttpOptions options)
      : ledger(ledger), bridge(std::move(channel)), options(std::move(options)) {}
  const Ledger* const ledger;
  RpcBridge bridge;
  const HttpOptions options;
  bool tls = false;
  StreamRegistry streams;
};

// Who calls, as metadata for the in-process call: `authorization: Bearer …` passed through, or
// the session cookie as `authorization: Session …`. A cookie-authenticated request that may
// change state (not GET or HEAD) must carry the session's anti-CSRF token in X-CSRF-Token:
// PERMISSION_DENIED otherwise. No credential at all: empty metadata (the server answers
// UNAUTHENTICATED).
grpc::Status CallerMetadata(const httplib::Request& req, CallMetadata* metadata);
// The value of cookie `name`, empty when absent.
std::string CookieValue(const httplib::Request& req, const std::string& name);

// Proto JSON as the API speaks it: lowerCamelCase, int64 as strings, enums by name, fields
// with default values printed.
std::string ToJson(const google::protobuf::Message& message);
// Parses a request body (empty: the empty request); unknown fields are refused. The status
// names the offending field in `field` when the parser says which.
grpc::Status FromJson(const std::string& body, google::protobuf::Message* message,
                      std::string* field);

// A JSON error body with the mapped HTTP status.
void ReplyError(httplib::Response& res, const grpc::Status& status, const std::string& field = "");
void ReplyJson(httplib::Response& res, int http_status, const std::string& json);

// Route registration, one per file.
void AddApiRoutes(httplib::Server& server, Gateway& gateway);     // api_routes.cc
void AddAuthRoutes(httplib::Server& server, Gateway& gateway);    // auth_routes.cc
void AddExportRoutes(httplib::Server& server, Gateway& gateway);  // export_routes.cc
void AddStaticRoutes(httplib::Server& server);                    // static_assets.cc

}  // namespace rectify::http

#endif  // RECTIFY_SERVICES_HTTP_GATEWAY_H_
