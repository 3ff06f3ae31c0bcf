#include "tests/power/power_loss_vfs.h"

#include <unistd.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <new>
#include <utility>

namespace rectify::testing_support {

struct PowerLossVfs::File {
  sqlite3_file base;  // first: SQLite sees a File as an sqlite3_file
  PowerLossVfs* owner;
  std::string path;  // empty when not modelled (temporary files, -shm)
  sqlite3_file* real;
  // A journal or WAL this open created: the unix VFS syncs its directory at its first sync.
  bool sync_directory_once;
};

namespace {

constexpr size_t kFileHeader =
    (sizeof(sqlite3_file) + sizeof(void*) + sizeof(std::string) + sizeof(void*) + 15) & ~size_t{15};

}  // namespace

PowerLossVfs::PowerLossVfs(uint64_t seed, double keep_unsynced_probability)
    : rng_(seed), keep_unsynced_probability_(keep_unsynced_probability) {
  static_assert(sizeof(File) <= kFileHeader, "File must fit its header");
  base_ = sqlite3_vfs_find(nullptr);
  vfs_.iVersion = 2;
  vfs_.szOsFile = static_cast<int>(kFileHeader) + base_->szOsFile;
  vfs_.mxPathname = base_->mxPathname;
  vfs_.zName = "rectify-power-loss";
  vfs_.pAppData = this;
  vfs_.xOpen = &PowerLossVfs::Open;
  vfs_.xDelete = &PowerLossVfs::Delete;
  vfs_.xAccess = &PowerLossVfs::Access;
  vfs_.xFullPathname = &PowerLossVfs::FullPathname;
  vfs_.xRandomness = &PowerLossVfs::Randomness;
  vfs_.xSleep = &PowerLossVfs::Sleep;
  vfs_.xCurrentTime = &PowerLossVfs::CurrentTime;
  vfs_.xGetLastError = &PowerLossVfs::GetLastError;
  vfs_.xCurrentTimeInt64 = &PowerLossVfs::CurrentTimeInt64;

  methods_.iVersion = 3;
  methods_.xClose = &PowerLossVfs::Close;
  methods_.xRead = &PowerLossVfs::Read;
  methods_.xWrite = &PowerLossVfs::Write;
  methods_.xTruncate = &PowerLossVfs::Truncate;
  methods_.xSync = &PowerLossVfs::Sync;
  methods_.xFileSize = &PowerLossVfs::FileSize;
  methods_.xLock = &PowerLossVfs::Lock;
  methods_.xUnlock = &PowerLossVfs::Unlock;
  methods_.xCheckReservedLock = &PowerLossVfs::CheckReservedLock;
  methods_.xFileControl = &PowerLossVfs::FileControl;
  methods_.xSectorSize = &PowerLossVfs::SectorSize;
  methods_.xDeviceCharacteristics = &PowerLossVfs::DeviceCharacteristics;
  methods_.xShmMap = &PowerLossVfs::ShmMap;
  methods_.xShmLock = &PowerLossVfs::ShmLock;
  methods_.xShmBarrier = &PowerLossVfs::ShmBarrier;
  methods_.xShmUnmap = &PowerLossVfs::ShmUnmap;
  methods_.xFetch = &PowerLossVfs::Fetch;
  methods_.xUnfetch = &PowerLossVfs::Unfetch;
}

PowerLossVfs::~PowerLossVfs() { Uninstall(); }

void PowerLossVfs::Install() {
  if (installed_) return;
  sqlite3_vfs_register(&vfs_, /*makeDflt=*/1);
  installed_ = true;
}

void PowerLossVfs::Uninstall() {
  if (!installed_) return;
  sqlite3_vfs_unregister(&vfs_);
  sqlite3_vfs_register(base_, /*makeDflt=*/1);
  installed_ = false;
}

void PowerLossVfs::Apply(std::string& content, const PendingOp& op) {
  if (op.truncate) {
    content.resize(static_cast<size_t>(op.offset));
    return;
  }
  const size_t end = static_cast<size_t>(op.offset) + op.data.size();
  if (content.size() < end) content.resize(end, '\0');
  std::memcpy(&content[static_cast<size_t>(op.offset)], op.data.data(), op.data.size());
}

void PowerLossVfs::SyncDirectoryLocked(const std::string& path) {
  const std::string dir = path.substr(0, path.rfind('/') + 1);
  for (auto& [name, state] : files_) {
    if (!state.delete_pending || name.compare(0, dir.size(), dir) != 0 ||
        name.find('/', dir.size()) != std::string::npos) {
      continue;
    }
    state.delete_pending = false;
    state.exists = false;
    state.durable.clear();
  }
}

void PowerLossVfs::Crash() {
  absl::MutexLock lock(&mu_);
  CrashLocked();
}

void PowerLossVfs::CrashLocked() {
  if (crashed_.load()) return;
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  for (const auto& [path, state] : files_) {
    bool exists = state.exists;
    std::string content = state.durable;
    if (keep_unsynced_probability_ > 0 && !state.recreate) {
      // The disk wrote some unsynced pages by itself; never a truncation (conservative).
      for (const PendingOp& op : state.pending) {
        if (!op.truncate && coin(rng_) < keep_unsynced_probability_) {
          Apply(content, op);
          exists = true;
        }
      }
    }
    if (exists) at_crash_[path] = std::move(content);
  }
  crashed_.store(true);
}

void PowerLossVfs::ArmCrashAtOp(int64_t n) {
  absl::MutexLock lock(&mu_);
  crash_at_op_ = ops_ + (n < 1 ? 1 : n);
}

bool PowerLossVfs::CountOpAndCheckCrash() {
  absl::MutexLock lock(&mu_);
  if (crashed_.load()) return true;
  ++ops_;
  if (crash_at_op_ != 0 && ops_ >= crash_at_op_) {
    CrashLocked();
    return true;
  }
  return false;
}

std::map<std::string, std::string> PowerLossVfs::DurableFiles() const {
  absl::MutexLock lock(&mu_);
  return at_crash_;
}

int64_t PowerLossVfs::syncs() const {
  absl::MutexLock lock(&mu_);
  return syncs_;
}

int64_t PowerLossVfs::ops() const {
  absl::MutexLock lock(&mu_);
  return ops_;
}

// --- sqlite3_vfs --------------------------------------------------------------------------------

int PowerLossVfs::Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags,
                       int* out_flags) {
  PowerLossVfs* self = Of(vfs);
  File* f = reinterpret_cast<File*>(file);
  f->base.pMethods = nullptr;
  sqlite3_file* real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + kFileHeader);
  const bool modelled =
      name != nullptr &&
      (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_JOURNAL)) != 0;
  const bool existed = name != nullptr && ::access(name, F_OK) == 0;
  const int rc = self->base_->xOpen(self->base_, name, real, flags, out_flags);
  if (rc != SQLITE_OK) {
    // The real file may have set pMethods; it must be closed through them.
    if (real->pMethods != nullptr) real->pMethods->xClose(real);
    return rc;
  }
  new (&f->owner) PowerLossVfs*(self);
  new (&f->path) std::string(modelled ? name : "");
  f->real = real;
  f->sync_directory_once =
      modelled && !existed && (flags & (SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_JOURNAL)) != 0;
  f->base.pMethods = &self->methods_;
  if (modelled) {
    absl::MutexLock lock(&self->mu_);
    auto [it, inserted] = self->files_.try_emplace(name);
    FileState& state = it->second;
    if (inserted && existed) {
      // Made before this VFS was installed: take it as durable.
      std::ifstream in(name, std::ios::binary);
      state.durable.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      state.exists = true;
    } else if (!existed && state.exists) {
      state.delete_pending = false;  // the new file takes the name
      // Deleted without a directory sync and created again: the old content is what a crash
      // before the next sync would find; after it, the new file.
      state.pending.clear();
      state.recreate = true;
    }
  }
  return SQLITE_OK;
}

