#include "client/rpc/connection.h"

#include <chrono>
#include <utility>

#include "client/rpc/metadata.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace rectify::client {

Connection::Connection(std::string address, std::string actor, double timeout_seconds)
    : address_(std::move(address)),
      encoded_actor_(PercentEncode(actor)),
      timeout_seconds_(timeout_seconds),
      channel_(grpc::CreateChannel(address_, grpc::InsecureChannelCredentials())),
      org_(rectify::v1::OrgService::NewStub(channel_)),
      ledger_(rectify::v1::LedgerService::NewStub(channel_)),
      reports_(rectify::v1::ReportService::NewStub(channel_)) {}

std::unique_ptr<grpc::ClientContext> Connection::NewContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  const auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::duration<double>(timeout_seconds_));
  context->set_deadline(std::chrono::system_clock::now() + timeout);
  if (!encoded_actor_.empty()) context->AddMetadata(kActorMetadataKey, encoded_actor_);
  return context;
}

}  // namespace rectify::client
