// Graceful shutdown of the real rectifyd binary: on SIGTERM it stops taking calls, lets the call
// in flight finish (and commit durably), and exits 0.
//
// The call is held in flight without any test hook in rectifyd: the test takes SQLite's write
// lock on the database from a connection of its own, so rectifyd's write waits for it (up to its
// busy timeout, 5 s), and releases it after the SIGTERM.
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "rectify/v1/org.grpc.pb.h"

namespace rectify {
namespace {

namespace v1 = rectify::v1;

// The admin token rectifyd wrote on its first start (read in SetUp).
std::string g_admin_token;

std::unique_ptr<grpc::ClientContext> Ctx(int seconds = 30) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  if (!g_admin_token.empty()) ctx->AddMetadata("authorization", "Bearer " + g_admin_token);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
  return ctx;
}

class ShutdownTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "rectify_shutdown_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    db_ = dir_ + "/ledger.db";
    const std::string port_file = dir_ + "/port";
    const std::string log = dir_ + "/rectifyd.log";
    pid_ = fork();
    ASSERT_GE(pid_, 0);
    if (pid_ == 0) {
      freopen(log.c_str(), "w", stderr);
      execl(RECTIFYD_PATH, RECTIFYD_PATH, "--listen", "127.0.0.1:0", "--db", db_.c_str(),
            "--port_file", port_file.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 200 && port_ == 0; ++i) {
      absl::SleepFor(absl::Milliseconds(50));
      std::ifstream in(port_file);
      in >> port_;
    }
    ASSERT_GT(port_, 0) << "rectifyd did not start; see " << log;
    std::ifstream(dir_ + "/rectify-admin.token") >> g_admin_token;
    ASSERT_FALSE(g_admin_token.empty()) << "no admin token beside the database; see " << log;
    org_ = v1::OrgService::NewStub(NewChannel());
  }

  void TearDown() override {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (lock_ != nullptr) sqlite3_close_v2(lock_);
    std::error_code ignored;
    if (!HasFailure()) std::filesystem::remove_all(dir_, ignored);
  }

  std::shared_ptr<grpc::Channel> NewChannel() {
    return grpc::CreateChannel(absl::StrCat("127.0.0.1:", port_),
                               grpc::InsecureChannelCredentials());
  }

  // rectifyd's first start made the root (id 1) with the admin token; this adds a unit under it.
  grpc::Status CreateRoot(v1::OrgService::Stub& stub, const std::string& name,
                          v1::OrgUnit* out = nullptr) {
    v1::CreateUnitRequest req;
    req.set_parent_id(1);
    req.set_request_id(absl::StrCat("create-", name.size()));
    req.set_name(name);
    v1::OrgUnit unit;
    return stub.CreateUnit(Ctx().get(), req, out != nullptr ? out : &unit);
  }

  // Takes SQLite's write lock on the database, as another writer would.
  void HoldWriteLock() {
    ASSERT_EQ(sqlite3_open_v2(db_.c_str(), &lock_, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(lock_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  }
  void ReleaseWriteLock() {
    ASSERT_EQ(sqlite3_exec(lock_, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close_v2(lock_);  // so that rectifyd's connections are the last ones again
    lock_ = nullptr;
  }

  // Waits for rectifyd to exit; returns its wait status (or -1 after `seconds`).
  int WaitForExit(int seconds) {
    for (int i = 0; i < seconds * 20; ++i) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = 0;
        return status;
      }
      absl::SleepFor(absl::Milliseconds(50));
    }
    return -1;
  }

  std::string dir_;
  std::string db_;
  pid_t pid_ = 0;
  int port_ = 0;
  sqlite3* lock_ = nullptr;
  std::unique_ptr<v1::OrgService::Stub> org_;
};

TEST_F(ShutdownTest, SigtermFinishesTheCallInFlightRefusesNewOnesAndExitsZero) {
  grpc::Status created = CreateRoot(*org_, "机关党委");
  ASSERT_TRUE(created.ok()) << created.error_code() << " " << created.error_message();

  HoldWriteLock();
  v1::OrgUnit in_flight_unit;
  auto in_flight = std::async(std::launch::async, [&] {
    v1::CreateUnitRequest req;
    req.set_request_id("in-flight-1");
    req.set_parent_id(1);
    req.set_name("第二支部");
    return org_->CreateUnit(Ctx().get(), req, &in_flight_unit);
  });
  absl::SleepFor(absl::Milliseconds(400));  // the call is now waiting for the lock in rectifyd
  ASSERT_EQ(in_flight.wait_for(std::chrono::seconds(0)), std::future_status::timeout);

  ASSERT_EQ(kill(pid_, SIGTERM), 0);
  absl::SleepFor(absl::Milliseconds(400));  // rectifyd has begun to shut down

  // A new call, on a new connection, is refused.
  auto fresh = v1::OrgService::NewStub(NewChannel());
  v1::GetUnitRequest get;
  get.set_id(1);
  v1::OrgUnit unit;
  grpc::Status refused = fresh->GetUnit(Ctx(5).get(), get, &unit);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE) << refused.error_message();

  // The call in flight finishes once the lock is free, and is acknowledged.
  ReleaseWriteLock();
  grpc::Status done = in_flight.get();
  EXPECT_TRUE(done.ok()) << done.error_code() << " " << done.error_message();
  EXPECT_EQ(in_flight_unit.name(), "第二支部");

  const int status = WaitForExit(15);
  ASSERT_NE(status, -1) << "rectifyd did not exit";
  ASSERT_TRUE(WIFEXITED(status)) << "rectifyd died of signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0);

  // A clean stop checkpoints the WAL into the database and removes it.
  EXPECT_FALSE(std::filesystem::exists(db_ + "-wal"));
  // What was acknowledged is on disk, and the file is whole.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM units WHERE name = '第二支部'", -1, &stmt,
                               nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(stmt, 0), 1);
  sqlite3_finalize(stmt);
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "ok");
  sqlite3_finalize(stmt);
  sqlite3_close_v2(db);
}

TEST_F(ShutdownTest, FirstStartWritesAnOwnerOnlyAdminTokenThatTheServerAccepts) {
  struct stat st;
  ASSERT_EQ(::stat((dir_ + "/rectify-admin.token").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(g_admin_token.rfind("rfy_", 0), 0u);
  v1::GetUnitRequest get;
  get.set_id(1);
  v1::OrgUnit root;
  grpc::Status s = org_->GetUnit(Ctx().get(), get, &root);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(root.name(), "党委");
  // Without the token the same call is refused.
  auto bare = std::make_unique<grpc::ClientContext>();
  EXPECT_EQ(org_->GetUnit(bare.get(), get, &root).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  // The database (and its WAL) holds the hash, never the secret.
  for (const std::string& file : {db_, db_ + "-wal"}) {
    std::ifstream in(file, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes.find(g_admin_token), std::string::npos) << file;
  }
}

TEST_F(ShutdownTest, SigtermWhenIdleExitsZeroWithinTheGracePeriod) {
  // gRPC lets a client's idle connection (here the test's own channel) close after the server's
  // GOAWAY before it ends the shutdown, so an idle rectifyd may take a few seconds, never more
  // than its 10 s grace period.
  grpc::Status created = CreateRoot(*org_, "机关党委");
  ASSERT_TRUE(created.ok()) << created.error_code() << " " << created.error_message();
  const absl::Time start = absl::Now();
  ASSERT_EQ(kill(pid_, SIGTERM), 0);
  const int status = WaitForExit(15);
  ASSERT_NE(status, -1);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_LT(absl::Now() - start, absl::Seconds(12));
}

}  // namespace
}  // namespace rectify
