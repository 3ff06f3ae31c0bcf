#include "services/http/gateway.h"

#include <openssl/crypto.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "services/auth/token_secret.h"
#include "services/auth/web_sessions.h"
#include "services/http/json_error.h"

namespace rectify::http {

bool StreamRegistry::Add(ServerStream* stream) {
  absl::MutexLock lock(&mu_);
  if (stopping_) return false;
  streams_.insert(stream);
  return true;
}

void StreamRegistry::Remove(ServerStream* stream) {
  absl::MutexLock lock(&mu_);
  streams_.erase(stream);
}

void StreamRegistry::CancelAll() {
  absl::MutexLock lock(&mu_);
  stopping_ = true;
  for (ServerStream* stream : streams_) stream->Cancel();
}

bool StreamRegistry::stopping() const {
  absl::MutexLock lock(&mu_);
  return stopping_;
}

std::string CookieValue(const httplib::Request& req, const std::string& name) {
  // Several Cookie headers may arrive (HTTP/1.1 allows it from some clients); look in each.
  const size_t count = req.get_header_value_count("Cookie");
  for (size_t i = 0; i < count; ++i) {
    for (absl::string_view part : absl::StrSplit(req.get_header_value("Cookie", i), ';')) {
      part = absl::StripAsciiWhitespace(part);
      if (absl::StartsWith(part, name) && part.size() > name.size() && part[name.size()] == '=') {
        return std::string(part.substr(name.size() + 1));
      }
    }
  }
  return "";
}

grpc::Status CallerMetadata(const httplib::Request& req, CallMetadata* metadata) {
  metadata->clear();
  const std::string authorization = req.get_header_value("Authorization");
  if (!authorization.empty()) {
    // Scripts: the bearer token goes through untouched; no cookie, so no CSRF to fear.
    metadata->emplace_back(auth::kAuthorizationKey, authorization);
    return grpc::Status::OK;
  }
  const std::string session = CookieValue(req, kSessionCookie);
  if (session.empty()) return grpc::Status::OK;
  if (req.method != "GET" && req.method != "HEAD") {
    const std::string expected = auth::CsrfTokenFor(session);
    const std::string given = req.get_header_value(kCsrfHeader);
    if (given.size() != expected.size() ||
        CRYPTO_memcmp(given.data(), expected.data(), expected.size()) != 0) {
      return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                          "X-CSRF-Token: 缺少或不匹配，请刷新页面后重试 / X-CSRF-Token: missing or "
                          "wrong; reload the page and try again");
    }
  }
  metadata->emplace_back(auth::kAuthorizationKey, absl::StrCat(auth::kSessionScheme, session));
  return grpc::Status::OK;
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(message, &json, options).ok()) return "{}";
  return json;
}

grpc::Status FromJson(const std::string& body, google::protobuf::Message* message,
                      std::string* field) {
  field->clear();
  if (absl::StripAsciiWhitespace(body).empty()) return grpc::Status::OK;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto parsed = google::protobuf::util::JsonStringToMessage(body, message, options);
  if (parsed.ok()) return grpc::Status::OK;
  // protobuf 3.21 says "<location> <name>: Cannot find field." or "<path>: invalid value …":
  // the part before the first ": ", its spaces read as dots, is the field's path.
  const std::string detail(parsed.message().data(), parsed.message().size());
  const size_t colon = detail.find(": ");
  if (colon != std::string::npos) {
    std::string path = detail.substr(0, colon);
    std::replace(path.begin(), path.end(), ' ', '.');
    *field = SplitBilingual(path + ": x").field;
  }
  const std::string zh = field->empty()
                             ? "请求的 JSON 无法解析"
                             : absl::StrCat(*field, ": 无法解析（字段不存在或取值类型不对）");
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                      absl::StrCat(zh, " / the request JSON does not parse: ", detail));
}

void ReplyJson(httplib::Response& res, int http_status, const std::string& json) {
  res.status = http_status;
  res.set_content(json, "application/json; charset=utf-8");
}

void ReplyError(httplib::Response& res, const grpc::Status& status, const std::string& field) {
  ReplyJson(res, HttpStatusOf(status.error_code()), ErrorJson(status, field));
}

}  // namespace rectify::http
