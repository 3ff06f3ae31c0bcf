#include "services/api/internal/call_context.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "services/api/internal/audit_record.h"
#include "services/app/access.h"
#include "services/app/unit_of_work.h"
#include "services/auth/token_secret.h"
#include "services/common/status_macros.h"

namespace rectify::api {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Deterministic bytes of `request` without its request_id field, so that a retry matches the
// first call.
std::string PayloadBytes(const google::protobuf::Message& request) {
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
  return bytes;
}

// A gRPC request and its response as the application layer's unit of work sees them.
class ProtoChange final : public app::Change {
 public:
  ProtoChange(absl::string_view method, const std::string& request_id,
              const google::protobuf::Message& request, google::protobuf::Message* response,
              const std::function<absl::Status(WriteTxn&)>& mutate)
      : method_(method),
        request_id_(request_id),
        request_(request),
        response_(response),
        mutate_(mutate) {}

  absl::string_view use_case() const override { return method_; }
  const std::string& request_id() const override { return request_id_; }
  std::string Payload() const override { return PayloadBytes(request_); }
  std::string AuditRequest() const override { return AuditRequestJson(request_); }
  absl::StatusOr<app::AuditTargets> Targets(ReadTxn& tx) const override {
    return FindAuditTargets(tx, method_, request_);
  }
  absl::Status Apply(WriteTxn& tx) override { return mutate_(tx); }
  std::string EncodeAnswer() const override { return response_->SerializeAsString(); }
  bool DecodeAnswer(const std::string& bytes) override { return response_->ParseFromString(bytes); }
  std::string AnswerTarget() const override { return TargetFromResponse(*response_); }
  std::string AnswerAuditJson() const override { return AuditMessageJson(*response_); }

 private:
  const absl::string_view method_;
  const std::string& request_id_;
  const google::protobuf::Message& request_;
  google::protobuf::Message* const response_;
  const std::function<absl::Status(WriteTxn&)>& mutate_;
};

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

absl::StatusOr<Actor> CallerOf(const ServiceContext& context, const grpc::ServerContext& ctx,
                               absl::string_view method) {
  if (context.fixed_actor != nullptr) {
    RETURN_IF_ERROR(app::AuthorizeKnown(*context.fixed_actor, method));
    return *context.fixed_actor;
  }
  const auto& metadata = ctx.client_metadata();
  auto it = metadata.find(auth::kAuthorizationKey);
  absl::string_view value;
  if (it != metadata.end()) value = absl::string_view(it->second.data(), it->second.size());
  return app::Authorize(*context.ledger, value, method);
}

absl::Status DrainingError() {
  // Before anything is done: the call can be sent again as it is, to this server once it is
  // back or to another (a mutation with its request_id).
  return absl::UnavailableError(
      "服务器正在重启或停止，本次请求未执行，请稍后重试 / the server is restarting or stopping; "
      "this call was not run, retry it");
}

absl::Status RunMutation(const Ledger& ledger, const Actor& actor, absl::string_view method,
                         const std::string& request_id, const google::protobuf::Message& request,
                         google::protobuf::Message* response,
                         const std::function<absl::Status(WriteTxn&)>& mutate) {
  ProtoChange change(method, request_id, request, response, mutate);
  return app::Run(ledger, actor, change);
}

}  // namespace rectify::api
