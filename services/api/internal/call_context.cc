#include "services/api/internal/call_context.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "services/api/internal/audit_record.h"
#include "services/api/internal/auth_interceptor.h"
#include "services/app/unit_of_work.h"
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

absl::StatusOr<Actor> ActorFromContext(const grpc::ServerContext& context) {
  return CallActor(context);
}

absl::Status RunMutation(const Ledger& ledger, const Actor& actor, absl::string_view method,
                         const std::string& request_id, const google::protobuf::Message& request,
                         google::protobuf::Message* response,
                         const std::function<absl::Status(WriteTxn&)>& mutate) {
  ProtoChange change(method, request_id, request, response, mutate);
  return app::Run(ledger, actor, change);
}

}  // namespace rectify::api
