// LedgerTxn: the audit trail. Only appends and reads: the table's triggers refuse UPDATE and
// DELETE (schema.cc, step 6).
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/store/sql/ledger_txn.h"
#include "services/store/sql/row_codec.h"

namespace rectify {
namespace sql {

namespace {

constexpr char kAuditColumns[] =
    "seq, time, actor, token_id, method, target, request, before, after, prev_hash, hash, rows, "
    "mac";

absl::StatusOr<std::vector<AuditEntry>> ReadAuditEntries(Statement& s) {
  std::vector<AuditEntry> entries;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return entries;
    RowReader r(s);
    AuditEntry e;
    e.seq = r.Int64();
    e.time = r.Time();
    e.actor = r.Text();
    e.token_id = r.Int64();
    e.method = r.Text();
    e.target = r.Text();
    e.request = r.Text();
    e.before = r.Text();
    e.after = r.Text();
    e.prev_hash = r.Text();
    e.hash = r.Text();
    e.rows = r.Text();
    e.mac = r.Text();
    RETURN_IF_ERROR(r.status());
    entries.push_back(std::move(e));
  }
}

}  // namespace

absl::StatusOr<absl::optional<AuditEntry>> LedgerTxn::GetAuditHead() {
  ASSIGN_OR_RETURN(Statement s, Sql(absl::StrCat("SELECT ", kAuditColumns,
                                                 " FROM audit_log ORDER BY seq DESC LIMIT 1")));
  ASSIGN_OR_RETURN(std::vector<AuditEntry> entries, ReadAuditEntries(s));
  if (entries.empty()) return absl::optional<AuditEntry>();
  return absl::optional<AuditEntry>(std::move(entries.front()));
}

absl::StatusOr<std::vector<AuditEntry>> LedgerTxn::ListAuditEntries(int64_t after_seq, int limit) {
  ASSIGN_OR_RETURN(Statement s,
                   Sql(absl::StrCat("SELECT ", kAuditColumns,
                                    " FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2")));
  s.BindInt64(1, after_seq);
  s.BindInt64(2, ClampLimit(limit));
  return ReadAuditEntries(s);
}

absl::StatusOr<int64_t> LedgerTxn::CountAuditEntries() {
  ASSIGN_OR_RETURN(Statement s, Sql("SELECT COUNT(*) FROM audit_log"));
  ASSIGN_OR_RETURN(bool row, s.Step());
  return row ? s.ColumnInt64(0) : 0;
}

absl::Status LedgerTxn::AppendAuditEntry(const AuditEntry& entry) {
  ASSIGN_OR_RETURN(Statement s, Sql(absl::StrCat("INSERT INTO audit_log (", kAuditColumns,
                                                 ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
                                                 "$10, $11, $12, $13)")));
  Params(s)
      .Int64(entry.seq)
      .Time(entry.time)
      .Text(entry.actor)
      .Int64(entry.token_id)
      .Text(entry.method)
      .Text(entry.target)
      .Text(entry.request)
      .Text(entry.before)
      .Text(entry.after)
      .Text(entry.prev_hash)
      .Text(entry.hash)
      .Text(entry.rows)
      .Text(entry.mac);
  return s.Run();
}

absl::StatusOr<bool> LedgerTxn::HasAuditEntryWithMethod(const std::string& method) {
  ASSIGN_OR_RETURN(Statement s, Sql("SELECT 1 FROM audit_log WHERE method = $1 LIMIT 1"));
  Params(s).Text(method);
  return s.Step();
}

std::vector<RowRef> LedgerTxn::TakeChangedRows() {
  std::vector<RowRef> rows;
  rows.swap(changed_);
  return rows;
}

void LedgerTxn::BeginWrite() {
  changed_.clear();
  tasks_.clear();
}

}  // namespace sql
}  // namespace rectify
