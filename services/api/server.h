// Builds the gRPC server: the three services, grpc.health.v1 and server reflection, on one
// listening address. Used by rectifyd's main and by the tests that run a real server in-process.
//
// Threading (measured figures in docs/performance.md, "Threading"): the
// synchronous gRPC API with a sized handler pool, not the callback API.
// - gRPC's sync server keeps at least one thread polling the completion queue at all times: a
//   poller that picks up a call starts a replacement poller before it runs the handler (gRPC's
//   ThreadManager, min_pollers). So the threads that move bytes, accept calls and run timers
//   never wait for the disk; only handler threads do, and at most max_threads of them exist.
// - A handler that writes waits on a condition variable while group commit (SqliteStore, see
//   group_commit.h) makes its batch durable; only the batch's leader does disk I/O. Waiting
//   handlers cost a thread stack each (a few tens of KiB resident), not CPU.
// - The callback API would need every handler rewritten to hand its work to a pool of our own
//   and a store whose Write completes asynchronously; on this 2-core machine the measured
//   durable-write rate is bounded by CPU (client, server and SQLite share two cores), not by
//   threads, so the rewrite would buy nothing measurable now. Its one real advantage is that it
//   queues calls beyond the pool instead of refusing them: past max_threads the sync server
//   answers RESOURCE_EXHAUSTED ("Server Threadpool Exhausted"). max_threads is therefore sized
//   above the calls in flight we plan for (1024 by default: 256 in flight is measured).
// Revisit (callback API + Store::WriteAsync feeding the group committer) if one server must take
// more than ~1000 concurrent calls.
#ifndef RECTIFY_SERVICES_API_SERVER_H_
#define RECTIFY_SERVICES_API_SERVER_H_

#include <grpcpp/server.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/api/admin_service.h"
#include "services/api/audit_service.h"
#include "services/api/event_service.h"
#include "services/api/import_service.h"
#include "services/api/ledger_service.h"
#include "services/api/notify_service.h"
#include "services/api/org_service.h"
#include "services/api/report_service.h"
#include "services/api/service_context.h"
#include "services/api/token_service.h"
#include "services/domain/ledger.h"
#include "services/metrics/metrics.h"

namespace rectify::api {

struct ServerOptions {
  // "127.0.0.1:50051", "[::]:50051"; port 0 picks a free port (see RunningServer::port).
  std::string listen_address = "127.0.0.1:50051";
  // Largest request accepted, in bytes (evidence travels inside progress reports).
  int max_message_bytes = 64 << 20;
  // Threads that run handlers at most (the sized pool, see the top of this file). A handler
  // holds its thread while its write waits for the group commit, so a burst of branches
  // reporting at once needs one each; past this gRPC answers RESOURCE_EXHAUSTED ("Server
  // Threadpool Exhausted"; an earlier default of 16 failed calls at 64 in flight). Threads are
  // made on demand; an idle server has a handful.
  int max_threads = 1024;
  // Event stream (EventService): bumped by the ledger's change listener and the scheduler after
  // commits that may add events; without it, watchers look every event_poll_interval.
  EventFeed* event_feed = nullptr;
  absl::Duration event_poll_interval = absl::Seconds(1);
  // Concurrent watches at most. Each holds a handler thread: keep it well below max_threads.
  int max_watchers = 8;
  // TLS (tls_config.h): PEM paths of the certificate and key; with a client CA, mutual TLS.
  // Without them the server speaks plain text, which StartServer allows only on loopback.
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_client_ca_file;
  // The web console's public base URL without a trailing slash, for one-time sign-in links
  // (TokenService/CreateToken with signin_link); empty: no web console, links refused.
  std::string web_url;
  // What NotifyService/TestChannel sends with; nullptr: test messages are refused.
  notify::Sender* notify_sender = nullptr;
  // Prometheus metrics (services/metrics): every call is recorded by method, status code and
  // latency, and the open watches are reported as rectify_watches_open. Must outlive the
  // server. nullptr: no metrics.
  metrics::Registry* metrics = nullptr;
};

// A started server with its services. Destroying it shuts the server down.
class RunningServer {
 public:
  ~RunningServer();
  int port() const { return port_; }
  grpc::Server* server() { return server_.get(); }
  // The web console's base URL for sign-in links, when it is known only after it listens.
  void set_web_url(std::string web_url) { tokens_.set_web_url(std::move(web_url)); }
  // Drains, then stops: ends the watches, answers calls that start from now on UNAVAILABLE
  // ("retry"), waits up to `grace` for the calls in flight to finish, and only then shuts the
  // gRPC server down (which cancels what is still running, and nothing else).
  void Shutdown(absl::Duration grace);
  // Calls in flight through the rectify services (for tests and the drain).
  const CallGate& gate() const { return gate_; }

 private:
  friend absl::StatusOr<std::unique_ptr<RunningServer>> StartServer(const Ledger*,
                                                                    const ServerOptions&);
  RunningServer(const Ledger* ledger, const ServerOptions& options);

  CallGate gate_;  // before the services, which hold its address
  OrgServiceImpl org_;
  LedgerServiceImpl ledger_service_;
  ReportServiceImpl reports_;
  AdminServiceImpl admin_;
  ImportServiceImpl import_;
  EventServiceImpl events_;
  AuditServiceImpl audit_;
  TokenServiceImpl tokens_;
  NotifyServiceImpl notify_;
  metrics::Registry* const metrics_;
  uint64_t watches_gauge_ = 0;  // metrics_'s callback id for rectify_watches_open
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

// Starts the server; also starts the audit chain (its genesis entry) on a database that has
// none yet. FAILED_PRECONDITION for plain text on a non-loopback address; INVALID_ARGUMENT,
// naming the flag, for TLS files that cannot be read or do not match.
absl::StatusOr<std::unique_ptr<RunningServer>> StartServer(const Ledger* ledger,
                                                           const ServerOptions& options);

}  // namespace rectify::api

#endif  // RECTIFY_SERVICES_API_SERVER_H_
