// `rectify admin backup` against a fake AdminService: what it sends (an absolute path on the
// server, --force), what it prints, and that a refusal is shown, not retried.
#include <filesystem>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "client/commands/root.h"
#include "gtest/gtest.h"
#include "rectify/v1/admin.grpc.pb.h"
#include "tests/support/fake_server_fixture.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

class FakeAdmin final : public v1::AdminService::Service {
 public:
  grpc::Status Backup(grpc::ServerContext*, const v1::BackupRequest* request,
                      v1::BackupResponse* response) override {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(*request);
    if (request->path() == "/exists.db" && !request->force()) {
      return grpc::Status(grpc::StatusCode::ALREADY_EXISTS,
                          "path: 备份文件 /exists.db 已存在，如需覆盖请加 --force / path: "
                          "/exists.db exists already; add --force to replace it");
    }
    response->set_path(request->path());
    response->set_size_bytes(3 << 20);
    return grpc::Status::OK;
  }
  std::vector<v1::BackupRequest> requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  std::mutex mu_;
  std::vector<v1::BackupRequest> requests_;
};

class ClientAdminTest : public testing_support::FakeServerTest {
 protected:
  void SetUp() override {
    FakeServerTest::SetUp();
    Serve({&admin_});
  }

  FakeAdmin admin_;
};

TEST_F(ClientAdminTest, BackupSendsAnAbsolutePathAndReportsTheSize) {
  ASSERT_EQ(Run({"admin", "backup", "/var/backups/rectify/2021-12-31.db"}), 0) << err_.str();
  ASSERT_EQ(admin_.requests().size(), 1u);
  EXPECT_EQ(admin_.requests()[0].path(), "/var/backups/rectify/2021-12-31.db");
  EXPECT_FALSE(admin_.requests()[0].force());
  EXPECT_NE(out_.str().find("已备份到服务器上的 /var/backups/rectify/2021-12-31.db"),
            std::string::npos)
      << out_.str();
  EXPECT_NE(out_.str().find("3.0 MB"), std::string::npos) << out_.str();
}

TEST_F(ClientAdminTest, ARelativePathIsCompletedFromTheCurrentDirectory) {
  ASSERT_EQ(Run({"admin", "backup", "sub/../ledger-backup.db", "--force"}), 0) << err_.str();
  ASSERT_EQ(admin_.requests().size(), 1u);
  EXPECT_EQ(admin_.requests()[0].path(),
            (std::filesystem::current_path() / "ledger-backup.db").string());
  EXPECT_TRUE(admin_.requests()[0].force());
}

TEST_F(ClientAdminTest, AnExistingFileIsRefusedOnceWithExitFive) {
  EXPECT_EQ(Run({"admin", "backup", "/exists.db"}), 5);
  EXPECT_NE(err_.str().find("--force"), std::string::npos) << err_.str();
  EXPECT_EQ(admin_.requests().size(), 1u);
  EXPECT_EQ(out_.str(), "");
}

TEST_F(ClientAdminTest, JsonPrintsTheResponse) {
  ASSERT_EQ(Run({"--json", "admin", "backup", "/b.db"}), 0) << err_.str();
  EXPECT_NE(out_.str().find("\"size_bytes\": \"3145728\""), std::string::npos) << out_.str();
}

}  // namespace
}  // namespace rectify::client
