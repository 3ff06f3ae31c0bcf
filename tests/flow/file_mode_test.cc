// The database, its WAL and shared-memory files and online backups are created owner-only
// (0600) whatever the umask: the ledger holds people's names, findings and evidence.
#include <sys/stat.h>
#include <sys/types.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "gtest/gtest.h"
#include "services/store/sqlite/sqlite_store.h"

namespace rectify {
namespace {

int ModeOf(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 0777);
}

class FileModeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/rectify-mode-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    old_umask_ = umask(022);  // the usual umask outside systemd: files would be 0644
  }
  void TearDown() override {
    umask(old_umask_);
    std::filesystem::remove_all(dir_);
  }
  std::string dir_;
  mode_t old_umask_ = 0;
};

TEST_F(FileModeTest, DatabaseWalAndBackupAreOwnerOnlyUnderAPermissiveUmask) {
  SqliteOptions options;
  options.path = dir_ + "/ledger.db";
  auto store = SqliteStore::Open(options);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(ModeOf(options.path), 0600);
  // The WAL and -shm exist while the store is open (WAL mode).
  EXPECT_EQ(ModeOf(options.path + "-wal"), 0600);
  EXPECT_EQ(ModeOf(options.path + "-shm"), 0600);
  const std::string backup = dir_ + "/backup.db";
  absl::Status s = (*store)->Backup(backup);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(ModeOf(backup), 0600);
}

TEST_F(FileModeTest, AnExistingDatabaseKeepsTheModeItsOwnerGaveIt) {
  const std::string path = dir_ + "/ledger.db";
  {
    SqliteOptions options;
    options.path = path;
    ASSERT_TRUE(SqliteStore::Open(options).ok());
  }
  ASSERT_EQ(chmod(path.c_str(), 0640), 0);
  SqliteOptions options;
  options.path = path;
  ASSERT_TRUE(SqliteStore::Open(options).ok());
  EXPECT_EQ(ModeOf(path), 0640);
}

}  // namespace
}  // namespace rectify
