// SqliteStore::Backup: an online copy of the database with SQLite's backup API.
//
// The copy is read from a connection of its own in a single backup step, i.e. inside one read
// transaction: it is one consistent snapshot, and in WAL mode the writer goes on meanwhile (a
// reader never blocks the writer). The snapshot holds every transaction committed before the
// step began, so every Write that returned before Backup was called.
//
// The destination is written as a temporary file in the same directory, synced, and renamed over
// dest_path (rename is atomic within a file system), then the directory is synced: after a crash
// dest_path holds either the old file or the whole new copy.
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"
#include "services/store/sqlite/database.h"
#include "services/store/sqlite/sqlite_store.h"

namespace rectify {
namespace {

struct CloseConnection {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Connection = std::unique_ptr<sqlite3, CloseConnection>;

absl::Status ErrnoError(absl::string_view zh, absl::string_view en, const std::string& path,
                        int err) {
  return absl::UnavailableError(absl::StrCat(zh, " ", path, "：", std::strerror(err), " / ", en,
                                             " ", path, ": ", std::strerror(err)));
}

absl::StatusOr<Connection> OpenConnection(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  Connection db(raw);
  if (rc != SQLITE_OK) {
    return sqlite::StatusFromSqlite(
        rc, absl::StrCat(path, ": ", raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_extended_result_codes(raw, 1);
  return db;
}

// Flushes a file (or a directory, so that a rename in it is durable) to the disk.
absl::Status SyncPath(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError("无法打开", "cannot open", path, errno);
  const int rc = fsync(fd);
  const int err = errno;
  close(fd);
  if (rc != 0) return ErrnoError("无法写入磁盘", "cannot sync", path, err);
  return absl::OkStatus();
}

// Copies every page of `source` into `dest` in one step (one read transaction on the source).
absl::Status CopyPages(sqlite3* source, sqlite3* dest, int busy_timeout_ms) {
  // A step can meet a lock it cannot wait on (e.g. the WAL being reset); try again for up to the
  // busy timeout before giving up with UNAVAILABLE.
  const int kPauseMs = 20;
  for (int waited = 0;; waited += kPauseMs) {
    sqlite3_backup* backup = sqlite3_backup_init(dest, "main", source, "main");
    if (backup == nullptr) {
      return sqlite::StatusFromSqlite(sqlite3_errcode(dest),
                                      absl::StrCat("backup: ", sqlite3_errmsg(dest)));
    }
    const int step = sqlite3_backup_step(backup, -1);
    const int finish = sqlite3_backup_finish(backup);
    if (step == SQLITE_DONE && finish == SQLITE_OK) return absl::OkStatus();
    const int rc = step == SQLITE_DONE ? finish : step;
    const bool busy = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
    if (!busy || waited >= busy_timeout_ms) {
      return sqlite::StatusFromSqlite(rc, absl::StrCat("backup: ", sqlite3_errstr(rc)));
    }
    sqlite3_sleep(kPauseMs);
  }
}

std::string TempPathFor(const std::string& dest_path) {
  std::random_device device;
  return absl::StrFormat("%s.tmp-%d-%08x", dest_path, static_cast<int>(getpid()), device());
}

// Removes a temporary copy and the rollback journal SQLite may have left beside it.
void RemoveTemp(const std::string& temp) {
  unlink(temp.c_str());
  unlink((temp + "-journal").c_str());
}

}  // namespace

absl::Status SqliteStore::Backup(const std::string& dest_path) {
  if (dest_path.empty()) {
    return InvalidField("path", "须指定备份文件", "a backup file is required");
  }
  std::error_code ec;
  const std::filesystem::path dest = std::filesystem::absolute(dest_path, ec);
  const std::filesystem::path live = std::filesystem::absolute(options_.path, ec);
  if (dest == live || dest.string() == live.string() + "-wal" ||
      dest.string() == live.string() + "-shm") {
    return InvalidField("path", "不能覆盖正在使用的数据库文件",
                        "must not be the live database or its -wal/-shm file");
  }
  const std::string dir = dest.parent_path().string();
  if (!std::filesystem::is_directory(dir, ec)) {
    return InvalidField("path", absl::StrCat("目录 ", dir, " 不存在"),
                        absl::StrCat("directory ", dir, " does not exist"));
  }

  if (access(dir.c_str(), W_OK) != 0) {
    const int err = errno;
    return absl::FailedPreconditionError(absl::StrCat(
        "path: rectifyd 无权写入目录 ", dir, "（", std::strerror(err),
        "；用 systemd 运行时只能写 /var/lib/rectify 下） / path: rectifyd cannot write to ", dir,
        " (", std::strerror(err), "; under systemd only /var/lib/rectify is writable)"));
  }
  const std::string temp = TempPathFor(dest.string());
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(Connection source, OpenConnection(options_.path, SQLITE_OPEN_READWRITE));
    sqlite3_busy_timeout(source.get(), options_.busy_timeout_ms);
    // The copy holds everything the database does: owner-only like it (see database.h).
    RETURN_IF_ERROR(sqlite::CreateOwnerOnlyFile(temp));
    ASSIGN_OR_RETURN(Connection copy,
                     OpenConnection(temp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
    RETURN_IF_ERROR(CopyPages(source.get(), copy.get(), options_.busy_timeout_ms));
    // The copy says WAL in its header, as the source does. Rollback journal mode makes it one
    // self-contained file that opens without -wal/-shm beside it (rectifyd turns WAL back on
    // when it opens a restored copy).
    const int rc =
        sqlite3_exec(copy.get(), "PRAGMA journal_mode = DELETE", nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
      return sqlite::StatusFromSqlite(rc, absl::StrCat("backup: ", sqlite3_errmsg(copy.get())));
    }
    // Closing the copy finishes its file; then it is synced before it may replace anything.
    copy.reset();
    source.reset();
    RETURN_IF_ERROR(SyncPath(temp));
    if (rename(temp.c_str(), dest.c_str()) != 0) {
      return ErrnoError("无法写入备份文件", "cannot write the backup file", dest.string(), errno);
    }
    return SyncPath(dir);
  }();
  if (!status.ok()) RemoveTemp(temp);
  return status;
}

}  // namespace rectify
