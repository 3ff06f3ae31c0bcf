// One power-loss trial through the real SQLite store: a concurrent write load with group commit
// on PowerLossVfs, the power cut at a random I/O operation, then the files a reboot would find
// copied aside, checked with PRAGMA integrity_check and reopened with the store, which must hold
// every write that was acknowledged before the cut.
//
// A write counts as acknowledged when Store::Write returned OK and the power was still on when
// its thread looked right after: the power cut, the acknowledgement and that look are ordered by
// one atomic flag, so a write acknowledged after the cut is never counted, and one acknowledged
// before always is.
//
// Thread safety: one trial at a time per process (the VFS is installed as the default).
#ifndef RECTIFY_TESTS_POWER_POWER_LOSS_RUN_H_
#define RECTIFY_TESTS_POWER_POWER_LOSS_RUN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace rectify::testing_support {

struct PowerLossOptions {
  uint64_t seed = 1;
  std::string dir;  // an empty directory of the trial's own
  int threads = 4;
  int writes_per_thread = 40;
  bool synchronous_full = true;
  int max_write_batch = 128;
  // Chance that the disk kept an unsynced write by itself (0: every unsynced write is lost).
  double keep_unsynced_probability = 0.0;
};

struct PowerLossOutcome {
  int64_t acknowledged = 0;
  int64_t lost = 0;                   // acknowledged but missing after the reboot
  std::vector<std::string> lost_ids;  // the first few
  std::string integrity;              // PRAGMA integrity_check's answer ("ok")
  int64_t crash_op = 0;               // the I/O operation the power went out before
  int64_t syncs = 0;                  // syncs before the cut
  bool ok() const { return lost == 0 && integrity == "ok"; }
};

absl::StatusOr<PowerLossOutcome> RunPowerLoss(const PowerLossOptions& options);

}  // namespace rectify::testing_support

#endif  // RECTIFY_TESTS_POWER_POWER_LOSS_RUN_H_
