// Online backup (AdminService.Backup) while writes go on, and the documented restore: stop
// rectifyd, remove the old -wal/-shm, copy the backup over the database, start.
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/server_fixture.h"

namespace rectify {
namespace {

using testing_support::ServerTest;

// Opens `path` with the SQLite C API and runs PRAGMA integrity_check; returns its answer.
std::string IntegrityCheck(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close_v2(db);
    return "cannot open";
  }
  std::string answer;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr) == SQLITE_OK) {
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      answer += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close_v2(db);
  return answer;
}

// The progress texts stored in the database at `path`.
std::set<std::string> ProgressTexts(const std::string& path) {
  std::set<std::string> texts;
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT text FROM progress_reports", -1, &stmt, nullptr) ==
      SQLITE_OK) {
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      texts.insert(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close_v2(db);
  return texts;
}

class BackupTest : public ServerTest {
 protected:
  grpc::Status Backup(const std::string& path, bool force, v1::BackupResponse* resp) {
    v1::BackupRequest req;
    req.set_path(path);
    req.set_force(force);
    return admin_->Backup(Ctx().get(), req, resp);
  }
};

TEST_F(BackupTest, ABackupTakenDuringWritesIsWholeAndHoldsEveryEarlierWrite) {
  v1::Task task = SeedTask();
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::vector<std::string> acknowledged;  // guarded by mu, in acknowledgement order
  std::vector<std::thread> writers;
  for (int w = 0; w < 3; ++w) {
    writers.emplace_back([&, w] {
      for (int n = 0; !stop.load(); ++n) {
        const std::string text = absl::StrCat("writer ", w, " report ", n);
        v1::ReportProgressResponse resp;
        if (Report(task.id(), absl::StrCat("w", w, "-", n), text, &resp).ok()) {
          std::lock_guard<std::mutex> lock(mu);
          acknowledged.push_back(text);
        }
      }
    });
  }
  // Let writes pile up, then take the backup while they go on.
  while (true) {
    absl::SleepFor(absl::Milliseconds(20));
    std::lock_guard<std::mutex> lock(mu);
    if (acknowledged.size() >= 30) break;
  }
  std::vector<std::string> before_backup;
  {
    std::lock_guard<std::mutex> lock(mu);
    before_backup = acknowledged;
  }
  const std::string path = dir_ + "/backup.db";
  v1::BackupResponse resp;
  grpc::Status s = Backup(path, false, &resp);
  absl::SleepFor(absl::Milliseconds(100));  // and writes continue after it
  stop = true;
  for (std::thread& t : writers) t.join();
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.path(), path);
  EXPECT_EQ(resp.size_bytes(), static_cast<int64_t>(std::filesystem::file_size(path)));

  EXPECT_EQ(IntegrityCheck(path), "ok");
  const std::set<std::string> in_backup = ProgressTexts(path);
  for (const std::string& text : before_backup) {
    EXPECT_EQ(in_backup.count(text), 1u) << text << " was acknowledged before the backup";
  }
  EXPECT_GT(acknowledged.size(), before_backup.size());  // writes went on during the backup
  // Nothing but the backup is left in the directory (no temporary files).
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    const std::string name = entry.path().filename().string();
    EXPECT_TRUE(name.rfind("ledger.db", 0) == 0 || name == "backup.db") << name;
  }
}

TEST_F(BackupTest, AnExistingFileIsKeptUnlessForced) {
  SeedTask();
  const std::string path = dir_ + "/backup.db";
  {
    std::ofstream out(path);
    out << "an older backup";
  }
  v1::BackupResponse resp;
  grpc::Status s = Backup(path, false, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_NE(s.error_message().find("--force"), std::string::npos) << s.error_message();
  EXPECT_EQ(std::filesystem::file_size(path), 15u);  // untouched
  ASSERT_TRUE(Backup(path, true, &resp).ok());
  EXPECT_EQ(IntegrityCheck(path), "ok");
}

TEST_F(BackupTest, BadPathsAreRefusedNamingThePath) {
  v1::BackupResponse resp;
  EXPECT_EQ(Backup("relative.db", false, &resp).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Backup("", false, &resp).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  grpc::Status s = Backup(options_.path, true, &resp);  // the live database itself
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("path"), std::string::npos);
  s = Backup(dir_ + "/no/such/dir/backup.db", false, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("no/such/dir"), std::string::npos) << s.error_message();
}

TEST_F(BackupTest, RestoringABackupBringsBackTheLedgerAsItWas) {
  v1::Task task = SeedTask();
  v1::ReportProgressResponse kept;
  ASSERT_TRUE(Report(task.id(), "kept-1", "备份前的进展", &kept).ok());
  const std::string backup = dir_ + "/backup.db";
  v1::BackupResponse resp;
  ASSERT_TRUE(Backup(backup, false, &resp).ok());
  v1::ReportProgressResponse lost;
  ASSERT_TRUE(Report(task.id(), "lost-1", "备份后的进展", &lost).ok());

  // The documented restore: stop, remove -wal and -shm, copy the backup over, start.
  StopServer();
  ledger_.reset();
  store_.reset();
  std::filesystem::remove(options_.path + "-wal");
  std::filesystem::remove(options_.path + "-shm");
  std::filesystem::copy_file(backup, options_.path,
                             std::filesystem::copy_options::overwrite_existing);
  Reopen();
  StartServer();

  v1::TaskHistory history = History(task.id());
  ASSERT_EQ(history.progress_size(), 1);
  EXPECT_EQ(history.progress(0).text(), "备份前的进展");
  EXPECT_EQ(history.task().version(), kept.task().version());
  // The restored ledger remembers the requests it holds, and takes new ones.
  v1::ReportProgressResponse retried;
  ASSERT_TRUE(Report(task.id(), "kept-1", "备份前的进展", &retried).ok());
  EXPECT_EQ(retried.report().id(), kept.report().id());
  ASSERT_TRUE(Report(task.id(), "after-restore", "恢复后的进展", &retried).ok());
  EXPECT_EQ(History(task.id()).progress_size(), 2);
  EXPECT_EQ(IntegrityCheck(options_.path), "ok");
}

}  // namespace
}  // namespace rectify
