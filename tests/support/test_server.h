// The one way tests start rectifyd's gRPC services in-process: api::StartServer (what rectifyd
// runs) over a test's Ledger on a free loopback port, and a plain-text channel to it. Fixtures
// build on it (ServerTest, ImportServerTest) rather than each starting a server of its own.
// Thread safety: call from the test's thread; the server itself serves from its own threads.
#ifndef RECTIFY_TESTS_SUPPORT_TEST_SERVER_H_
#define RECTIFY_TESTS_SUPPORT_TEST_SERVER_H_

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/api/server.h"

namespace rectify {
namespace testing_support {

// Starts the services over `ledger` with `options` on 127.0.0.1 and a free port; fails the test
// and returns null when the server does not start.
inline std::unique_ptr<api::RunningServer> StartTestServer(const Ledger* ledger,
                                                           api::ServerOptions options = {}) {
  options.listen_address = "127.0.0.1:0";
  auto server = api::StartServer(ledger, options);
  EXPECT_TRUE(server.ok()) << server.status();
  if (!server.ok()) return nullptr;
  return std::move(server).value();
}

// "127.0.0.1:<port>": what the command line's --server takes.
inline std::string AddressOf(const api::RunningServer& server) {
  return absl::StrCat("127.0.0.1:", server.port());
}

inline std::shared_ptr<grpc::Channel> ChannelTo(const api::RunningServer& server) {
  return grpc::CreateChannel(AddressOf(server), grpc::InsecureChannelCredentials());
}

}  // namespace testing_support
}  // namespace rectify

#endif  // RECTIFY_TESTS_SUPPORT_TEST_SERVER_H_
