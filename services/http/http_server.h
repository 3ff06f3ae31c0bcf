// rectifyd's HTTP/JSON gateway and web console (docs/http-api.md): cpp-httplib on its own port,
// serving
//   POST /api/<package.Service>/<Method>      every rectify.v1 RPC in proto JSON (rpc_routes.h),
//                                             forwarded in-process to the gRPC server
//                                             (rpc_bridge.h); server streams as NDJSON, or as
//                                             server-sent events on GET
//   /auth/signin, /auth/session, /auth/signout, /auth/link/<code>   browser sessions
//   GET /export/ledger.csv                    the ledger as the CLI's CSV
//   GET /healthz, and the embedded web console (/, /static/...)
//   GET /metrics                              Prometheus metrics, when HttpOptions::metrics is
//                                             set: no token asked (a scraper has none), so the
//                                             port belongs on a private address or behind a
//                                             firewall (docs/operations.md, "Metrics")
//
//   ASSIGN_OR_RETURN(auto http, HttpServer::Start(&ledger, grpc_server->server(), options));
//   ...
//   http->Shutdown();  // before the gRPC server's
//
// Thread safety: Start and Shutdown from one thread; requests are served by the worker pool.
#ifndef RECTIFY_SERVICES_HTTP_HTTP_SERVER_H_
#define RECTIFY_SERVICES_HTTP_HTTP_SERVER_H_

#include <grpcpp/server.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/domain/ledger.h"
#include "services/metrics/metrics.h"

namespace rectify::http {

struct HttpOptions {
  // "127.0.0.1:8080", "[::]:8080"; port 0 picks a free port (HttpServer::port()).
  std::string listen_address = "127.0.0.1:8080";
  // TLS with the same files as gRPC; without them, plain HTTP on a loopback address only.
  std::string tls_cert_file;
  std::string tls_key_file;
  // Largest request body; a larger one gets 413 before anything is parsed. Evidence travels
  // base64 in JSON, a third larger than in gRPC: size it from the gRPC message limit.
  size_t max_body_bytes = 16 << 20;
  // The worker pool: threads serving connections (a keep-alive connection holds one while it is
  // open, a stream while it runs) and connections accepted but waiting for one.
  int worker_threads = 64;
  int max_queued_connections = 256;
  // Per connection: how long one read or write may stall, how long an idle keep-alive connection
  // is kept, and how many requests it may carry.
  absl::Duration read_timeout = absl::Seconds(30);
  absl::Duration write_timeout = absl::Seconds(30);
  absl::Duration keep_alive_timeout = absl::Seconds(5);
  int keep_alive_max_requests = 1000;
  // A browser session's lifetime (the cookie's Max-Age).
  absl::Duration session_lifetime = absl::Hours(12);
  // A comment line on an idle server-sent event stream, so proxies and browsers keep it open.
  absl::Duration sse_keepalive = absl::Seconds(15);
  // What GET /metrics renders; must outlive the server. nullptr: /metrics is not served (404).
  const metrics::Registry* metrics = nullptr;
  // Whether the node can serve (its database answers); GET /healthz says 503 while it returns
  // false, so that an HTTP load balancer takes the node out. Empty: always healthy.
  std::function<bool()> healthy;
};

class HttpServer {
 public:
  // Binds and starts serving. `grpc_server` must outlive this and be shut down after it.
  // FAILED_PRECONDITION for plain HTTP on a non-loopback address; UNAVAILABLE when the address
  // cannot be bound; INVALID_ARGUMENT for TLS files that cannot be used.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(const Ledger* ledger,
                                                           grpc::Server* grpc_server,
                                                           const HttpOptions& options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const;
  // Stops accepting, ends the streams in progress, lets requests in flight finish, returns.
  void Shutdown();

  class Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace rectify::http

#endif  // RECTIFY_SERVICES_HTTP_HTTP_SERVER_H_
