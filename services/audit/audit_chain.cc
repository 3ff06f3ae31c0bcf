#include "services/audit/audit_chain.h"

#include <cstdint>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/sha256.h"
#include "services/common/status_macros.h"

namespace rectify::audit {
namespace {

// Names the encoding, so that a future change of fields or order is a new tag, never a silent
// reinterpretation of old hashes.
constexpr char kEncodingTag[] = "rectify.audit.v1";

void AppendField(std::string& out, absl::string_view value) {
  const uint64_t n = value.size();
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((n >> shift) & 0xFF));
  }
  out.append(value.data(), value.size());
}

}  // namespace

const std::string& ZeroHash() {
  static const std::string* zero = new std::string(64, '0');
  return *zero;
}

std::string CanonicalEncoding(const AuditEntry& e) {
  std::string out;
  out.reserve(128 + e.actor.size() + e.method.size() + e.target.size() + e.request.size() +
              e.before.size() + e.after.size());
  AppendField(out, kEncodingTag);
  AppendField(out, absl::StrCat(e.seq));
  AppendField(out, absl::StrCat(absl::ToUnixMicros(e.time)));
  AppendField(out, e.actor);
  AppendField(out, absl::StrCat(e.token_id));
  AppendField(out, e.method);
  AppendField(out, e.target);
  AppendField(out, e.request);
  AppendField(out, e.before);
  AppendField(out, e.after);
  AppendField(out, e.prev_hash);
  return out;
}

std::string ComputeHash(const AuditEntry& entry) { return Sha256Hex(CanonicalEncoding(entry)); }

namespace {

AuditEntry Genesis(absl::Time now) {
  AuditEntry e;
  e.seq = 1;
  e.time = now;
  e.actor = "system";
  e.method = kGenesisMethod;
  e.after = R"({"note":"审计链起点 / the audit chain starts here"})";
  e.prev_hash = ZeroHash();
  e.hash = ComputeHash(e);
  return e;
}

}  // namespace

absl::StatusOr<AuditEntry> Append(WriteTxn& tx, AuditEntry entry) {
  ASSIGN_OR_RETURN(absl::optional<AuditEntry> head, tx.GetAuditHead());
  if (!head.has_value()) {
    AuditEntry genesis = Genesis(entry.time);
    RETURN_IF_ERROR(tx.AppendAuditEntry(genesis));
    head = std::move(genesis);
  }
  entry.seq = head->seq + 1;
  entry.prev_hash = head->hash;
  entry.hash = ComputeHash(entry);
  RETURN_IF_ERROR(tx.AppendAuditEntry(entry));
  return entry;
}

absl::Status EnsureGenesis(Store& store, absl::Time now) {
  return store.Write([&](WriteTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(absl::optional<AuditEntry> head, tx.GetAuditHead());
    if (head.has_value()) return absl::OkStatus();
    return tx.AppendAuditEntry(Genesis(now));
  });
}

}  // namespace rectify::audit
