#include "services/http/http_server.h"

#include <grpcpp/support/channel_arguments.h>
#include <sys/socket.h>

#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/http/gateway.h"
#include "services/http/json_error.h"
#include "services/http/static_assets.h"
#include "services/http/task_queue.h"

namespace rectify::http {
namespace {

struct HostPort {
  std::string host;
  int port = 0;
};

absl::StatusOr<HostPort> ParseListen(const std::string& address) {
  const size_t colon = address.rfind(':');
  HostPort out;
  if (colon == std::string::npos || !absl::SimpleAtoi(address.substr(colon + 1), &out.port) ||
      out.port < 0 || out.port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--http_listen: 须为 主机:端口，例如 127.0.0.1:8080 / --http_listen: must be host:port, "
        "e.g. 127.0.0.1:8080 (got \"",
        address, "\")"));
  }
  out.host = address.substr(0, colon);
  if (out.host.size() >= 2 && out.host.front() == '[' && out.host.back() == ']') {
    out.host = out.host.substr(1, out.host.size() - 2);
  }
  return out;
}

bool Loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

// The body of an error httplib itself answers (too large, no such route, a bad request line).
grpc::Status StatusOfHttpError(int http_status, size_t max_body) {
  switch (http_status) {
    case 413:
      return grpc::Status(
          grpc::StatusCode::RESOURCE_EXHAUSTED,
          absl::StrCat("请求体超过上限 ", max_body,
                       " 字节 / the request body exceeds the limit of ", max_body, " bytes"));
    case 404:
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "没有这个地址 / no such path");
    case 405:
      return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "不支持此方法 / method not allowed");
    case 408:
      return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "请求超时 / request timed out");
    default:
      if (http_status >= 500) {
        return grpc::Status(grpc::StatusCode::INTERNAL, "服务器内部错误 / internal error");
      }
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "请求无效 / bad request");
  }
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(const Ledger* ledger, grpc::Server* grpc_server, const HttpOptions& options)
      : gateway_(ledger, InProcess(grpc_server), options) {}

  static std::shared_ptr<grpc::Channel> InProcess(grpc::Server* grpc_server) {
    grpc::ChannelArguments args;
    // The server enforces its own limits; the gateway must not add a lower one of its own.
    args.SetMaxReceiveMessageSize(-1);
    args.SetMaxSendMessageSize(-1);
    return grpc_server->InProcessChannel(args);
  }

  absl::Status Start() {
    const HttpOptions& o = gateway_.options;
    ASSIGN_OR_RETURN(HostPort where, ParseListen(o.listen_address));
    const bool tls = !o.tls_cert_file.empty() || !o.tls_key_file.empty();
    if (tls) {
      auto ssl =
          std::make_unique<httplib::SSLServer>(o.tls_cert_file.c_str(), o.tls_key_file.c_str());
      if (!ssl->is_valid()) {
        return absl::InvalidArgumentError(
            "--tls_cert/--tls_key: 网页端无法使用此证书或私钥 / the web console cannot use this "
            "certificate or key");
      }
      server_ = std::move(ssl);
    } else {
      if (!Loopback(where.host)) {
        return absl::FailedPreconditionError(absl::StrCat(
            "--http_listen ", o.listen_address,
            ": 未启用 TLS 时只能监听本机地址（请设置 --tls_cert/--tls_key）/ without TLS only a "
            "loopback address may be used (set --tls_cert/--tls_key)"));
      }
      server_ = std::make_unique<httplib::Server>();
    }
    gateway_.tls = tls;
    Configure(*server_);
    // The listening socket, seen as httplib makes it (with httplib's own options), so that its
    // backlog can be raised after the bind below.
    server_->set_socket_options([this](socket_t sock) {
      httplib::default_socket_options(sock);
      listen_socket_ = sock;
    });
    port_ = where.port == 0 ? server_->bind_to_any_port(where.host)
                            : (server_->bind_to_port(where.host, where.port) ? where.port : -1);
    if (port_ <= 0) {
      return absl::UnavailableError(absl::StrCat("无法监听 ", o.listen_address,
                                                 "（端口被占用或地址无效） / cannot listen on ",
                                                 o.listen_address));
    }
    // httplib listens with a backlog of 5 (CPPHTTPLIB_LISTEN_BACKLOG, compiled into Debian's
    // library): a burst of browsers connecting at once overflowed it, and the connections past
    // the fifth waited for a SYN retry (1 s) or failed. Listening again on the bound socket
    // only sets the new backlog (the kernel caps it at net.core.somaxconn).
    if (listen_socket_ >= 0 && ::listen(listen_socket_, SOMAXCONN) != 0) {
      return absl::UnavailableError(
          absl::StrCat("无法监听 ", o.listen_address, " / cannot listen on ", o.listen_address));
    }
    listener_ = std::thread([this] { server_->listen_after_bind(); });
    // Bound already, so connections queue in the backlog meanwhile; this only waits for the
    // accepting loop, so that Shutdown right after Start finds it running.
    for (int i = 0; i < 5000 && !server_->is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return absl::OkStatus();
  }

  void Shutdown() {
    if (server_ == nullptr) return;
    gateway_.streams.CancelAll();
    server_->stop();
    if (listener_.joinable()) listener_.join();
    server_.reset();
  }

  int port() const { return port_; }

 private:
  void Configure(httplib::Server& server) {
    const HttpOptions& o = gateway_.options;
    const int threads = o.worker_threads;
    const int queued = o.max_queued_connections;
    server.new_task_queue = [threads, queued] { return new BoundedTaskQueue(threads, queued); };
    server.set_payload_max_length(o.max_body_bytes);
    server.set_read_timeout(absl::ToChronoMilliseconds(o.read_timeout));
    server.set_write_timeout(absl::ToChronoMilliseconds(o.write_timeout));
    server.set_keep_alive_timeout(absl::ToInt64Seconds(o.keep_alive_timeout));
    server.set_keep_alive_max_count(static_cast<size_t>(o.keep_alive_max_requests));
    // httplib writes a response's headers and body in separate writes; with Nagle's algorithm
    // the body then waits for the client's delayed ACK of the headers (about 40 ms on Linux),
    // which held a keep-alive client to ~10 calls a second.
    server.set_tcp_nodelay(true);
    server.set_default_headers({
        {"Content-Security-Policy", kContentSecurityPolicy},
        {"X-Content-Type-Options", "nosniff"},
        {"X-Frame-Options", "DENY"},
        {"Referrer-Policy", "no-referrer"},
    });
    const size_t max_body = o.max_body_bytes;
    server.set_error_handler(httplib::Server::HandlerWithResponse(
        [max_body](const httplib::Request&,
                   httplib::Response& res) -> httplib::Server::HandlerResponse {
          if (!res.body.empty() || res.status == 410) {
            return httplib::Server::HandlerResponse::Unhandled;
          }
          const grpc::Status status = StatusOfHttpError(res.status, max_body);
          res.set_content(ErrorJson(status), "application/json; charset=utf-8");
          return httplib::Server::HandlerResponse::Handled;
        }));
    server.set_exception_handler([](const httplib::Request&, httplib::Response& res,
                                    std::exception_ptr) {
      ReplyError(res, grpc::Status(grpc::StatusCode::INTERNAL, "服务器内部错误 / internal error"));
    });
    server.Get("/healthz", [healthy = o.healthy](const httplib::Request&, httplib::Response& res) {
      res.set_header("Cache-Control", "no-store");
      if (healthy && !healthy()) {
        res.status = 503;
        res.set_content("数据库不可用 / database unreachable", "text/plain; charset=utf-8");
        return;
      }
      res.set_content("ok", "text/plain; charset=utf-8");
    });
    // Like /healthz, open to anyone who reaches the port: Prometheus scrapes without a token or
    // a session, and a GET changes nothing, so neither the bearer check nor CSRF applies.
    if (const metrics::Registry* registry = o.metrics; registry != nullptr) {
      server.Get("/metrics", [registry](const httplib::Request&, httplib::Response& res) {
        res.set_header("Cache-Control", "no-store");
        res.set_content(registry->Render(), metrics::kContentType);
      });
    }
    AddApiRoutes(server, gateway_);
    AddAuthRoutes(server, gateway_);
    AddExportRoutes(server, gateway_);
    AddStaticRoutes(server);
  }

  Gateway gateway_;
  std::unique_ptr<httplib::Server> server_;
  std::thread listener_;
  int port_ = 0;
  socket_t listen_socket_ = -1;
};

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(const Ledger* ledger,
                                                              grpc::Server* grpc_server,
                                                              const HttpOptions& options) {
  auto impl = std::make_unique<Impl>(ledger, grpc_server, options);
  RETURN_IF_ERROR(impl->Start());
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpServer::~HttpServer() { Shutdown(); }
int HttpServer::port() const { return impl_->port(); }
void HttpServer::Shutdown() { impl_->Shutdown(); }

}  // namespace rectify::http
