#include "services/audit/reconcile.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/audit/row_state.h"
#include "services/common/status_macros.h"

namespace rectify::audit {
namespace {

// "task/12" -> "任务 12 / task 12".
std::string Describe(const std::string& row) {
  const size_t slash = row.find('/');
  const std::string kind = row.substr(0, slash);
  const std::string id = slash == std::string::npos ? "" : row.substr(slash + 1);
  const char* zh = kind == "unit"       ? "单位"
                   : kind == "task"     ? "任务"
                   : kind == "progress" ? "进展反馈"
                                        : "延期申请";
  const char* en = kind == "unit"       ? "unit"
                   : kind == "task"     ? "task"
                   : kind == "progress" ? "progress report"
                                        : "extension request";
  return absl::StrCat(zh, " ", id, "|", en, " ", id);
}

std::string Message(const std::string& row, RowFinding::Kind kind, int64_t seq) {
  const std::string d = Describe(row);
  const std::string zh = d.substr(0, d.find('|'));
  const std::string en = d.substr(d.find('|') + 1);
  switch (kind) {
    case RowFinding::Kind::kDiffers:
      return absl::StrCat(zh, " 与第 ", seq, " 条审计记录不符（在审计之外被改动）/ ", en,
                          " differs from audit entry ", seq, " (changed outside the server)");
    case RowFinding::Kind::kNoEntry:
      return absl::StrCat(zh, " 没有任何审计记录（在审计之外写入，或其审计记录已丢失）/ ", en,
                          " has no audit entry (written outside the server, or its entries are "
                          "gone)");
    case RowFinding::Kind::kRowGone:
      return absl::StrCat(zh, " 已不存在，但第 ", seq, " 条审计记录记载了它（在审计之外被删除）/ ",
                          en, " is gone, though audit entry ", seq,
                          " records it (deleted outside the server)");
  }
  return "";
}

}  // namespace

const char* FindingKindName(RowFinding::Kind kind) {
  switch (kind) {
    case RowFinding::Kind::kDiffers:
      return "differs";
    case RowFinding::Kind::kNoEntry:
      return "no_entry";
    case RowFinding::Kind::kRowGone:
      return "row_gone";
  }
  return "unknown";
}

void Reconciler::Feed(const AuditEntry& entry) {
  if (entry.rows.empty()) return;
  for (auto& [name, digest] : ParseRows(entry.rows)) {
    Recorded& r = latest_[name];
    r.digest = std::move(digest);
    r.seq = entry.seq;
  }
}

void Reconciler::Add(ReconcileResult& result, RowFinding finding) {
  ++result.findings_total;
  if (static_cast<int>(result.findings.size()) < max_findings_) {
    finding.message = Message(finding.row, finding.kind, finding.entry_seq);
    result.findings.push_back(std::move(finding));
  }
}

absl::StatusOr<ReconcileResult> Reconciler::Finish(ReadTxn& tx) {
  ReconcileResult result;
  RETURN_IF_ERROR(ForEachRow(tx, [&](const std::string& name, const std::string& digest) {
    ++result.rows_checked;
    auto it = latest_.find(name);
    if (it == latest_.end()) {
      Add(result, RowFinding{RowFinding::Kind::kNoEntry, name, 0, ""});
      return;
    }
    it->second.seen = true;
    if (it->second.digest == kDeletedRow) {
      // Deleted through the server, and back: put in by hand.
      Add(result, RowFinding{RowFinding::Kind::kNoEntry, name, 0, ""});
    } else if (it->second.digest != digest) {
      Add(result, RowFinding{RowFinding::Kind::kDiffers, name, it->second.seq, ""});
    }
  }));
  std::vector<std::pair<std::string, int64_t>> gone;
  for (const auto& [name, recorded] : latest_) {
    if (!recorded.seen && recorded.digest != kDeletedRow) gone.emplace_back(name, recorded.seq);
  }
  std::sort(gone.begin(), gone.end());
  for (const auto& [name, seq] : gone) {
    Add(result, RowFinding{RowFinding::Kind::kRowGone, name, seq, ""});
  }
  return result;
}

}  // namespace rectify::audit
