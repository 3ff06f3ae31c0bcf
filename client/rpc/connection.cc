#include "client/rpc/connection.h"

#include <chrono>
#include <utility>

#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace rectify::client {
namespace {

grpc::ChannelArguments ChannelArguments() {
  grpc::ChannelArguments args;
  // A channel whose connection failed waits this long before it dials again, and calls made
  // meanwhile fail at once. gRPC's defaults (1 s, growing to 2 min) would let every retry of
  // retry.h fail without dialing while rectifyd restarts; these keep redials within a second.
  // (GRPC_ARG_MIN_RECONNECT_BACKOFF_MS stays at its default: it is also the time a dial may
  // take, and a small one makes dials to a busy server fail.)
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  return args;
}

}  // namespace

Connection::Connection(std::string address, std::string token, double timeout_seconds)
    : Connection(std::move(address), std::move(token), timeout_seconds,
                 grpc::InsecureChannelCredentials()) {}

Connection::Connection(std::string address, std::string token, double timeout_seconds,
                       std::shared_ptr<grpc::ChannelCredentials> credentials)
    : address_(std::move(address)),
      authorization_(token.empty() ? std::string() : "Bearer " + token),
      timeout_seconds_(timeout_seconds),
      channel_(grpc::CreateCustomChannel(address_, credentials, ChannelArguments())),
      org_(rectify::v1::OrgService::NewStub(channel_)),
      ledger_(rectify::v1::LedgerService::NewStub(channel_)),
      reports_(rectify::v1::ReportService::NewStub(channel_)),
      events_(rectify::v1::EventService::NewStub(channel_)) {}

void Connection::PauseBeforeRetry(absl::Duration pause) const {
  if (channel_->GetState(/*try_to_connect=*/true) == GRPC_CHANNEL_READY) {
    absl::SleepFor(pause);
    return;
  }
  channel_->WaitForConnected(absl::ToChronoTime(absl::Now() + pause));
}

std::unique_ptr<grpc::ClientContext> Connection::NewContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  const auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::duration<double>(timeout_seconds_));
  context->set_deadline(std::chrono::system_clock::now() + timeout);
  if (!authorization_.empty()) context->AddMetadata("authorization", authorization_);
  return context;
}

}  // namespace rectify::client
