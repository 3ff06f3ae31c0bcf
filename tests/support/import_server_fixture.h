// ImportTest's seeded ledger (import_fixture.h) served in-process (test_server.h): the import
// and assignment tests over gRPC and through the command line share it. The root committee's
// token "张三" is in secret_ for the stubs (Ctx()) and in an owner-only file for the command line
// (CliRunner: Run(), out_, err_), as a user keeps it.
#ifndef RECTIFY_TESTS_SUPPORT_IMPORT_SERVER_FIXTURE_H_
#define RECTIFY_TESTS_SUPPORT_IMPORT_SERVER_FIXTURE_H_

#include <stdlib.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>

#include "rectify/v1/import.grpc.pb.h"
#include "rectify/v1/ledger.grpc.pb.h"
#include "tests/support/cli_runner.h"
#include "tests/support/import_fixture.h"
#include "tests/support/test_server.h"
#include "tests/support/token_support.h"

namespace rectify {
namespace testing_support {

class ImportServerTest : public ImportTest, protected CliRunner {
 protected:
  using CliRunner::Run;

  void SetUp() override {
    ImportTest::SetUp();
    ::unsetenv("RECTIFY_TOKEN");
    secret_ = IssueTestToken(*store_, clock_->Now(), "张三", Role::kCommittee, committee_.id);
    cli_token_file_ = dir_ + "/token";
    std::ofstream(cli_token_file_, std::ios::trunc) << secret_ << "\n";
    ::chmod(cli_token_file_.c_str(), 0600);
    server_ = StartTestServer(ledger_.get());
    ASSERT_NE(server_, nullptr);
    cli_server_ = AddressOf(*server_);
    channel_ = ChannelTo(*server_);
    import_ = v1::ImportService::NewStub(channel_);
    ledger_stub_ = v1::LedgerService::NewStub(channel_);
  }

  void TearDown() override {
    server_.reset();
    ImportTest::TearDown();
  }

  // A context with a deadline and the root committee's token.
  std::unique_ptr<grpc::ClientContext> Ctx() {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("authorization", "Bearer " + secret_);
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    return ctx;
  }

  std::string secret_;
  std::unique_ptr<api::RunningServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ImportService::Stub> import_;
  std::unique_ptr<v1::LedgerService::Stub> ledger_stub_;
};

}  // namespace testing_support
}  // namespace rectify

#endif  // RECTIFY_TESTS_SUPPORT_IMPORT_SERVER_FIXTURE_H_
