// rectify-power-loss: many power-loss trials (tests/power/power_loss_run.h) in a row, each with
// its own seed; prints how many writes were acknowledged and how many of them a reboot lost.
// Usage: rectify-power-loss [--runs N] [--seed S] [--normal] [--keep P]
#include <stdlib.h>

#include <cstdint>
#include <cstring>
#include <iostream>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "tests/power/power_loss_run.h"

int main(int argc, char** argv) {
  int runs = 1000;
  uint64_t seed = 1;
  bool full = true;
  double keep = 0.0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : "";
    if (arg == "--runs" && absl::SimpleAtoi(value, &runs)) {
      ++i;
    } else if (arg == "--seed" && absl::SimpleAtoi(value, &seed)) {
      ++i;
    } else if (arg == "--keep" && absl::SimpleAtod(value, &keep)) {
      ++i;
    } else if (arg == "--normal") {
      full = false;
    } else {
      std::cerr << "usage: rectify-power-loss [--runs N] [--seed S] [--normal] [--keep P]\n";
      return 2;
    }
  }
  const char* tmp = getenv("TMPDIR");
  int64_t acknowledged = 0, lost = 0, corrupt = 0, failed = 0, errors = 0, mid_load = 0;
  for (int r = 0; r < runs; ++r) {
    std::string dir = absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/rectify-power-XXXXXX");
    if (mkdtemp(dir.data()) == nullptr) return 1;
    rectify::testing_support::PowerLossOptions options;
    options.seed = seed + static_cast<uint64_t>(r);
    options.dir = dir;
    options.synchronous_full = full;
    options.keep_unsynced_probability = keep;
    auto outcome = rectify::testing_support::RunPowerLoss(options);
    std::system(absl::StrCat("rm -rf '", dir, "'").c_str());
    if (!outcome.ok()) {
      ++errors;
      std::cerr << "run " << r << " (seed " << options.seed << "): " << outcome.status() << "\n";
      continue;
    }
    acknowledged += outcome->acknowledged;
    if (outcome->acknowledged < int64_t{options.threads} * options.writes_per_thread) ++mid_load;
    lost += outcome->lost;
    if (outcome->integrity != "ok") ++corrupt;
    if (!outcome->ok()) {
      ++failed;
      std::cerr << "run " << r << " (seed " << options.seed << "): lost " << outcome->lost
                << ", integrity " << outcome->integrity << "\n";
    }
  }
  std::cout << "power-loss runs: " << runs << " (synchronous=" << (full ? "FULL" : "NORMAL")
            << ", keep unsynced " << keep << ")\n"
            << "power cut during the load (not after it): " << mid_load << " runs\n"
            << "acknowledged writes: " << acknowledged << "\n"
            << "lost after reboot: " << lost << "\n"
            << "integrity_check failures: " << corrupt << "\n"
            << "failed runs: " << failed << ", harness errors: " << errors << "\n";
  return failed == 0 && errors == 0 ? 0 : 1;
}
