#include "services/audit/audit_chain.h"

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/audit/audit_key.h"
#include "services/audit/row_state.h"
#include "services/audit/snapshot.h"
#include "services/common/sha256.h"
#include "services/common/status_macros.h"

namespace rectify::audit {
namespace {

// Names the encoding, so that a future change of fields or order is a new tag, never a silent
// reinterpretation of old hashes.
constexpr char kEncodingTag[] = "rectify.audit.v1";
constexpr char kEncodingTagWithRows[] = "rectify.audit.v2";
// Rows per baseline entry: keeps each entry (and each verification page) small.
constexpr size_t kBaselineRowsPerEntry = 500;

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
  AppendField(out, e.rows.empty() ? kEncodingTag : kEncodingTagWithRows);
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
  if (!e.rows.empty()) AppendField(out, e.rows);
  return out;
}

std::string ComputeHash(const AuditEntry& entry) { return Sha256Hex(CanonicalEncoding(entry)); }

namespace {

// {"reason":"..."} with the text escaped as JSON.
std::string AuditJsonString(absl::string_view reason) {
  return absl::StrCat(R"({"reason":)", JsonString(reason), "}");
}

void Seal(AuditEntry& e) {
  e.hash = ComputeHash(e);
  const std::string key = InstalledKey();
  e.mac = key.empty() ? std::string() : EntryMac(key, e);
}

absl::Status AppendAfterHead(WriteTxn& tx, AuditEntry& e) {
  ASSIGN_OR_RETURN(absl::optional<AuditEntry> head, tx.GetAuditHead());
  e.seq = head.has_value() ? head->seq + 1 : 1;
  e.prev_hash = head.has_value() ? head->hash : ZeroHash();
  Seal(e);
  return tx.AppendAuditEntry(e);
}

AuditEntry SystemEntry(absl::Time now, const char* method, std::string after) {
  AuditEntry e;
  e.time = now;
  e.actor = "system";
  e.method = method;
  e.after = std::move(after);
  return e;
}

// One or more kBaselineMethod entries recording the state of every row now in the ledger.
absl::Status AppendBaseline(WriteTxn& tx, absl::Time now, absl::string_view why) {
  std::vector<std::string> lines;
  RETURN_IF_ERROR(ForEachRow(tx, [&](const std::string& name, const std::string& digest) {
    lines.push_back(absl::StrCat(name, " ", digest, "\n"));
  }));
  const size_t parts =
      lines.empty() ? 1 : (lines.size() + kBaselineRowsPerEntry - 1) / kBaselineRowsPerEntry;
  for (size_t part = 0; part < parts; ++part) {
    AuditEntry e =
        SystemEntry(now, kBaselineMethod,
                    absl::StrCat(R"({"note":")", why, R"(","part":)", part + 1, R"(,"parts":)",
                                 parts, R"(,"rows_total":)", lines.size(), "}"));
    e.target = "ledger";
    for (size_t i = part * kBaselineRowsPerEntry;
         i < lines.size() && i < (part + 1) * kBaselineRowsPerEntry; ++i) {
      e.rows += lines[i];
    }
    RETURN_IF_ERROR(AppendAfterHead(tx, e));
  }
  return absl::OkStatus();
}

// Whether the ledger holds more than a new installation does (the root unit alone).
absl::StatusOr<bool> LedgerHasData(ReadTxn& tx) {
  ASSIGN_OR_RETURN(std::vector<OrgUnit> units, tx.ListUnits("", "", 2));
  if (units.size() > 1) return true;
  TaskQuery query;
  query.limit = 1;
  ASSIGN_OR_RETURN(std::vector<Task> tasks, tx.ListTasks(query));
  if (!tasks.empty()) return true;
  ASSIGN_OR_RETURN(std::vector<Review> reviews, tx.ListReviews("", 0, 1));
  return !reviews.empty();
}

absl::Status AppendGenesis(WriteTxn& tx, absl::Time now) {
  AuditEntry genesis =
      SystemEntry(now, kGenesisMethod, R"({"note":"审计链起点 / the audit chain starts here"})");
  (void)tx.TakeChangedRows();  // rows written before the chain belong to its baseline
  return AppendAfterHead(tx, genesis);
}

}  // namespace

absl::StatusOr<AuditEntry> Append(WriteTxn& tx, AuditEntry entry) {
  ASSIGN_OR_RETURN(absl::optional<AuditEntry> head, tx.GetAuditHead());
  if (!head.has_value()) {
    return absl::FailedPreconditionError(
        "审计日志为空，拒绝写入：审计链只能在服务启动时开始 / the audit log is empty, so nothing "
        "is written: an audit chain starts only at server start");
  }
  ASSIGN_OR_RETURN(entry.rows, DescribeRows(tx, tx.TakeChangedRows()));
  entry.seq = head->seq + 1;
  entry.prev_hash = head->hash;
  Seal(entry);
  RETURN_IF_ERROR(tx.AppendAuditEntry(entry));
  return entry;
}

absl::Status EnsureChain(Store& store, absl::Time now) {
  return store.Write([&](WriteTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(absl::optional<AuditEntry> head, tx.GetAuditHead());
    if (!head.has_value()) {
      ASSIGN_OR_RETURN(bool has_data, LedgerHasData(tx));
      if (has_data) {
        return absl::FailedPreconditionError(
            "审计日志为空，但台账中已有数据：审计记录已丢失或被删除，拒绝另起审计链。请保留数据库文"
            "件"
            "备查；如确需在此基础上重新开始，请在服务器上运行 rectifyd --db=<文件> "
            "--restart_audit_chain=\"<原因>\"（会写入审计记录）/ the audit log is empty but the "
            "ledger holds data: its audit entries were lost or deleted, so no new chain is "
            "started. Keep the database file as evidence; to start anew on it, run rectifyd "
            "--db=<file> --restart_audit_chain=\"<reason>\" on the host (this is recorded)");
      }
      RETURN_IF_ERROR(AppendGenesis(tx, now));
      return AppendBaseline(tx, now, "审计链开始时的台账状态 / the ledger when the chain started");
    }
    ASSIGN_OR_RETURN(bool has_baseline, tx.HasAuditEntryWithMethod(kBaselineMethod));
    if (has_baseline) return absl::OkStatus();
    (void)tx.TakeChangedRows();
    return AppendBaseline(
        tx, now,
        "开始对账：此前的行改动无法核对 / reconciliation starts here: row changes before this "
        "entry cannot be checked");
  });
}

absl::Status RestartChain(Store& store, absl::Time now, const std::string& who,
                          const std::string& reason) {
  return store.Write([&](WriteTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(absl::optional<AuditEntry> head, tx.GetAuditHead());
    if (head.has_value()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "审计日志不为空（共 ", head->seq,
          " 条），不能重新开始：审计记录从不删除 / the audit log is not empty (", head->seq,
          " entries), so it cannot be restarted: audit entries are never deleted"));
    }
    RETURN_IF_ERROR(AppendGenesis(tx, now));
    AuditEntry restart = SystemEntry(
        now, kRestartMethod,
        R"({"note":"审计链在已有数据的台账上重新开始，此前的一切无法证明 / the audit chain was restarted on a ledger with data; nothing before this entry can be proven"})");
    restart.actor = who;
    restart.target = "ledger";
    restart.request = AuditJsonString(reason);
    RETURN_IF_ERROR(AppendAfterHead(tx, restart));
    return AppendBaseline(tx, now, "重新开始时的台账状态 / the ledger when the chain restarted");
  });
}

}  // namespace rectify::audit
