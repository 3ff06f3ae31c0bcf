#include "services/api/audit_service.h"

#include "absl/strings/ascii.h"
#include "services/api/handler.h"
#include "services/audit/chain_verifier.h"
#include "services/common/errors.h"

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
  }
  return v1::AUDIT_BREACH_UNSPECIFIED;
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
  return Handle(ctx, [&](const Actor&) -> absl::Status {
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
    ASSIGN_OR_RETURN(audit::VerifyResult result, audit::VerifyChain(*ledger_->store(), expected));
    resp->set_intact(result.ok());
    resp->set_checked(result.checked);
    resp->set_first_bad_seq(result.entry_seq);
    resp->set_breach(ToProto(result.breach));
    resp->set_message(result.message);
    if (result.last_seq > 0) {
      resp->mutable_last_good()->set_seq(result.last_seq);
      resp->mutable_last_good()->set_hash(result.last_hash);
    }
    return absl::OkStatus();
  });
}

grpc::Status AuditServiceImpl::GetAuditHead(grpc::ServerContext* ctx,
                                            const v1::GetAuditHeadRequest*,
                                            v1::GetAuditHeadResponse* resp) {
  return Handle(ctx, [&](const Actor&) -> absl::Status {
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

}  // namespace rectify::api
