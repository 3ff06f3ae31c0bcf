// Forwards an HTTP call to the gRPC server in the same process, through
// grpc::Server::InProcessChannel() and a GenericStub carrying the serialized request. The call
// therefore meets exactly what a gRPC client's call meets: the parse-error interceptor, the
// handler's authentication and permission table, the application layer (scope, idempotency,
// audit) and the limits.
//
//   RpcBridge bridge(server->InProcessChannel(grpc::ChannelArguments()));
//   std::string out;
//   grpc::Status s = bridge.Unary("/rectify.v1.TokenService/WhoAmI", metadata, bytes, &out);
//
// Thread safety: RpcBridge is safe to share; a ServerStream belongs to one thread.
#ifndef RECTIFY_SERVICES_HTTP_RPC_BRIDGE_H_
#define RECTIFY_SERVICES_HTTP_RPC_BRIDGE_H_

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/support/status.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"

namespace rectify::http {

// Metadata a call carries: ("authorization", "Bearer rfy_…") and the like.
using CallMetadata = std::vector<std::pair<std::string, std::string>>;

// One server-streaming call in progress. Next() waits for the next message.
class ServerStream {
 public:
  enum class Step { kMessage, kTimeout, kDone };
  virtual ~ServerStream() = default;
  // kMessage with *message filled; kTimeout when none came within `wait`; kDone when the stream
  // ended (then Finish() tells how).
  virtual Step Next(std::string* message, absl::Duration wait) = 0;
  // Cancels the call (the HTTP client went away, or the server is stopping). Any thread.
  virtual void Cancel() = 0;
  // The final status; waits for the end of the call, so Cancel() first to stop early.
  virtual grpc::Status Finish() = 0;
};

class RpcBridge {
 public:
  explicit RpcBridge(std::shared_ptr<grpc::Channel> channel);

  // A unary call with `deadline` from now.
  grpc::Status Unary(const std::string& grpc_path, const CallMetadata& metadata,
                     const std::string& request, std::string* response,
                     absl::Duration deadline = absl::Minutes(5));

  // Starts a server-streaming call (no deadline: streams end, or are cancelled).
  std::unique_ptr<ServerStream> StartStream(const std::string& grpc_path,
                                            const CallMetadata& metadata,
                                            const std::string& request);

 private:
  std::shared_ptr<grpc::Channel> channel_;
  grpc::GenericStub stub_;
};

}  // namespace rectify::http

#endif  // RECTIFY_SERVICES_HTTP_RPC_BRIDGE_H_
