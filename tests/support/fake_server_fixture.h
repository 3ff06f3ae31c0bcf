// A gRPC server in-process on a free loopback port hosting the fake services a client test
// writes (to see exactly what the client sends and to answer what it must cope with), plus the
// command line run against it (CliRunner). Tests that need the real services use ServerTest
// (server_fixture.h) instead. The fakes must outlive the server: keep them as fixture members
// declared before calling Serve(); TearDown shuts the server down first.
#ifndef RECTIFY_TESTS_SUPPORT_FAKE_SERVER_FIXTURE_H_
#define RECTIFY_TESTS_SUPPORT_FAKE_SERVER_FIXTURE_H_

#include <stdlib.h>

#include <initializer_list>
#include <memory>
#include <string>

#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "tests/support/cli_runner.h"

namespace rectify {
namespace testing_support {

class FakeServerTest : public ::testing::Test, protected CliRunner {
 protected:
  using CliRunner::Run;

  void SetUp() override {
    // The token and language a developer may have exported must not leak into what is sent
    // or printed.
    unsetenv("RECTIFY_TOKEN");
    unsetenv("RECTIFY_LANG");
  }

  // The server goes before the fakes it serves (fixture members of the derived class).
  void TearDown() override { StopServing(); }

  // Starts a server with `services` and points the command line at it. Once per test.
  void Serve(std::initializer_list<grpc::Service*> services) {
    ASSERT_EQ(server_, nullptr) << "Serve() once per test";
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    for (grpc::Service* service : services) builder.RegisterService(service);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(port_, 0);
    cli_server_ = "127.0.0.1:" + std::to_string(port_);
  }

  // Stops the server before the test ends (what it saw stays with the fakes).
  void StopServing() {
    if (server_ != nullptr) server_->Shutdown();
    server_.reset();
  }

  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace testing_support
}  // namespace rectify

#endif  // RECTIFY_TESTS_SUPPORT_FAKE_SERVER_FIXTURE_H_
