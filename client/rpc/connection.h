// Connection: the client's link to rectifyd — one channel, the three service stubs, and a
// fresh ClientContext per call carrying the deadline and the actor.
//
// Thread safety: constant after construction; stubs and NewContext() may be used from several
// threads (the CLI uses one).
#ifndef RECTIFY_CLIENT_RPC_CONNECTION_H_
#define RECTIFY_CLIENT_RPC_CONNECTION_H_

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/security/credentials.h"
#include "rectify/v1/events.grpc.pb.h"
#include "rectify/v1/ledger.grpc.pb.h"
#include "rectify/v1/org.grpc.pb.h"
#include "rectify/v1/reports.grpc.pb.h"

namespace rectify::client {

class Connection {
 public:
  // `address` is HOST:PORT (plaintext), or several, comma-separated ("a:1,b:2,c:3": nodes on one
  // PostgreSQL database), over which calls go round robin; a retry goes to the next node. `token`
  // (the API token's secret, token_source.h) is sent as `authorization: Bearer <token>` metadata;
  // an empty token sends none. Every call gets a deadline of `timeout_seconds` from the moment its
  // context is made.
  Connection(std::string address, std::string token, double timeout_seconds);
  // The same over `credentials` (client/rpc/tls.h: TLS when a CA file is given).
  Connection(std::string address, std::string token, double timeout_seconds,
             std::shared_ptr<grpc::ChannelCredentials> credentials);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  rectify::v1::OrgService::Stub& org() const { return *org_; }
  rectify::v1::LedgerService::Stub& ledger() const { return *ledger_; }
  rectify::v1::ReportService::Stub& reports() const { return *reports_; }
  rectify::v1::EventService::Stub& events() const { return *events_; }
  // The channel, for services whose stubs are made where they are used (ImportService in
  // client/commands/import.cc): a stub is cheap, the channel is what must be shared.
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }

  // A context for exactly one call (gRPC contexts cannot be reused).
  std::unique_ptr<grpc::ClientContext> NewContext() const;

  // The pause before a retry (client/rpc/retry.h): when the channel is connected (the server
  // answered, e.g. "busy"), sleeps `pause`; when it is not (rectifyd restarting), dials and
  // returns as soon as the connection is up, at most after `pause`. Without this the channel
  // would only redial when a call is made, and a retry could find it still failing.
  void PauseBeforeRetry(absl::Duration pause) const;

  const std::string& address() const { return address_; }
  double timeout_seconds() const { return timeout_seconds_; }

 private:
  // Constant after construction.
  const std::string address_;
  const std::string authorization_;  // "Bearer <token>", or empty
  const double timeout_seconds_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<rectify::v1::OrgService::Stub> org_;
  std::unique_ptr<rectify::v1::LedgerService::Stub> ledger_;
  std::unique_ptr<rectify::v1::ReportService::Stub> reports_;
  std::unique_ptr<rectify::v1::EventService::Stub> events_;
};

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_RPC_CONNECTION_H_
