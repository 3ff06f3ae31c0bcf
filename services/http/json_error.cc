#include "services/http/json_error.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace rectify::http {
namespace {

// A field path as our messages write it: "percent", "rows[2].deadline", "evidence.content".
bool LooksLikeField(absl::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '[' &&
        c != ']') {
      return false;
    }
  }
  return absl::ascii_isalpha(static_cast<unsigned char>(s[0]));
}

}  // namespace

int HttpStatusOf(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return 200;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
      return 400;
    case grpc::StatusCode::UNAUTHENTICATED:
      return 401;
    case grpc::StatusCode::PERMISSION_DENIED:
      return 403;
    case grpc::StatusCode::NOT_FOUND:
      return 404;
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED:
      return 409;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 429;
    case grpc::StatusCode::CANCELLED:
      return 499;
    case grpc::StatusCode::UNIMPLEMENTED:
      return 501;
    case grpc::StatusCode::UNAVAILABLE:
      return 503;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return 504;
    default:
      return 500;
  }
}

const char* CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return "UNKNOWN";
  }
}

SplitMessage SplitBilingual(absl::string_view message) {
  SplitMessage out;
  const size_t sep = message.find(" / ");
  if (sep == absl::string_view::npos) {
    out.zh = out.en = std::string(message);
  } else {
    out.zh = std::string(message.substr(0, sep));
    out.en = std::string(message.substr(sep + 3));
  }
  const size_t colon = message.find(": ");
  if (colon != absl::string_view::npos && LooksLikeField(message.substr(0, colon))) {
    out.field = std::string(message.substr(0, colon));
  }
  return out;
}

std::string ErrorJson(const grpc::Status& status, absl::string_view field) {
  SplitMessage split = SplitBilingual(status.error_message());
  if (!field.empty()) split.field = std::string(field);
  // Built as a Struct so that protobuf's own writer escapes the text.
  google::protobuf::Struct body;
  auto& fields = *body.mutable_fields();
  fields["code"].set_string_value(CodeName(status.error_code()));
  fields["message"].set_string_value(status.error_message());
  fields["messageZh"].set_string_value(split.zh);
  fields["messageEn"].set_string_value(split.en);
  if (!split.field.empty()) fields["field"].set_string_value(split.field);
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(body, &json).ok()) {
    return absl::StrCat("{\"code\":\"", CodeName(status.error_code()), "\"}");
  }
  return json;
}

}  // namespace rectify::http
