#include "client/rpc/connection.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace rectify::client {
namespace {

// "a:1,b:2,c:3" (several rectifyd nodes on one PostgreSQL database, docs/postgresql.md): the
// gRPC target "ipv4:A:1,B:2,C:3" over every node's addresses, each resolved here (gRPC's ipv4:
// scheme takes numeric addresses only), with calls spread round robin over the nodes that are up.
// A single address is left as it is.
struct Target {
  std::string uri;
  std::string authority;  // the first node's HOST:PORT, for TLS's name check; "" for one address
};

Target ChannelTarget(const std::string& address) {
  if (address.find(',') == std::string::npos) return {address, ""};
  std::vector<std::string> resolved;
  std::string authority;
  for (absl::string_view part : absl::StrSplit(address, ',', absl::SkipWhitespace())) {
    part = absl::StripAsciiWhitespace(part);
    if (authority.empty()) authority = std::string(part);
    const size_t colon = part.rfind(':');
    if (colon == absl::string_view::npos) {
      resolved.push_back(std::string(part));  // left for gRPC to refuse, naming it
      continue;
    }
    const std::string host(part.substr(0, colon));
    const std::string port(part.substr(colon + 1));
    addrinfo hints{};
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0 || found == nullptr) {
      resolved.push_back(std::string(part));
      continue;
    }
    for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
      char text[INET_ADDRSTRLEN] = {};
      const auto* in = reinterpret_cast<const sockaddr_in*>(a->ai_addr);
      if (inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text)) != nullptr) {
        resolved.push_back(absl::StrCat(text, ":", port));
      }
    }
    freeaddrinfo(found);
  }
  return {absl::StrCat("ipv4:", absl::StrJoin(resolved, ",")), authority};
}

grpc::ChannelArguments ChannelArguments(const Target& target) {
  grpc::ChannelArguments args;
  if (!target.authority.empty()) {
    args.SetLoadBalancingPolicyName("round_robin");
    args.SetString(GRPC_ARG_DEFAULT_AUTHORITY, target.authority);
  }
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
      channel_(grpc::CreateCustomChannel(ChannelTarget(address_).uri, credentials,
                                         ChannelArguments(ChannelTarget(address_)))),
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
