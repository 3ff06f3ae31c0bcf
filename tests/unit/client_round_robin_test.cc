// The client's --server with several nodes ("a:1,b:2"): calls are spread over the nodes that are
// up, and keep going to the others when one stops.
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/rpc/connection.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "rectify/v1/org.grpc.pb.h"

namespace rectify::client {
namespace {

// A node that answers GetUnit with its own number as the unit's name.
class CountingOrg final : public rectify::v1::OrgService::Service {
 public:
  explicit CountingOrg(int node) : node_(node) {}
  grpc::Status GetUnit(grpc::ServerContext*, const rectify::v1::GetUnitRequest*,
                       rectify::v1::OrgUnit* unit) override {
    ++calls;
    unit->set_name(absl::StrCat("node", node_));
    return grpc::Status::OK;
  }
  std::atomic<int> calls{0};

 private:
  const int node_;
};

struct Node {
  explicit Node(int n) : org(n) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&org);
    server = builder.BuildAndStart();
  }
  CountingOrg org;
  int port = 0;
  std::unique_ptr<grpc::Server> server;
};

// Calls GetUnit n times; returns how many succeeded.
int CallMany(const Connection& connection, int n) {
  int ok = 0;
  for (int i = 0; i < n; ++i) {
    rectify::v1::GetUnitRequest request;
    request.set_id(1);
    rectify::v1::OrgUnit unit;
    std::unique_ptr<grpc::ClientContext> context = connection.NewContext();
    if (connection.org().GetUnit(context.get(), request, &unit).ok()) ++ok;
  }
  return ok;
}

TEST(RoundRobinTest, CallsAreSpreadOverEveryNodeAndSurviveOneStopping) {
  std::vector<std::unique_ptr<Node>> nodes;
  for (int n = 1; n <= 3; ++n) {
    nodes.push_back(std::make_unique<Node>(n));
    ASSERT_NE(nodes.back()->port, 0);
  }
  // A host name, not only numbers: the client resolves it.
  const std::string address = absl::StrCat(
      "127.0.0.1:", nodes[0]->port, ", localhost:", nodes[1]->port, ",127.0.0.1:", nodes[2]->port);
  Connection connection(address, "", 5);
  // round_robin spreads over the nodes it has connected to; the first calls may go to the first
  // node up only (seen under ASan). Warm up until every node has answered once, boundedly.
  auto all_seen = [&] {
    for (const auto& node : nodes) {
      if (node->org.calls.load() == 0) return false;
    }
    return true;
  };
  for (int i = 0; i < 500 && !all_seen(); ++i) ASSERT_EQ(CallMany(connection, 1), 1);
  ASSERT_TRUE(all_seen());
  std::vector<int> warm;
  for (const auto& node : nodes) warm.push_back(node->org.calls.load());
  EXPECT_EQ(CallMany(connection, 30), 30);
  for (size_t n = 0; n < nodes.size(); ++n) {
    EXPECT_GE(nodes[n]->org.calls.load() - warm[n], 5) << nodes[n]->port;
  }

  nodes[0]->server->Shutdown();
  const int before = nodes[1]->org.calls.load() + nodes[2]->org.calls.load();
  // The first call after the stop may still pick the stopped node; the rest go to the others.
  EXPECT_GE(CallMany(connection, 20), 19);
  EXPECT_GE(nodes[1]->org.calls.load() + nodes[2]->org.calls.load() - before, 19);
}

TEST(RoundRobinTest, OneAddressIsUsedAsItIs) {
  Node node(1);
  Connection connection(absl::StrCat("localhost:", node.port), "", 5);
  EXPECT_EQ(CallMany(connection, 3), 3);
  EXPECT_EQ(node.org.calls.load(), 3);
}

}  // namespace
}  // namespace rectify::client
