// Builds the gRPC server: the three services, grpc.health.v1 and server reflection, on one
// listening address. Used by rectifyd's main and by the tests that run a real server in-process.
#ifndef RECTIFY_SERVICES_API_SERVER_H_
#define RECTIFY_SERVICES_API_SERVER_H_

#include <grpcpp/server.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/api/admin_service.h"
#include "services/api/event_service.h"
#include "services/api/import_service.h"
#include "services/api/services.h"
#include "services/domain/ledger.h"

namespace rectify::api {

struct ServerOptions {
  // "127.0.0.1:50051", "[::]:50051"; port 0 picks a free port (see RunningServer::port).
  std::string listen_address = "127.0.0.1:50051";
  // Largest request accepted, in bytes (evidence travels inside progress reports).
  int max_message_bytes = 64 << 20;
  // Threads that run handlers at most. Handlers block on short SQLite transactions, so a burst
  // of branches reporting at once needs many; past this gRPC answers RESOURCE_EXHAUSTED
  // ("Server Threadpool Exhausted"), which a load of 64 calls in flight hit with 16.
  int max_threads = 256;
  // Event stream (EventService): bumped by the ledger's change listener and the scheduler after
  // commits that may add events; without it, watchers look every event_poll_interval.
  EventFeed* event_feed = nullptr;
  absl::Duration event_poll_interval = absl::Seconds(1);
  // Concurrent watches at most. Each holds a handler thread: keep it well below max_threads.
  int max_watchers = 8;
};

// A started server with its services. Destroying it shuts the server down.
class RunningServer {
 public:
  ~RunningServer();
  int port() const { return port_; }
  grpc::Server* server() { return server_.get(); }
  // Stops taking calls, lets calls in flight finish (up to `grace`), and returns.
  void Shutdown(absl::Duration grace);

 private:
  friend absl::StatusOr<std::unique_ptr<RunningServer>> StartServer(const Ledger*,
                                                                    const ServerOptions&);
  RunningServer(const Ledger* ledger, const ServerOptions& options);

  OrgServiceImpl org_;
  LedgerServiceImpl ledger_service_;
  ReportServiceImpl reports_;
  AdminServiceImpl admin_;
  ImportServiceImpl import_;
  EventServiceImpl events_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

absl::StatusOr<std::unique_ptr<RunningServer>> StartServer(const Ledger* ledger,
                                                           const ServerOptions& options);

}  // namespace rectify::api

#endif  // RECTIFY_SERVICES_API_SERVER_H_
