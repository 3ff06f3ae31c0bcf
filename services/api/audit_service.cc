#include "services/api/audit_service.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "services/api/internal/handler.h"
#include "services/audit/audit_key.h"
#include "services/audit/chain_verifier.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"

namespace rectify::api {
namespace {

v1::AuditBreach ToProto(audit::Breach breach) {
  switch (breach) {
    case audit::Breach::kNone:
      return v1::AUDIT_BREACH_UNSPECIFIED;
    case audit::Breach::kChanged:
      return v1::AUDIT_BREACH_CHANGED;
    case audit::Breach::kRemoved:
      return v1::AUDIT_BREACH_REMOVED;
    case audit::Breach::kInserted:
      return v1::AUDIT_BREACH_INSERTED;
    case audit::Breach::kReordered:
      return v1::AUDIT_BREACH_REORDERED;
    case audit::Breach::kNotKeyed:
      return v1::AUDIT_BREACH_NOT_KEYED;
  }
  return v1::AUDIT_BREACH_UNSPECIFIED;
}

v1::AuditRowFindingKind ToProto(audit::RowFinding::Kind kind) {
  switch (kind) {
    case audit::RowFinding::Kind::kDiffers:
      return v1::AUDIT_ROW_DIFFERS;
    case audit::RowFinding::Kind::kNoEntry:
      return v1::AUDIT_ROW_NO_ENTRY;
    case audit::RowFinding::Kind::kRowGone:
      return v1::AUDIT_ROW_GONE;
  }
  return v1::AUDIT_ROW_FINDING_UNSPECIFIED;
}

bool IsLowerHex64(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(c) && !(c >= 'a' && c <= 'f')) return false;
  }
  return true;
}

}  // namespace

grpc::Status AuditServiceImpl::VerifyAudit(grpc::ServerContext* ctx,
                                           const v1::VerifyAuditRequest* req,
                                           v1::VerifyAuditResponse* resp) {
  return Handle(ctx, __func__, [&](const Actor&) -> absl::Status {
    absl::optional<audit::ExpectedHead> expected;
    if (req->has_expected_head()) {
      if (req->expected_head().seq() < 1) {
        return InvalidField("expected_head.seq", "必须大于 0", "must be positive");
      }
      if (!IsLowerHex64(req->expected_head().hash())) {
        return InvalidField("expected_head.hash", "必须是 64 位小写十六进制 SHA-256",
                            "must be a SHA-256 in 64 lowercase hex digits");
      }
      expected = audit::ExpectedHead{req->expected_head().seq(), req->expected_head().hash()};
    }
    ASSIGN_OR_RETURN(audit::AuditReport report,
                     audit::VerifyAndReconcile(*ledger_->store(), expected, audit::InstalledKey()));
    const audit::VerifyResult& result = report.chain;
    resp->set_intact(result.ok());
    resp->set_checked(result.checked);
    resp->set_first_bad_seq(result.entry_seq);
    resp->set_breach(ToProto(result.breach));
    resp->set_message(result.message);
    if (result.last_seq > 0) {
      resp->mutable_last_good()->set_seq(result.last_seq);
      resp->mutable_last_good()->set_hash(result.last_hash);
    }
    for (int64_t seq : result.restarts) resp->add_restarts(seq);
    resp->set_rows_match(report.rows.ok());
    resp->set_rows_checked(report.rows.rows_checked);
    resp->set_row_findings_total(report.rows.findings_total);
    for (const audit::RowFinding& f : report.rows.findings) {
      v1::AuditRowFinding* out = resp->add_row_findings();
      out->set_row(f.row);
      out->set_kind(ToProto(f.kind));
      out->set_entry_seq(f.entry_seq);
      out->set_message(f.message);
    }
    return absl::OkStatus();
  });
}

grpc::Status AuditServiceImpl::GetAuditHead(grpc::ServerContext* ctx,
                                            const v1::GetAuditHeadRequest*,
                                            v1::GetAuditHeadResponse* resp) {
  return Handle(ctx, __func__, [&](const Actor&) -> absl::Status {
    return ledger_->store()->Read([&](ReadTxn& tx) -> absl::Status {
      ASSIGN_OR_RETURN(absl::optional<AuditEntry> head, tx.GetAuditHead());
      ASSIGN_OR_RETURN(int64_t count, tx.CountAuditEntries());
      resp->set_entry_count(count);
      if (head.has_value()) {
        resp->mutable_head()->set_seq(head->seq);
        resp->mutable_head()->set_hash(head->hash);
        ToProto(head->time, resp->mutable_time());
      }
      return absl::OkStatus();
    });
  });
}

grpc::Status AuditServiceImpl::ListAuditEntries(grpc::ServerContext* ctx,
                                                const v1::ListAuditEntriesRequest* req,
                                                v1::ListAuditEntriesResponse* resp) {
  return Handle(ctx, __func__, [&](const Actor&) -> absl::Status {
    if (req->after_seq() < 0)
      return InvalidField("after_seq", "不能为负数", "must not be negative");
    if (req->limit() < 0 || req->limit() > 1000) {
      return InvalidField("limit", "须在 0 到 1000 之间", "must be between 0 and 1000");
    }
    const int limit = req->limit() == 0 ? 500 : req->limit();
    return ledger_->store()->Read([&](ReadTxn& tx) -> absl::Status {
      ASSIGN_OR_RETURN(std::vector<AuditEntry> entries,
                       tx.ListAuditEntries(req->after_seq(), limit));
      for (const AuditEntry& e : entries) {
        v1::AuditEntry* out = resp->add_entries();
        out->set_seq(e.seq);
        out->set_time_micros(absl::ToUnixMicros(e.time));
        out->set_actor(e.actor);
        out->set_token_id(e.token_id);
        out->set_method(e.method);
        out->set_target(e.target);
        out->set_request(e.request);
        out->set_before(e.before);
        out->set_after(e.after);
        out->set_prev_hash(e.prev_hash);
        out->set_hash(e.hash);
        out->set_rows(e.rows);
        out->set_mac(e.mac);
      }
      return absl::OkStatus();
    });
  });
}

}  // namespace rectify::api