int PowerLossVfs::Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  PowerLossVfs* self = Of(vfs);
  if (self->crashed_.load()) return SQLITE_IOERR_DELETE;
  const int rc = self->base_->xDelete(self->base_, name, sync_dir);
  if (rc != SQLITE_OK) return rc;
  absl::MutexLock lock(&self->mu_);
  auto it = self->files_.find(name);
  if (it == self->files_.end()) return rc;
  FileState& state = it->second;
  state.pending.clear();
  state.recreate = false;
  state.delete_pending = true;
  if (sync_dir) self->SyncDirectoryLocked(name);
  return rc;
}

int PowerLossVfs::Access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return Of(vfs)->base_->xAccess(Of(vfs)->base_, name, flags, out);
}
int PowerLossVfs::FullPathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
  return Of(vfs)->base_->xFullPathname(Of(vfs)->base_, name, n, out);
}
int PowerLossVfs::Randomness(sqlite3_vfs* vfs, int n, char* out) {
  return Of(vfs)->base_->xRandomness(Of(vfs)->base_, n, out);
}
int PowerLossVfs::Sleep(sqlite3_vfs* vfs, int micros) {
  return Of(vfs)->base_->xSleep(Of(vfs)->base_, micros);
}
int PowerLossVfs::CurrentTime(sqlite3_vfs* vfs, double* out) {
  return Of(vfs)->base_->xCurrentTime(Of(vfs)->base_, out);
}
int PowerLossVfs::GetLastError(sqlite3_vfs* vfs, int n, char* out) {
  return Of(vfs)->base_->xGetLastError(Of(vfs)->base_, n, out);
}
int PowerLossVfs::CurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return Of(vfs)->base_->xCurrentTimeInt64(Of(vfs)->base_, out);
}

