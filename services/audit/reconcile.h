// Reconciliation (对账): compares the ledger's rows with the audit chain's latest record of each.
//
// Every audit entry since reconciliation began records the state (row_state.h) of each unit,
// task, progress report and extension its change wrote, and a baseline records every row when
// it began. So the latest entry naming a row holds the row's state as the server left it, and
// any difference is a change made behind the server's back (an edit of the database file, a
// deleted row, a row put in by hand, or lost audit entries).
//
// Usage: feed the chain's entries in seq order, then Finish inside a read snapshot that saw the
// same entries.
//
// Thread safety: not thread-safe; one per verification.
#ifndef RECTIFY_SERVICES_AUDIT_RECONCILE_H_
#define RECTIFY_SERVICES_AUDIT_RECONCILE_H_

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "services/store/store.h"

namespace rectify::audit {

struct RowFinding {
  enum class Kind {
    kDiffers,  // the row differs from the latest entry that recorded it
    kNoEntry,  // no entry records the row: it was put in behind the server's back, or its
               // entries are gone
    kRowGone,  // an entry records the row, but it no longer exists
  };
  Kind kind = Kind::kDiffers;
  std::string row;        // "task/12"
  int64_t entry_seq = 0;  // the latest entry recording it; 0 for kNoEntry
  std::string message;    // "中文 / English", naming the row and the entry
};

struct ReconcileResult {
  int64_t rows_checked = 0;  // rows now in the ledger
  int64_t findings_total = 0;
  std::vector<RowFinding> findings;  // the first max_findings, in row order
  bool ok() const { return findings_total == 0; }
};

class Reconciler {
 public:
  explicit Reconciler(int max_findings = 1000) : max_findings_(max_findings) {}
  Reconciler(const Reconciler&) = delete;
  Reconciler& operator=(const Reconciler&) = delete;

  void Feed(const AuditEntry& entry);
  absl::StatusOr<ReconcileResult> Finish(ReadTxn& tx);

 private:
  struct Recorded {
    std::string digest;
    int64_t seq = 0;
    bool seen = false;
  };
  void Add(ReconcileResult& result, RowFinding finding);

  const int max_findings_;
  std::unordered_map<std::string, Recorded> latest_;
};

// "differs", "no_entry", "row_gone".
const char* FindingKindName(RowFinding::Kind kind);

}  // namespace rectify::audit

#endif  // RECTIFY_SERVICES_AUDIT_RECONCILE_H_
