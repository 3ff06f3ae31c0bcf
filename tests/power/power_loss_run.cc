#include "tests/power/power_loss_run.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <fstream>
#include <memory>
#include <random>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "services/common/status_macros.h"
#include "services/store/sqlite/sqlite_store.h"
#include "tests/power/power_loss_vfs.h"

namespace rectify::testing_support {
namespace {

std::string BaseName(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

absl::StatusOr<std::string> IntegrityCheck(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    std::string error = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return absl::DataLossError(absl::StrCat("cannot open ", path, ": ", error));
  }
  std::string answer;
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, nullptr) == SQLITE_OK) {
    while (sqlite3_step(s) == SQLITE_ROW) {
      if (!answer.empty()) answer += "; ";
      answer += reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    }
  } else {
    answer = sqlite3_errmsg(db);
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return answer;
}

}  // namespace

absl::StatusOr<PowerLossOutcome> RunPowerLoss(const PowerLossOptions& o) {
  const std::string live = o.dir + "/live";
  const std::string after = o.dir + "/after";
  ::mkdir(live.c_str(), 0700);
  ::mkdir(after.c_str(), 0700);
  std::mt19937_64 rng(o.seed);
  PowerLossOutcome outcome;
  PowerLossVfs vfs(rng(), o.keep_unsynced_probability);
  vfs.Install();

  SqliteOptions store_options;
  store_options.path = live + "/ledger.db";
  store_options.synchronous =
      o.synchronous_full ? SqliteOptions::Synchronous::kFull : SqliteOptions::Synchronous::kNormal;
  store_options.max_write_batch = o.max_write_batch;
  store_options.read_connections = 1;
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(store_options);
  if (!store.ok()) {
    vfs.Uninstall();
    return store.status();
  }

  // A write is a few pages of WAL and, at commit, one sync: cut somewhere in the whole load.
  const int64_t total = int64_t{o.threads} * o.writes_per_thread;
  outcome.crash_op = std::uniform_int_distribution<int64_t>(1, total * 3)(rng);
  vfs.ArmCrashAtOp(outcome.crash_op);

  absl::Mutex mu;
  std::vector<std::string> acked;
  std::vector<std::thread> threads;
  for (int t = 0; t < o.threads; ++t) {
    const uint64_t thread_seed = rng();
    threads.emplace_back([&, t, thread_seed] {
      std::mt19937_64 local(thread_seed);
      for (int i = 0; i < o.writes_per_thread && !vfs.crashed(); ++i) {
        StoredRequest request;
        request.request_id = absl::StrCat("w", t, "-", i);
        request.fingerprint = "power-loss";
        // From a few bytes to a few pages, so that writes straddle page boundaries.
        request.response.assign(std::uniform_int_distribution<size_t>(1, 9000)(local),
                                static_cast<char>('a' + t));
        request.time = absl::Now();
        absl::Status s = (*store)->Write([&](WriteTxn& tx) { return tx.SaveRequest(request); });
        if (!s.ok()) break;  // the power is out (or the store failed: the check will tell)
        if (vfs.crashed()) break;
        absl::MutexLock lock(&mu);
        acked.push_back(request.request_id);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  vfs.Crash();  // the load may have finished before the armed operation
  outcome.syncs = vfs.syncs();
  store->reset();
  vfs.Uninstall();

  for (const auto& [path, content] : vfs.DurableFiles()) {
    if (path.compare(0, live.size() + 1, live + "/") != 0) continue;
    std::ofstream out(after + "/" + BaseName(path), std::ios::binary | std::ios::trunc);
    out << content;
  }
  outcome.acknowledged = static_cast<int64_t>(acked.size());
  ASSIGN_OR_RETURN(outcome.integrity, IntegrityCheck(after + "/ledger.db"));

  SqliteOptions reopen_options;
  reopen_options.path = after + "/ledger.db";
  reopen_options.read_connections = 1;
  ASSIGN_OR_RETURN(std::unique_ptr<SqliteStore> reopened, SqliteStore::Open(reopen_options));
  RETURN_IF_ERROR(reopened->Read([&](ReadTxn& tx) -> absl::Status {
    for (const std::string& id : acked) {
      ASSIGN_OR_RETURN(absl::optional<StoredRequest> found, tx.FindRequest(id));
      if (!found.has_value()) {
        ++outcome.lost;
        if (outcome.lost_ids.size() < 5) outcome.lost_ids.push_back(id);
      }
    }
    return absl::OkStatus();
  }));
  return outcome;
}

}  // namespace rectify::testing_support