// --- sqlite3_io_methods -------------------------------------------------------------------------

int PowerLossVfs::Close(sqlite3_file* file) {
  File* f = reinterpret_cast<File*>(file);
  const int rc = f->real->pMethods->xClose(f->real);
  using std::string;
  f->path.~string();
  return rc;
}

int PowerLossVfs::Read(sqlite3_file* file, void* buf, int n, sqlite3_int64 off) {
  File* f = reinterpret_cast<File*>(file);
  return f->real->pMethods->xRead(f->real, buf, n, off);
}

int PowerLossVfs::Write(sqlite3_file* file, const void* buf, int n, sqlite3_int64 off) {
  File* f = reinterpret_cast<File*>(file);
  PowerLossVfs* self = f->owner;
  if (self->CountOpAndCheckCrash()) return SQLITE_IOERR_WRITE;
  const int rc = f->real->pMethods->xWrite(f->real, buf, n, off);
  if (rc != SQLITE_OK || f->path.empty()) return rc;
  absl::MutexLock lock(&self->mu_);
  PendingOp op;
  op.offset = off;
  op.data.assign(static_cast<const char*>(buf), static_cast<size_t>(n));
  self->files_[f->path].pending.push_back(std::move(op));
  return rc;
}

int PowerLossVfs::Truncate(sqlite3_file* file, sqlite3_int64 size) {
  File* f = reinterpret_cast<File*>(file);
  PowerLossVfs* self = f->owner;
  if (self->CountOpAndCheckCrash()) return SQLITE_IOERR_TRUNCATE;
  const int rc = f->real->pMethods->xTruncate(f->real, size);
  if (rc != SQLITE_OK || f->path.empty()) return rc;
  absl::MutexLock lock(&self->mu_);
  PendingOp op;
  op.truncate = true;
  op.offset = size;
  self->files_[f->path].pending.push_back(std::move(op));
  return rc;
}

