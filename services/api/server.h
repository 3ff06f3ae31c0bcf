// Builds the gRPC server: the three services, grpc.health.v1 and server reflection, on one
// listening address. Used by rectifyd's main and by the tests that run a real server in-process.
#ifndef RECTIFY_SERVICES_API_SERVER_H_
#define RECTIFY_SERVICES_API_SERVER_H_

#include <grpcpp/server.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/api/services.h"
#include "services/domain/ledger.h"

namespace rectify::api {

struct ServerOptions {
  // "127.0.0.1:50051", "[::]:50051"; port 0 picks a free port (see RunningServer::port).
  std::string listen_address = "127.0.0.1:50051";
  // Largest request accepted, in bytes (evidence travels inside progress reports).
  int max_message_bytes = 64 << 20;
  // Threads that run handlers at most.
  int max_threads = 16;
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
  RunningServer(const Ledger* ledger);

  OrgServiceImpl org_;
  LedgerServiceImpl ledger_service_;
  ReportServiceImpl reports_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

absl::StatusOr<std::unique_ptr<RunningServer>> StartServer(const Ledger* ledger,
                                                           const ServerOptions& options);

}  // namespace rectify::api

#endif  // RECTIFY_SERVICES_API_SERVER_H_
