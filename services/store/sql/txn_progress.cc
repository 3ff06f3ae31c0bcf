// LedgerTxn: progress reports, evidence and extension requests.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"
#include "services/store/sql/ledger_txn.h"
#include "services/store/sql/row_codec.h"

namespace rectify {
namespace sql {

namespace {

constexpr char kExtensionColumns[] =
    "id, task_id, old_deadline, requested_deadline, reason, requested_by, request_time, state, "
    "decided_by, decide_time, decision_note, requester_unit_id";

absl::StatusOr<ExtensionRequest> ReadExtension(const Statement& s) {
  RowReader r(s);
  ExtensionRequest e;
  e.id = r.Int64();
  e.task_id = r.Int64();
  e.old_deadline = r.OptionalDay("extensions.old_deadline");
  e.requested_deadline = r.Day("extensions.requested_deadline");
  e.reason = r.Text();
  e.requested_by = r.Text();
  e.request_time = r.Time();
  e.state =
      r.Enum<ExtensionState>(1, static_cast<int>(ExtensionState::kWithdrawn), "extensions.state");
  e.decided_by = r.Text();
  e.decide_time = r.OptionalTime();
  e.decision_note = r.Text();
  e.requester_unit_id = r.Int64();
  RETURN_IF_ERROR(r.status());
  return e;
}

absl::StatusOr<std::vector<ExtensionRequest>> ReadExtensions(Statement& s) {
  std::vector<ExtensionRequest> requests;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return requests;
    ASSIGN_OR_RETURN(ExtensionRequest e, ReadExtension(s));
    requests.push_back(std::move(e));
  }
}

// Evidence metadata, then (when selected) the content.
Evidence ReadEvidence(const Statement& s, bool with_content) {
  RowReader r(s);
  Evidence e;
  e.id = r.Int64();
  e.file_name = r.Text();
  e.media_type = r.Text();
  e.size_bytes = r.Int64();
  e.sha256_hex = r.Text();
  if (with_content) e.content = r.Blob();
  return e;
}

constexpr char kProgressColumns[] = "id, task_id, reporter, report_time, text, percent";
// Metadata only: content can be large and is fetched one file at a time (GetEvidence).
constexpr char kEvidenceOfReportSql[] =
    "SELECT id, file_name, media_type, size_bytes, sha256_hex "
    "FROM evidence WHERE report_id = $1 ORDER BY id";

ProgressReport ReadProgress(const Statement& s) {
  RowReader r(s);
  ProgressReport p;
  p.id = r.Int64();
  p.task_id = r.Int64();
  p.reporter = r.Text();
  p.report_time = r.Time();
  p.text = r.Text();
  p.percent = r.Int();
  return p;
}

// The report's evidence metadata through kEvidenceOfReportSql, which is reset afterwards.
absl::Status AddEvidence(Statement& s, ProgressReport& report) {
  s.BindInt64(1, report.id);
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    report.evidence.push_back(ReadEvidence(s, /*with_content=*/false));
  }
  s.Reset();
  return absl::OkStatus();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Progress reports and evidence

absl::StatusOr<std::vector<ProgressReport>> LedgerTxn::ListProgress(Id task_id) {
  std::vector<ProgressReport> reports;
  {
    ASSIGN_OR_RETURN(Statement s, Sql(absl::StrCat("SELECT ", kProgressColumns,
                                                   " FROM progress_reports WHERE task_id = $1"
                                                   " ORDER BY id")));
    s.BindInt64(1, task_id);
    for (;;) {
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      reports.push_back(ReadProgress(s));
    }
  }
  ASSIGN_OR_RETURN(Statement s, Sql(kEvidenceOfReportSql));
  for (ProgressReport& report : reports) RETURN_IF_ERROR(AddEvidence(s, report));
  return reports;
}

absl::StatusOr<ProgressReport> LedgerTxn::GetProgress(Id report_id) {
  ProgressReport p;
  {
    ASSIGN_OR_RETURN(Statement s, Sql(absl::StrCat("SELECT ", kProgressColumns,
                                                   " FROM progress_reports WHERE id = $1")));
    s.BindInt64(1, report_id);
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return NotFound("进展反馈", "progress report", report_id);
    p = ReadProgress(s);
  }
  ASSIGN_OR_RETURN(Statement s, Sql(kEvidenceOfReportSql));
  RETURN_IF_ERROR(AddEvidence(s, p));
  return p;
}

absl::StatusOr<Evidence> LedgerTxn::GetEvidence(Id evidence_id) {
  ASSIGN_OR_RETURN(Statement s,
                   Sql("SELECT id, file_name, media_type, size_bytes, sha256_hex, content "
                       "FROM evidence WHERE id = $1"));
  s.BindInt64(1, evidence_id);
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return NotFound("证明材料", "evidence", evidence_id);
  return ReadEvidence(s, /*with_content=*/true);
}

absl::Status LedgerTxn::InsertProgress(ProgressReport& report) {
  ASSIGN_OR_RETURN(Statement s,
                   Sql("INSERT INTO progress_reports (task_id, reporter, report_time, text, "
                       "percent) VALUES ($1, $2, $3, $4, $5) RETURNING id"));
  Params(s)
      .Int64(report.task_id)
      .Text(report.reporter)
      .Time(report.report_time)
      .Text(report.text)
      .Int(report.percent);
  ASSIGN_OR_RETURN(report.id, InsertReturningId(s));
  ASSIGN_OR_RETURN(Statement e,
                   Sql("INSERT INTO evidence (report_id, file_name, media_type, size_bytes, "
                       "sha256_hex, content) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"));
  for (Evidence& evidence : report.evidence) {
    Params(e)
        .Int64(report.id)
        .Text(evidence.file_name)
        .Text(evidence.media_type)
        .Int64(evidence.size_bytes)
        .Text(evidence.sha256_hex)
        .Blob(evidence.content);
    ASSIGN_OR_RETURN(evidence.id, InsertReturningId(e));
    e.Reset();
  }
  changed_.push_back(RowRef{RowRef::Kind::kProgress, report.id, report.task_id});
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------------
// Extension requests

absl::StatusOr<ExtensionRequest> LedgerTxn::GetExtension(Id id) {
  ASSIGN_OR_RETURN(Statement s, Sql(absl::StrCat("SELECT ", kExtensionColumns,
                                                 " FROM extensions WHERE id = $1")));
  s.BindInt64(1, id);
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return NotFound("延期申请", "extension request", id);
  return ReadExtension(s);
}

absl::StatusOr<std::vector<ExtensionRequest>> LedgerTxn::ListExtensions(Id task_id) {
  ASSIGN_OR_RETURN(Statement s, Sql(absl::StrCat("SELECT ", kExtensionColumns,
                                                 " FROM extensions WHERE task_id = $1 "
                                                 "ORDER BY id")));
  s.BindInt64(1, task_id);
  return ReadExtensions(s);
}

absl::StatusOr<absl::optional<ExtensionRequest>> LedgerTxn::FindPendingExtension(Id task_id) {
  ASSIGN_OR_RETURN(Statement s, Sql(absl::StrCat("SELECT ", kExtensionColumns,
                                                 " FROM extensions WHERE task_id = $1 "
                                                 "AND state = $2 ORDER BY id")));
  Params(s).Int64(task_id).Enum(ExtensionState::kPending);
  ASSIGN_OR_RETURN(std::vector<ExtensionRequest> pending, ReadExtensions(s));
  if (pending.empty()) return absl::optional<ExtensionRequest>();
  return absl::optional<ExtensionRequest>(std::move(pending.front()));
}

absl::Status LedgerTxn::InsertExtension(ExtensionRequest& request) {
  ASSIGN_OR_RETURN(Statement s,
                   Sql("INSERT INTO extensions (task_id, old_deadline, requested_deadline, reason, "
                       "requested_by, request_time, state, decided_by, decide_time, decision_note, "
                       "requester_unit_id) "
                       "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id"));
  Params(s)
      .Int64(request.task_id)
      .OptionalDay(request.old_deadline)
      .Day(request.requested_deadline)
      .Text(request.reason)
      .Text(request.requested_by)
      .Time(request.request_time)
      .Enum(request.state)
      .Text(request.decided_by)
      .OptionalTime(request.decide_time)
      .Text(request.decision_note)
      .Int64(request.requester_unit_id);
  absl::StatusOr<int64_t> id = InsertReturningId(s);
  if (absl::IsAlreadyExists(id.status())) {
    return absl::AlreadyExistsError(absl::StrCat("任务 ", request.task_id,
                                                 " 已有待审批的延期申请 / task ", request.task_id,
                                                 " already has a pending extension request"));
  }
  if (!id.ok()) return id.status();
  request.id = *id;
  changed_.push_back(RowRef{RowRef::Kind::kExtension, request.id, request.task_id});
  return absl::OkStatus();
}

absl::Status LedgerTxn::UpdateExtension(const ExtensionRequest& request) {
  // The request itself (task, dates, reason, who asked) never changes; the decision does.
  ASSIGN_OR_RETURN(Statement s, Sql("UPDATE extensions SET state = $1, decided_by = $2, "
                                    "decide_time = $3, decision_note = $4 WHERE id = $5"));
  Params(s)
      .Enum(request.state)
      .Text(request.decided_by)
      .OptionalTime(request.decide_time)
      .Text(request.decision_note)
      .Int64(request.id);
  RETURN_IF_ERROR(s.Run());
  if (db_.ChangeCount() == 0) return NotFound("延期申请", "extension request", request.id);
  changed_.push_back(RowRef{RowRef::Kind::kExtension, request.id, request.task_id});
  return absl::OkStatus();
}

}  // namespace sql
}  // namespace rectify
