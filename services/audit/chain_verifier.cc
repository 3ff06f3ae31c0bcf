#include "services/audit/chain_verifier.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/audit/audit_chain.h"
#include "services/audit/audit_key.h"
#include "services/common/status_macros.h"

namespace rectify::audit {
namespace {

// Whether `entry`'s stored hash is the one it would have at `seq`.
bool HashHoldsAt(const AuditEntry& entry, int64_t seq) {
  AuditEntry copy = entry;
  copy.seq = seq;
  return ComputeHash(copy) == entry.hash;
}

}  // namespace

const char* BreachName(Breach breach) {
  switch (breach) {
    case Breach::kNone:
      return "none";
    case Breach::kChanged:
      return "changed";
    case Breach::kRemoved:
      return "removed";
    case Breach::kInserted:
      return "inserted";
    case Breach::kReordered:
      return "reordered";
    case Breach::kNotKeyed:
      return "not_keyed";
  }
  return "unknown";
}

void ChainVerifier::Decide(Breach breach, int64_t seq, std::string message) {
  decided_ = true;
  result_.breach = breach;
  result_.entry_seq = seq;
  result_.message = std::move(message);
}

bool ChainVerifier::Feed(const AuditEntry& entry) {
  if (decided_) return false;
  ++result_.checked;
  if (suspect_.has_value()) {
    ResolveSuspect(&entry);
    return false;
  }
  if (entry.seq != expected_seq_) {
    // Rows come in seq order, so a different seq is a higher one: a gap.
    const int64_t missing = expected_seq_;
    Decide(Breach::kRemoved, missing,
           absl::StrCat("第 ", missing, " 条审计记录被删除（序号不连续，下一条是第 ", entry.seq,
                        " 条） / audit entry ", missing, " was removed (seq jumps to ", entry.seq,
                        ")"));
    return false;
  }
  if (ComputeHash(entry) != entry.hash) {
    if (entry.seq > 1 && HashHoldsAt(entry, entry.seq - 1)) {
      // This entry belongs one place earlier: the one before it was put in.
      const int64_t inserted = entry.seq - 1;
      Decide(Breach::kInserted, inserted,
             absl::StrCat("第 ", inserted,
                          " 条审计记录是插入的（其后的记录被整体后移） / audit entry ", inserted,
                          " was inserted (the entries after it were moved up)"));
      return false;
    }
    suspect_ = entry;
    suspect_fits_next_seq_ = HashHoldsAt(entry, entry.seq + 1);
    return true;
  }
  if (!prev_hash_.empty() || entry.seq == 1) {
    const std::string& want = entry.seq == 1 ? ZeroHash() : prev_hash_;
    if (entry.prev_hash != want) {
      // The entry itself is intact, so its predecessor is not the entry it was chained to.
      const int64_t bad = entry.seq == 1 ? 1 : entry.seq - 1;
      Decide(Breach::kChanged, bad,
             absl::StrCat("第 ", bad,
                          " 条审计记录被改写或替换（哈希已重算，与下一条的前序哈希不符） / audit "
                          "entry ",
                          bad,
                          " was rewritten or replaced (its hash was recomputed and no longer "
                          "matches the next entry's prev_hash)"));
      return false;
    }
  }
  if (!CheckExpectedHead(entry)) return false;
  if (!CheckMac(entry)) return false;
  if (entry.method == kRestartMethod) result_.restarts.push_back(entry.seq);
  prev_hash_ = entry.hash;
  result_.last_seq = entry.seq;
  result_.last_hash = entry.hash;
  ++expected_seq_;
  return true;
}

void ChainVerifier::ResolveSuspect(const AuditEntry* next) {
  const AuditEntry suspect = std::move(*suspect_);
  suspect_.reset();
  const int64_t k = suspect.seq;
  const bool next_fits_here = next != nullptr && next->seq == k + 1 && HashHoldsAt(*next, k);
  if (next_fits_here && suspect_fits_next_seq_) {
    Decide(Breach::kReordered, k,
           absl::StrCat("第 ", k, " 条与第 ", k + 1, " 条审计记录被调换了顺序 / audit entries ", k,
                        " and ", k + 1, " were swapped"));
  } else if (next_fits_here) {
    Decide(Breach::kInserted, k,
           absl::StrCat("第 ", k, " 条审计记录是插入的（其后的记录被整体后移） / audit entry ", k,
                        " was inserted (the entries after it were moved up)"));
  } else if (suspect_fits_next_seq_) {
    Decide(Breach::kRemoved, k,
           absl::StrCat("第 ", k, " 条审计记录被删除（其后的记录被重新编号） / audit entry ", k,
                        " was removed (the entries after it were renumbered)"));
  } else {
    Decide(Breach::kChanged, k,
           absl::StrCat("第 ", k, " 条审计记录的内容被改动（与其哈希不符） / audit entry ", k,
                        " was changed (its content does not match its hash)"));
  }
}

bool ChainVerifier::CheckExpectedHead(const AuditEntry& entry) {
  if (!expected_head_.has_value() || entry.seq != expected_head_->seq) return true;
  if (entry.hash == expected_head_->hash) return true;
  Decide(
      Breach::kChanged, entry.seq,
      absl::StrCat("第 ", entry.seq,
                   " 条审计记录的哈希与保存的链头不符：它之前的记录被改写过 / audit entry ",
                   entry.seq, " does not match the saved head: entries up to it were rewritten"));
  return false;
}

bool ChainVerifier::CheckMac(const AuditEntry& entry) {
  if (key_.empty()) return true;
  if (entry.mac.empty()) {
    if (result_.keyed == 0) return true;  // written before the key was used
    Decide(Breach::kNotKeyed, entry.seq,
           absl::StrCat("第 ", entry.seq, " 条审计记录没有 MAC，而第 ", result_.first_keyed_seq,
                        " 条起的记录都由密钥签过：它不是持有密钥的服务写入的 / audit entry ",
                        entry.seq, " carries no MAC though entries from ", result_.first_keyed_seq,
                        " on are keyed: it was not written by the key's holder"));
    return false;
  }
  if (entry.mac != EntryMac(key_, entry)) {
    Decide(Breach::kChanged, entry.seq,
           absl::StrCat("第 ", entry.seq,
                        " 条审计记录的 MAC 与密钥不符：它被改写或伪造，或用的是另一把密钥 / audit "
                        "entry ",
                        entry.seq,
                        "'s MAC does not match the key: it was rewritten or forged, or written "
                        "under another key"));
    return false;
  }
  if (result_.keyed++ == 0) result_.first_keyed_seq = entry.seq;
  return true;
}

VerifyResult ChainVerifier::Finish() {
  if (suspect_.has_value()) ResolveSuspect(nullptr);
  if (!decided_ && result_.checked == 0) {
    Decide(Breach::kRemoved, 1,
           "审计日志为空：全部审计记录都被删除了 / the audit log is empty: every entry was "
           "deleted");
  }
  if (!decided_ && !key_.empty() && result_.keyed == 0) {
    Decide(Breach::kNotKeyed, 0,
           "没有一条审计记录带有该密钥的 MAC：服务未使用此密钥 / no audit entry carries a MAC "
           "under this key: the server does not use it");
  }
  if (!decided_ && expected_head_.has_value() && result_.last_seq < expected_head_->seq) {
    const int64_t missing = result_.last_seq + 1;
    Decide(Breach::kRemoved, missing,
           absl::StrCat("审计链在第 ", result_.last_seq, " 条结束，短于保存的链头（第 ",
                        expected_head_->seq, " 条）：第 ", missing,
                        " 条起被删除 / the audit chain ends at entry ", result_.last_seq,
                        ", before the saved head (entry ", expected_head_->seq, "): entries from ",
                        missing, " were removed"));
  }
  if (!decided_) {
    result_.message =
        absl::StrCat("审计链完整，共核验 ", result_.checked, " 条 / the audit chain is intact, ",
                     result_.checked, " entries checked");
    if (!key_.empty()) {
      absl::StrAppend(&result_.message, "；第 ", result_.first_keyed_seq,
                      " 条起均由密钥签过 / entries from ", result_.first_keyed_seq,
                      " on carry a valid MAC");
    }
  }
  for (int64_t seq : result_.restarts) {
    absl::StrAppend(&result_.message, "。注意：审计链在第 ", seq,
                    " 条重新开始，此前的台账状态无法证明 / note: the chain was restarted at entry ",
                    seq, "; the ledger before it cannot be proven");
  }
  return result_;
}

absl::StatusOr<VerifyResult> VerifyChain(Store& store,
                                         const absl::optional<ExpectedHead>& expected_head,
                                         const std::function<void(int64_t)>& progress,
                                         int page_size) {
  ChainVerifier verifier(expected_head);
  RETURN_IF_ERROR(store.Read([&](ReadTxn& tx) -> absl::Status {
    int64_t after = 0;
    int64_t checked = 0;
    for (;;) {
      ASSIGN_OR_RETURN(std::vector<AuditEntry> page, tx.ListAuditEntries(after, page_size));
      for (const AuditEntry& e : page) {
        ++checked;
        if (!verifier.Feed(e)) return absl::OkStatus();
      }
      if (progress) progress(checked);
      if (static_cast<int>(page.size()) < page_size) return absl::OkStatus();
      after = page.back().seq;
    }
  }));
  return verifier.Finish();
}

absl::StatusOr<AuditReport> VerifyAndReconcile(Store& store,
                                               const absl::optional<ExpectedHead>& expected_head,
                                               const std::string& key, int page_size) {
  ChainVerifier verifier(expected_head, key);
  Reconciler reconciler;
  AuditReport report;
  RETURN_IF_ERROR(store.Read([&](ReadTxn& tx) -> absl::Status {
    int64_t after = 0;
    bool feeding = true;
    for (;;) {
      ASSIGN_OR_RETURN(std::vector<AuditEntry> page, tx.ListAuditEntries(after, page_size));
      for (const AuditEntry& e : page) {
        if (feeding) feeding = verifier.Feed(e);
        reconciler.Feed(e);
      }
      if (static_cast<int>(page.size()) < page_size) break;
      after = page.back().seq;
    }
    ASSIGN_OR_RETURN(report.rows, reconciler.Finish(tx));
    return absl::OkStatus();
  }));
  report.chain = verifier.Finish();
  return report;
}

}  // namespace rectify::audit
