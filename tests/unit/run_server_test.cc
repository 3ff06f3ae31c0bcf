// rectifyd's configuration checks (services/server): a value out of range is refused with a
// message naming the flag, before the database is created or opened.
#include "services/server/run_server.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/server/event_log.h"
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
  bad("--log_format", [](ServerConfig& c) { c.log_format = "xml"; });
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

TEST(EventLogTest, JsonQuoteEscapesWhatJsonMustAndKeepsChinese) {
  EXPECT_EQ(JsonQuote("主节点 \"a\\b\"\n\x01"), "\"主节点 \\\"a\\\\b\\\"\\n\\u0001\"");
}

// --log_format=json: every line rectifyd writes about itself, from start to stop, is one JSON
// object with time, event and msg.
TEST(EventLogTest, JsonLogIsOneObjectALineFromStartToStop) {
  std::string dir = ::testing::TempDir() + "rectify_run_server_XXXXXX";
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  ServerConfig config;
  config.listen = "127.0.0.1:0";
  config.db = dir + "/ledger.db";
  config.log_format = "json";
  // RunServer takes SIGTERM with sigwait; every thread must have it blocked, this one too, or
  // the signal would end the test.
  sigset_t term;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  ASSERT_EQ(pthread_sigmask(SIG_BLOCK, &term, nullptr), 0);
  ::testing::internal::CaptureStderr();
  int rc = -1;
  std::thread server([&] { rc = RunServer(config); });
  // Stop it once it listens (the admin token file is written before it does).
  for (int i = 0; i < 500 && !std::filesystem::exists(dir + "/rectify-admin.token"); ++i) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  absl::SleepFor(absl::Milliseconds(300));
  kill(getpid(), SIGTERM);
  server.join();
  SetJsonLog(false);
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(rc, 0) << err;
  std::vector<std::string> events;
  for (absl::string_view line : absl::StrSplit(err, '\n', absl::SkipEmpty())) {
    ASSERT_TRUE(absl::StartsWith(line, "{\"time\":\"") && absl::EndsWith(line, "\"}")) << line;
    EXPECT_NE(line.find("\"msg\":\""), absl::string_view::npos) << line;
    const size_t at = line.find("\"event\":\"");
    ASSERT_NE(at, absl::string_view::npos) << line;
    const absl::string_view rest = line.substr(at + 9);
    events.emplace_back(rest.substr(0, rest.find('"')));
  }
  EXPECT_EQ(events, (std::vector<std::string>{"first_start", "listening", "stopping", "commits",
                                              "stopped"}))
      << err;
  EXPECT_NE(err.find("\"store\":\"sqlite\""), std::string::npos) << err;
  EXPECT_NE(err.find("已停止 / stopped"), std::string::npos) << err;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace rectify::server
