// rectifyd's configuration checks (services/server): a value out of range is refused with a
// message naming the flag, before the database is created or opened.
#include "services/server/run_server.h"

#include <unistd.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "services/server/server_config.h"

namespace rectify::server {
namespace {

TEST(RunServerTest, OutOfRangeSettingsAreRefusedByNameBeforeTheDatabaseIsTouched) {
  std::string dir = ::testing::TempDir() + "rectify_run_server_XXXXXX";
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  const std::string db = dir + "/ledger.db";
  std::vector<std::pair<std::string, ServerConfig>> cases;
  auto bad = [&](const std::string& flag, auto change) {
    ServerConfig config;
    config.listen = "127.0.0.1:0";
    config.db = db;
    change(config);
    cases.emplace_back(flag, config);
  };
  bad("--max_watchers", [](ServerConfig& c) { c.max_watchers = 0; });
  bad("--max_watchers", [](ServerConfig& c) { c.max_watchers = 257; });
  bad("--write_batch", [](ServerConfig& c) { c.write_batch = 0; });
  bad("--synchronous", [](ServerConfig& c) { c.synchronous = "SOMETIMES"; });
  bad("--request_retention_days", [](ServerConfig& c) { c.request_retention_days = 0; });
  // A password on the command line is visible to every user of the host: refused before any
  // connection is tried (the host below would not answer).
  bad("--db", [](ServerConfig& c) { c.db = "postgresql://rectify:secret@127.0.0.1:1/rectify"; });
  bad("--db", [](ServerConfig& c) { c.db = "host=127.0.0.1 port=1 dbname=rectify password=x"; });
  // A conninfo with a Unix socket directory is PostgreSQL too, not a SQLite path.
  bad("--db", [](ServerConfig& c) { c.db = "host=/var/run/postgresql dbname=rectify password=x"; });
  for (const auto& [flag, config] : cases) {
    ::testing::internal::CaptureStderr();
    const int rc = RunServer(config);
    const std::string err = ::testing::internal::GetCapturedStderr();
    EXPECT_NE(rc, 0) << flag;
    EXPECT_NE(err.find(flag), std::string::npos) << err;
    EXPECT_FALSE(std::filesystem::exists(db)) << flag;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace rectify::server