int PowerLossVfs::Sync(sqlite3_file* file, int) {
  File* f = reinterpret_cast<File*>(file);
  PowerLossVfs* self = f->owner;
  absl::MutexLock lock(&self->mu_);
  // Counting, the crash check and making the file durable are one step: a sync either happened
  // wholly before the power cut or not at all.
  if (self->crashed_.load()) return SQLITE_IOERR_FSYNC;
  ++self->ops_;
  if (self->crash_at_op_ != 0 && self->ops_ >= self->crash_at_op_) {
    self->CrashLocked();
    return SQLITE_IOERR_FSYNC;
  }
  ++self->syncs_;
  if (f->path.empty()) return SQLITE_OK;
  if (f->sync_directory_once) {
    f->sync_directory_once = false;
    self->SyncDirectoryLocked(f->path);
  }
  FileState& state = self->files_[f->path];
  if (state.recreate) state.durable.clear();
  for (const PendingOp& op : state.pending) Apply(state.durable, op);
  state.pending.clear();
  state.recreate = false;
  state.exists = true;
  return SQLITE_OK;
}

int PowerLossVfs::FileSize(sqlite3_file* file, sqlite3_int64* out) {
  File* f = reinterpret_cast<File*>(file);
  return f->real->pMethods->xFileSize(f->real, out);
}
int PowerLossVfs::Lock(sqlite3_file* file, int level) {
  File* f = reinterpret_cast<File*>(file);
  return f->real->pMethods->xLock(f->real, level);
}
int PowerLossVfs::Unlock(sqlite3_file* file, int level) {
  File* f = reinterpret_cast<File*>(file);
  return f->real->pMethods->xUnlock(f->real, level);
}
int PowerLossVfs::CheckReservedLock(sqlite3_file* file, int* out) {
  File* f = reinterpret_cast<File*>(file);
  return f->real->pMethods->xCheckReservedLock(f->real, out);
}
int PowerLossVfs::FileControl(sqlite3_file* file, int op, void* arg) {
  File* f = reinterpret_cast<File*>(file);
  return f->real->pMethods->xFileControl(f->real, op, arg);
}
int PowerLossVfs::SectorSize(sqlite3_file* file) {
  File* f = reinterpret_cast<File*>(file);
  return f->real->pMethods->xSectorSize(f->real);
}
int PowerLossVfs::DeviceCharacteristics(sqlite3_file* file) {
  File* f = reinterpret_cast<File*>(file);
  // Not the real device's: claiming atomic or safe-append writes would let SQLite skip syncs
  // that the model depends on.
  return f->real->pMethods->xDeviceCharacteristics(f->real) &
         ~(SQLITE_IOCAP_ATOMIC | SQLITE_IOCAP_SAFE_APPEND | SQLITE_IOCAP_SEQUENTIAL |
           SQLITE_IOCAP_BATCH_ATOMIC);
}
int PowerLossVfs::ShmMap(sqlite3_file* file, int page, int size, int extend, void volatile** out) {
  File* f = reinterpret_cast<File*>(file);
  if (f->real->pMethods->iVersion < 2) return SQLITE_IOERR_SHMMAP;
  return f->real->pMethods->xShmMap(f->real, page, size, extend, out);
}
int PowerLossVfs::ShmLock(sqlite3_file* file, int offset, int n, int flags) {
  File* f = reinterpret_cast<File*>(file);
  return f->real->pMethods->xShmLock(f->real, offset, n, flags);
}
void PowerLossVfs::ShmBarrier(sqlite3_file* file) {
  File* f = reinterpret_cast<File*>(file);
  f->real->pMethods->xShmBarrier(f->real);
}
int PowerLossVfs::ShmUnmap(sqlite3_file* file, int delete_flag) {
  File* f = reinterpret_cast<File*>(file);
  return f->real->pMethods->xShmUnmap(f->real, delete_flag);
}
int PowerLossVfs::Fetch(sqlite3_file* file, sqlite3_int64 off, int n, void** out) {
  File* f = reinterpret_cast<File*>(file);
  if (f->real->pMethods->iVersion < 3) {
    *out = nullptr;
    return SQLITE_OK;
  }
  return f->real->pMethods->xFetch(f->real, off, n, out);
}
int PowerLossVfs::Unfetch(sqlite3_file* file, sqlite3_int64 off, void* p) {
  File* f = reinterpret_cast<File*>(file);
  if (f->real->pMethods->iVersion < 3) return SQLITE_OK;
  return f->real->pMethods->xUnfetch(f->real, off, p);
}

}  // namespace rectify::testing_support
