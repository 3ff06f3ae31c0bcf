// Verifies the audit trail's hash chain (audit_chain.h) and names the first entry that breaks it.
//
// ChainVerifier takes the entries one at a time in seq order, keeping only the previous entry
// and at most one suspect, so a chain of any length verifies in constant memory. VerifyChain
// pages through a Store with it inside one read snapshot.
//
// What it tells apart, for the first break (N is the entry it names):
//   kRemoved    seq N is missing (a gap), or entries after it were renumbered down to fill the
//               gap (an entry's hash holds for seq N+1 while it sits at N), or the chain ends
//               before the expected head.
//   kChanged    entry N's content no longer matches its hash; or N was rewritten with a
//               recomputed hash (the next entry's prev_hash no longer matches it); or, with an
//               expected head, the hash at the head's seq differs (some entry up to it was
//               rewritten and every hash after it recomputed).
//   kInserted   entry N was put in: the entry after it carries a hash valid for seq N, so it
//               was pushed up by one.
//   kReordered  entries N and N+1 were swapped: each carries the other's hash.
//
//   kNotKeyed   (with a key) an entry after the first keyed one carries no MAC, or no entry
//               carries one.
// With a key, an entry whose MAC does not match it is kChanged.
//
// Without a key the chain has no secret: someone with write access to the file can append
// well-formed entries after the head, or rewrite the whole chain. A head (seq and hash) kept
// outside the system turns the latter into kChanged; the key (audit_key.h) catches both.
// docs/audit.md says what each combination proves.
//
// Thread safety: a ChainVerifier is not thread-safe; VerifyChain is a free function.
#ifndef RECTIFY_SERVICES_AUDIT_CHAIN_VERIFIER_H_
#define RECTIFY_SERVICES_AUDIT_CHAIN_VERIFIER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/optional.h"
#include "services/audit/reconcile.h"
#include "services/store/store.h"

namespace rectify::audit {

enum class Breach { kNone, kChanged, kRemoved, kInserted, kReordered, kNotKeyed };

// A head recorded earlier (from GetAuditHead), to prove nothing up to it changed since.
struct ExpectedHead {
  int64_t seq = 0;
  std::string hash;
};

struct VerifyResult {
  Breach breach = Breach::kNone;
  int64_t entry_seq = 0;  // the first bad entry; 0 when the chain is intact
  std::string message;    // "中文 / English", naming the entry
  int64_t checked = 0;    // entries read
  int64_t last_seq = 0;   // the last entry read, and its stored hash
  std::string last_hash;
  std::vector<int64_t> restarts;  // entries that restarted the chain on a ledger with data
  int64_t keyed = 0;              // entries whose MAC matched the key (with a key)
  int64_t first_keyed_seq = 0;
  bool ok() const { return breach == Breach::kNone; }
};

class ChainVerifier {
 public:
  // `key`: the audit key, to check every entry's MAC; empty to check the chain alone.
  explicit ChainVerifier(absl::optional<ExpectedHead> expected_head = absl::nullopt,
                         std::string key = "")
      : expected_head_(std::move(expected_head)), key_(std::move(key)) {}
  ChainVerifier(const ChainVerifier&) = delete;
  ChainVerifier& operator=(const ChainVerifier&) = delete;

  // Feeds the next entry in seq order. Returns false once a breach is known (stop feeding).
  bool Feed(const AuditEntry& entry);
  // Ends the stream and returns the verdict.
  VerifyResult Finish();

 private:
  void Decide(Breach breach, int64_t seq, std::string message);
  void ResolveSuspect(const AuditEntry* next);
  bool CheckExpectedHead(const AuditEntry& entry);
  bool CheckMac(const AuditEntry& entry);

  const absl::optional<ExpectedHead> expected_head_;
  const std::string key_;
  VerifyResult result_;
  bool decided_ = false;
  int64_t expected_seq_ = 1;
  std::string prev_hash_;  // of the last accepted entry; empty before the first
  // An entry whose hash fails at its seq; the next entry tells whether it was changed,
  // inserted, moved up by a removal or swapped.
  absl::optional<AuditEntry> suspect_;
  bool suspect_fits_next_seq_ = false;
};

// Verifies the whole chain in `store`, `page_size` entries at a time in one read snapshot.
// `progress`, when set, is called after each page with the number of entries checked so far.
absl::StatusOr<VerifyResult> VerifyChain(Store& store,
                                         const absl::optional<ExpectedHead>& expected_head,
                                         const std::function<void(int64_t)>& progress = nullptr,
                                         int page_size = 1000);

// The chain (as VerifyChain) and the rows against it (reconcile.h), in one read snapshot. Every
// entry is read for the rows, also after a break in the chain.
struct AuditReport {
  VerifyResult chain;
  ReconcileResult rows;
};
// With a `key`, every MAC is checked too (the server passes its own).
absl::StatusOr<AuditReport> VerifyAndReconcile(Store& store,
                                               const absl::optional<ExpectedHead>& expected_head,
                                               const std::string& key = "", int page_size = 1000);

// "changed", "removed", ... for JSON output and logs.
const char* BreachName(Breach breach);

}  // namespace rectify::audit

#endif  // RECTIFY_SERVICES_AUDIT_CHAIN_VERIFIER_H_
