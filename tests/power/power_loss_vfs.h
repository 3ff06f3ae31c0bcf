// PowerLossVfs: an SQLite VFS for tests that wraps the default one and models what a disk keeps
// when the power goes out.
//
// Every write, truncation and deletion reaches the real file at once (so SQLite reads its own
// writes as usual), and is also remembered per file as "not yet durable". xSync makes a file's
// pending changes durable: its durable image becomes the file as SQLite left it. Files are the
// main database, its -wal and its rollback journal (the -shm index is memory, rebuilt on
// recovery, and is not modelled). A deletion is durable only once the directory is synced: when
// SQLite asks for that with the deletion, or when the unix VFS syncs the directory at the first
// sync of a journal or WAL it created (as it does); before that a crash brings the file back with
// its durable content, as a real directory entry can. A file created anew exists from its first
// sync.
//
// Crash() is the power cut: from then on every write or sync fails (the machine is dead), and
// DurableFiles() is what the disk holds: each file's durable image, plus, when
// keep_unsynced_probability > 0, each unsynced write kept by chance (a disk may have written
// some of them on its own, in any order). A crash can also be armed to happen at the n-th I/O
// operation (write, truncate or sync), before that operation, from whichever thread does it.
//
// xSync does not call fsync: the model decides what survives, and tests stay fast.
//
// Usage:
//   PowerLossVfs vfs(seed);
//   vfs.Install();              // the default VFS from now on
//   ... open a store, write, vfs.Crash() (or ArmCrashAtOp(n)) ...
//   ... close the store ...
//   vfs.Uninstall();
//   WriteFiles(vfs.DurableFiles(), other_dir);  // what a reboot would find
//
// Thread safety: the VFS methods are safe from SQLite's threads (one mutex); Install and
// Uninstall must not race with SQLite use.
#ifndef RECTIFY_TESTS_POWER_POWER_LOSS_VFS_H_
#define RECTIFY_TESTS_POWER_POWER_LOSS_VFS_H_

#include <sqlite3.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace rectify::testing_support {

class PowerLossVfs {
 public:
  explicit PowerLossVfs(uint64_t seed, double keep_unsynced_probability = 0.0);
  ~PowerLossVfs();
  PowerLossVfs(const PowerLossVfs&) = delete;
  PowerLossVfs& operator=(const PowerLossVfs&) = delete;

  void Install();
  void Uninstall();

  // Cuts the power now (idempotent).
  void Crash();
  // Cuts the power just before the n-th write, truncate or sync from now (n >= 1).
  void ArmCrashAtOp(int64_t n);
  bool crashed() const { return crashed_.load(); }

  // After a crash: path -> content, for every file that would exist.
  std::map<std::string, std::string> DurableFiles() const;

  // Counters, for tests and the benchmark.
  int64_t syncs() const;
  int64_t ops() const;

 private:
  struct PendingOp {
    bool truncate = false;
    int64_t offset = 0;  // write offset or new size
    std::string data;
  };
  struct FileState {
    bool exists = false;  // durably
    std::string durable;  // its content, durably
    std::vector<PendingOp> pending;
    bool recreate = false;        // deleted (not durably) and created again: empty at next sync
    bool delete_pending = false;  // deleted, but the directory was not synced since
  };
  struct File;

  static int Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags,
                  int* out_flags);
  static int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir);
  static int Access(sqlite3_vfs* vfs, const char* name, int flags, int* out);
  static int FullPathname(sqlite3_vfs* vfs, const char* name, int n, char* out);
  static int Randomness(sqlite3_vfs* vfs, int n, char* out);
  static int Sleep(sqlite3_vfs* vfs, int micros);
  static int CurrentTime(sqlite3_vfs* vfs, double* out);
  static int GetLastError(sqlite3_vfs* vfs, int n, char* out);
  static int CurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* out);

  static int Close(sqlite3_file* f);
  static int Read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off);
  static int Write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off);
  static int Truncate(sqlite3_file* f, sqlite3_int64 size);
  static int Sync(sqlite3_file* f, int flags);
  static int FileSize(sqlite3_file* f, sqlite3_int64* out);
  static int Lock(sqlite3_file* f, int level);
  static int Unlock(sqlite3_file* f, int level);
  static int CheckReservedLock(sqlite3_file* f, int* out);
  static int FileControl(sqlite3_file* f, int op, void* arg);
  static int SectorSize(sqlite3_file* f);
  static int DeviceCharacteristics(sqlite3_file* f);
  static int ShmMap(sqlite3_file* f, int page, int size, int extend, void volatile** out);
  static int ShmLock(sqlite3_file* f, int offset, int n, int flags);
  static void ShmBarrier(sqlite3_file* f);
  static int ShmUnmap(sqlite3_file* f, int delete_flag);
  static int Fetch(sqlite3_file* f, sqlite3_int64 off, int n, void** out);
  static int Unfetch(sqlite3_file* f, sqlite3_int64 off, void* p);

  static PowerLossVfs* Of(sqlite3_vfs* vfs) { return static_cast<PowerLossVfs*>(vfs->pAppData); }
  // Counts an I/O operation; true when the power is (now) out.
  bool CountOpAndCheckCrash();
  void CrashLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  static void Apply(std::string& content, const PendingOp& op);
  // The directory of `path` was synced: its pending deletions are durable.
  void SyncDirectoryLocked(const std::string& path) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  sqlite3_vfs vfs_{};
  sqlite3_vfs* base_ = nullptr;
  sqlite3_io_methods methods_{};
  bool installed_ = false;
  std::atomic<bool> crashed_{false};

  mutable absl::Mutex mu_;
  std::mt19937_64 rng_ ABSL_GUARDED_BY(mu_);
  const double keep_unsynced_probability_;
  std::map<std::string, FileState> files_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::string> at_crash_ ABSL_GUARDED_BY(mu_);
  int64_t ops_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t syncs_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t crash_at_op_ ABSL_GUARDED_BY(mu_) = 0;  // 0: not armed
};

}  // namespace rectify::testing_support

#endif  // RECTIFY_TESTS_POWER_POWER_LOSS_VFS_H_
