#include "services/api/internal/call_context.h"

#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "services/api/internal/audit_record.h"
#include "services/api/internal/auth_interceptor.h"
#include "services/audit/audit_chain.h"
#include "services/common/errors.h"
#include "services/common/sha256.h"
#include "services/common/status_macros.h"
#include "services/common/text.h"
#include "services/domain/limits.h"

namespace rectify::api {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Deterministic bytes of `request` without its request_id field, so that the fingerprint is the
// payload's and a retry matches the first call.
std::string Fingerprint(absl::string_view method, const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> copy(request.New());
  copy->CopyFrom(request);
  const auto* field = copy->GetDescriptor()->FindFieldByName("request_id");
  if (field != nullptr) copy->GetReflection()->ClearField(copy.get(), field);
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    copy->SerializeToCodedStream(&coded);
  }
  return Sha256Hex(absl::StrCat(method, "\n", bytes));
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

}  // namespace

absl::Status RunRecorded(Store& store, absl::string_view method, const std::string& request_id,
                         const google::protobuf::Message& request,
                         google::protobuf::Message* response,
                         const std::function<absl::Status(WriteTxn&)>& mutate, absl::Time now);

namespace {

// Runs `mutate` and appends its audit entry, in the caller's transaction.
absl::Status MutateAudited(const Ledger& ledger, const Actor& actor, absl::string_view method,
                           const google::protobuf::Message& request,
                           const google::protobuf::Message& response,
                           const std::function<absl::Status(WriteTxn&)>& mutate, WriteTxn& tx) {
  ASSIGN_OR_RETURN(AuditTargets targets, FindAuditTargets(tx, method, request));
  AuditEntry entry;
  ASSIGN_OR_RETURN(audit::Snapshot before, SnapshotTargets(tx, targets));
  RETURN_IF_ERROR(mutate(tx));
  entry.time = ledger.Now();
  entry.actor = actor.name;
  entry.token_id = actor.token_id;
  entry.method = std::string(method);
  entry.request = AuditRequestJson(request);
  if (targets.task_ids.empty() && targets.unit_id == 0) {
    entry.target = TargetFromResponse(response);
    if (absl::StartsWith(method, "Create")) {
      ASSIGN_OR_RETURN(entry.after, CreatedSnapshot(tx, entry.target));
    }
    if (entry.after.empty()) entry.after = AuditMessageJson(response);
  } else {
    entry.target = targets.name;
    ASSIGN_OR_RETURN(audit::Snapshot after, SnapshotTargets(tx, targets));
    audit::ChangeText change = audit::DescribeChange(before, after);
    entry.before = std::move(change.before);
    entry.after = std::move(change.after);
  }
  return audit::Append(tx, std::move(entry)).status();
}

}  // namespace

bool PercentDecode(absl::string_view in, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out->push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return false;
    const int hi = HexValue(in[i + 1]);
    const int lo = HexValue(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

absl::StatusOr<Actor> ActorFromContext(const grpc::ServerContext& context) {
  return CallActor(context);
}

absl::Status RunMutation(const Ledger& ledger, const Actor& actor, absl::string_view method,
                         const std::string& request_id, const google::protobuf::Message& request,
                         google::protobuf::Message* response,
                         const std::function<absl::Status(WriteTxn&)>& mutate) {
  RETURN_IF_ERROR(CheckRequestId(request_id));
  const std::function<absl::Status(WriteTxn&)> audited = [&](WriteTxn& tx) {
    return MutateAudited(ledger, actor, method, request, *response, mutate, tx);
  };
  absl::Status status;
  if (request_id.empty()) {
    status = ledger.store()->Write(audited);
  } else {
    // The token is part of the fingerprint: a request_id replayed by another principal is a
    // different request (ALREADY_EXISTS), never a way to read someone else's stored answer.
    status = RunRecorded(*ledger.store(), absl::StrCat(method, "#", actor.token_id), request_id,
                         request, response, audited, ledger.Now());
  }
  if (status.ok()) ledger.NotifyChanged();
  return status;
}

absl::Status RunRecorded(Store& store, absl::string_view method, const std::string& request_id,
                         const google::protobuf::Message& request,
                         google::protobuf::Message* response,
                         const std::function<absl::Status(WriteTxn&)>& mutate, absl::Time now) {
  const std::string fingerprint = Fingerprint(method, request);
  return store.Write([&](WriteTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(absl::optional<StoredRequest> seen, tx.FindRequest(request_id));
    if (seen.has_value()) {
      if (seen->fingerprint != fingerprint) {
        return absl::AlreadyExistsError(
            absl::StrCat("request_id “", request_id, "” 已用于另一个不同的请求 / request_id \"",
                         request_id, "\" was already used for a different request"));
      }
      if (!response->ParseFromString(seen->response)) {
        return absl::DataLossError("已保存的应答无法解析 / the stored response does not parse");
      }
      return absl::OkStatus();
    }
    RETURN_IF_ERROR(mutate(tx));
    StoredRequest record;
    record.request_id = request_id;
    record.fingerprint = fingerprint;
    record.response = response->SerializeAsString();
    record.time = now;
    return tx.SaveRequest(record);
  });
}

}  // namespace rectify::api
