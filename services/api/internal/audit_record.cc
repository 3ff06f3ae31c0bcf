#include "services/api/internal/audit_record.h"

#include <memory>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"
#include "services/auth/permissions.h"
#include "services/common/sha256.h"
#include "services/common/status_macros.h"

namespace rectify::api {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr char kRedacted[] = "[redacted]";

bool IsSecretField(const FieldDescriptor* field) {
  if (field->type() != FieldDescriptor::TYPE_STRING) return false;
  if (field->name().find("secret") != std::string::npos) return true;
  // A notification channel's webhook URL carries the robot's key or access token.
  const std::string& message = field->containing_type()->full_name();
  return field->name() == "url" && (message == "rectify.v1.CreateChannelRequest" ||
                                    message == "rectify.v1.UpdateChannelRequest");
}

std::string BytesSummary(const std::string& path, const std::string& bytes) {
  return absl::StrCat(R"({"field":")", path, R"(","size":)", bytes.size(), R"(,"sha256":")",
                      Sha256Hex(bytes), "\"}");
}

// Empties bytes fields (recording their summaries) and redacts secrets, recursively.
void Scrub(Message* m, const std::string& prefix, std::vector<std::string>* summaries) {
  const Reflection* r = m->GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(*m, &fields);
  for (const FieldDescriptor* f : fields) {
    const std::string path = prefix.empty() ? f->name() : absl::StrCat(prefix, ".", f->name());
    if (f->type() == FieldDescriptor::TYPE_BYTES) {
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(*m, f); ++i) {
          summaries->push_back(
              BytesSummary(absl::StrCat(path, "[", i, "]"), r->GetRepeatedString(*m, f, i)));
          r->SetRepeatedString(m, f, i, "");
        }
      } else {
        summaries->push_back(BytesSummary(path, r->GetString(*m, f)));
        r->ClearField(m, f);
      }
    } else if (IsSecretField(f)) {
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(*m, f); ++i) r->SetRepeatedString(m, f, i, kRedacted);
      } else {
        r->SetString(m, f, kRedacted);
      }
    } else if (f->type() == FieldDescriptor::TYPE_MESSAGE && !f->is_map()) {
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(*m, f); ++i) {
          Scrub(r->MutableRepeatedMessage(m, f, i), absl::StrCat(path, "[", i, "]"), summaries);
        }
      } else {
        Scrub(r->MutableMessage(m, f), path, summaries);
      }
    }
  }
}

std::string Json(const Message& m) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string out;
  if (!google::protobuf::util::MessageToJsonString(m, &out, options).ok()) return "{}";
  return out;
}

std::string ScrubbedJson(const Message& message, std::vector<std::string>* summaries) {
  std::unique_ptr<Message> copy(message.New());
  copy->CopyFrom(message);
  Scrub(copy.get(), "", summaries);
  return Json(*copy);
}

int64_t IdField(const Message& m, const char* name) {
  const FieldDescriptor* f = m.GetDescriptor()->FindFieldByName(name);
  if (f == nullptr || f->is_repeated() || f->cpp_type() != FieldDescriptor::CPPTYPE_INT64) return 0;
  return m.GetReflection()->GetInt64(m, f);
}

}  // namespace

std::string AuditRequestJson(const Message& request) {
  std::vector<std::string> summaries;
  std::string json = ScrubbedJson(request, &summaries);
  if (summaries.empty()) return absl::StrCat(R"({"request":)", json, "}");
  return absl::StrCat(R"({"request":)", json, R"(,"bytes":[)", absl::StrJoin(summaries, ","), "]}");
}

std::string AuditMessageJson(const Message& message) {
  std::vector<std::string> summaries;
  std::string json = ScrubbedJson(message, &summaries);
  if (summaries.empty()) return json;
  return absl::StrCat(R"({"message":)", json, R"(,"bytes":[)", absl::StrJoin(summaries, ","), "]}");
}

absl::StatusOr<app::AuditTargets> FindAuditTargets(ReadTxn& tx, absl::string_view method,
                                                   const Message& request) {
  app::AuditTargets t;
  const auth::MethodRule* rule = auth::FindMethodRuleByRpc(method);
  if (rule == nullptr) return t;
  switch (rule->audit) {
    case auth::AuditTarget::kAnswer:
      break;
    case auth::AuditTarget::kTask: {
      const Id id = IdField(request, "id");
      if (id != 0) {
        t.task_ids.push_back(id);
        t.name = absl::StrCat("task/", id);
      }
      break;
    }
    case auth::AuditTarget::kExtensionTask: {
      absl::StatusOr<ExtensionRequest> ext = tx.GetExtension(IdField(request, "extension_id"));
      // A missing extension fails the mutation itself, which then records nothing.
      if (ext.ok()) {
        t.task_ids.push_back(ext->task_id);
        t.name = absl::StrCat("task/", ext->task_id);
      }
      break;
    }
    case auth::AuditTarget::kUnit:
      t.unit_id = IdField(request, "id");
      t.name = absl::StrCat("unit/", t.unit_id);
      break;
    case auth::AuditTarget::kTaskRows: {
      const FieldDescriptor* rows = request.GetDescriptor()->FindFieldByName("rows");
      if (rows != nullptr && rows->is_repeated() &&
          rows->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        const Reflection* r = request.GetReflection();
        for (int i = 0; i < r->FieldSize(request, rows); ++i) {
          const Id id = IdField(r->GetRepeatedMessage(request, rows, i), "id");
          if (id != 0) t.task_ids.push_back(id);
        }
        t.name = absl::StrCat("tasks/", absl::StrJoin(t.task_ids, ","));
      }
      break;
    }
  }
  return t;
}

std::string TargetFromResponse(const Message& response) {
  const Message* m = &response;
  if (IdField(*m, "id") == 0) {
    // ImportReviewResponse, CreateTokenResponse and the like: the created object is the
    // response's first singular message field that has an id (review, token).
    const google::protobuf::Descriptor* d = m->GetDescriptor();
    const Message* found = nullptr;
    for (int i = 0; i < d->field_count() && found == nullptr; ++i) {
      const FieldDescriptor* f = d->field(i);
      if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || f->is_repeated()) continue;
      const Message& sub = m->GetReflection()->GetMessage(*m, f);
      if (IdField(sub, "id") != 0) found = &sub;
    }
    if (found == nullptr) return "";
    m = found;
  }
  const int64_t id = IdField(*m, "id");
  if (id == 0) return "";
  std::string kind = absl::AsciiStrToLower(m->GetDescriptor()->name());
  // The API's ApiToken is the audit trail's token (docs/security.md: "token/<id>").
  if (kind == "apitoken") kind = "token";
  return absl::StrCat(kind, "/", id);
}

}  // namespace rectify::api
