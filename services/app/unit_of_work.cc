#include "services/app/unit_of_work.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/audit/audit_chain.h"
#include "services/common/errors.h"
#include "services/common/sha256.h"
#include "services/common/status_macros.h"
#include "services/domain/limits.h"

namespace rectify::app {
namespace {

// Runs the change and appends its audit entry, in the caller's transaction.
absl::Status ApplyAudited(const Ledger& ledger, const Actor& actor, Change& change, WriteTxn& tx) {
  ASSIGN_OR_RETURN(AuditTargets targets, change.Targets(tx));
  ASSIGN_OR_RETURN(audit::Snapshot before, SnapshotTargets(tx, targets));
  RETURN_IF_ERROR(change.Apply(tx));
  AuditEntry entry;
  entry.time = ledger.Now();
  entry.actor = actor.name;
  entry.token_id = actor.token_id;
  entry.method = std::string(change.use_case());
  entry.request = change.AuditRequest();
  if (targets.task_ids.empty() && targets.unit_id == 0) {
    entry.target = change.AnswerTarget();
    if (absl::StartsWith(change.use_case(), "Create")) {
      ASSIGN_OR_RETURN(entry.after, CreatedSnapshot(tx, entry.target));
    }
    if (entry.after.empty()) entry.after = change.AnswerAuditJson();
  } else {
    entry.target = targets.name;
    ASSIGN_OR_RETURN(audit::Snapshot after, SnapshotTargets(tx, targets));
    audit::ChangeText text = audit::DescribeChange(before, after);
    entry.before = std::move(text.before);
    entry.after = std::move(text.after);
  }
  return audit::Append(tx, std::move(entry)).status();
}

}  // namespace

absl::StatusOr<audit::Snapshot> SnapshotTargets(ReadTxn& tx, const AuditTargets& targets) {
  audit::Snapshot snapshot;
  if (targets.unit_id != 0) {
    absl::StatusOr<OrgUnit> unit = tx.GetUnit(targets.unit_id);
    if (absl::IsNotFound(unit.status())) return snapshot;
    RETURN_IF_ERROR(unit.status());
    snapshot.Add(*unit);
    return snapshot;
  }
  for (Id id : targets.task_ids) {
    absl::StatusOr<Task> task = tx.GetTask(id);
    if (absl::IsNotFound(task.status())) continue;
    RETURN_IF_ERROR(task.status());
    snapshot.Add(*task);
  }
  return snapshot;
}

absl::StatusOr<std::string> CreatedSnapshot(ReadTxn& tx, absl::string_view target) {
  Id id = 0;
  audit::Snapshot created;
  if (absl::ConsumePrefix(&target, "task/") && absl::SimpleAtoi(target, &id)) {
    ASSIGN_OR_RETURN(Task task, tx.GetTask(id));
    created.Add(task);
  } else if (absl::ConsumePrefix(&target, "orgunit/") && absl::SimpleAtoi(target, &id)) {
    ASSIGN_OR_RETURN(OrgUnit unit, tx.GetUnit(id));
    created.Add(unit);
  } else {
    return std::string();
  }
  return audit::DescribeChange(audit::Snapshot(), created).after;
}

absl::Status CheckRequestId(const std::string& id) {
  if (id.size() > limits::kRequestId) {
    return InvalidField("request_id", "不能超过 64 个字符", "must be at most 64 characters");
  }
  for (unsigned char c : id) {
    if (c <= 0x20 || c >= 0x7F) {
      return InvalidField("request_id", "只能包含可见的 ASCII 字符", "must be printable ASCII");
    }
  }
  return absl::OkStatus();
}

absl::Status Run(const Ledger& ledger, const Actor& actor, Change& change) {
  const std::string& request_id = change.request_id();
  RETURN_IF_ERROR(CheckRequestId(request_id));
  absl::Status status;
  if (request_id.empty()) {
    status = ledger.store()->Write(
        [&](WriteTxn& tx) { return ApplyAudited(ledger, actor, change, tx); });
  } else {
    // The fingerprint keys the payload by use case and principal (the token): a request_id
    // replayed by another principal is a different request (ALREADY_EXISTS).
    const std::string fingerprint =
        Sha256Hex(absl::StrCat(change.use_case(), "#", actor.token_id, "\n", change.Payload()));
    const absl::Time now = ledger.Now();
    status = ledger.store()->Write([&](WriteTxn& tx) -> absl::Status {
      ASSIGN_OR_RETURN(absl::optional<StoredRequest> seen, tx.FindRequest(request_id));
      if (seen.has_value()) {
        if (seen->fingerprint != fingerprint) {
          return absl::AlreadyExistsError(
              absl::StrCat("request_id “", request_id, "” 已用于另一个不同的请求 / request_id \"",
                           request_id, "\" was already used for a different request"));
        }
        if (!change.DecodeAnswer(seen->response)) {
          return absl::DataLossError("已保存的应答无法解析 / the stored response does not parse");
        }
        return absl::OkStatus();
      }
      RETURN_IF_ERROR(ApplyAudited(ledger, actor, change, tx));
      StoredRequest record;
      record.request_id = request_id;
      record.fingerprint = fingerprint;
      record.response = change.EncodeAnswer();
      record.time = now;
      return tx.SaveRequest(record);
    });
  }
  if (status.ok()) ledger.NotifyChanged();
  return status;
}

}  // namespace rectify::app
