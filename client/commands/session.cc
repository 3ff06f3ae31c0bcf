#include "client/commands/session.h"

#include <cstdlib>
#include <utility>

#include "client/commands/cli_errors.h"
#include "client/output/format.h"
#include "client/output/json.h"
#include "client/rpc/exit_codes.h"
#include "client/rpc/retry.h"
#include "client/rpc/tls.h"
#include "services/common/civil.h"

namespace rectify::client {
namespace {

constexpr char kErrorPrefix[] = "错误: ";

}  // namespace

Session::Session(GlobalOptions options, std::ostream& out, std::ostream& err)
    : options_(std::move(options)),
      out_(out),
      err_(err),
      lang_(options_.lang == "en" ? Lang::kEn : Lang::kZh),
      zone_(absl::UTCTimeZone()) {
  const char* env = std::getenv("RECTIFY_TZ");
  const std::string name = env != nullptr && *env != '\0' ? env : kDefaultZone;
  auto zone = LoadZone(name);
  if (zone.ok()) {
    zone_ = *zone;
  } else if (!options_.json) {
    // Times would be wrong by hours without a word; say so, but still show the data.
    err_ << "警告: " << zone.status().message() << "; 时间按 UTC 显示 / times shown in UTC\n";
  }
}

const Connection& Session::rpc() {
  if (connection_ == nullptr) {
    // RunCli checked the files (CheckTlsOptions); plain text is the fallback if they vanished.
    auto credentials = ChannelCredentialsFor(
        TlsClientFiles{options_.ca_file, options_.cert_file, options_.key_file});
    connection_ = std::make_unique<Connection>(
        options_.server, options_.token, options_.timeout_seconds,
        credentials.ok() ? *credentials : grpc::InsecureChannelCredentials());
  }
  return *connection_;
}

grpc::Status Session::Call(const std::function<grpc::Status(grpc::ClientContext*)>& fn) {
  RetryHooks hooks;
  hooks.sleep = [this](absl::Duration pause) { rpc().PauseBeforeRetry(pause); };
  hooks.permanent = [](const grpc::Status& status) { return LooksLikeTlsFailure(status); };
  return CallWithRetry(
      RetryPolicy::ForTimeout(options_.timeout_seconds),
      [&](int) {
        auto context = rpc().NewContext();
        return fn(context.get());
      },
      [&](const RetryNotice& notice) { err_ << RetryMessage(notice) << std::endl; }, hooks);
}

int Session::Fail(const grpc::Status& status) {
  err_ << ErrorPrefix()
       << PickLang(DescribeCallError(status, options_.server, options_.timeout_seconds), lang_)
       << "\n";
  // With TLS 1.3 a missing client certificate surfaces as a closed connection, not an SSL error:
  // over TLS any connection failure (not a bilingual "busy" from rectifyd) gets the hint too.
  const bool tls_unavailable = !options_.ca_file.empty() &&
                               status.error_code() == grpc::StatusCode::UNAVAILABLE &&
                               status.error_message().find(" / ") == std::string::npos;
  if (LooksLikeTlsFailure(status) || tls_unavailable) {
    err_ << PickLang(TlsFailureHint(), lang_) << "\n";
  }
  return ExitCodeFor(status.error_code());
}

const char* Session::ErrorPrefix() const { return lang_ == Lang::kEn ? "error: " : kErrorPrefix; }

int Session::FailUsage(const std::string& message) {
  err_ << ErrorPrefix() << PickLang(message, lang_) << "\n";
  return kExitUsage;
}

void Session::Note(const std::string& text) { err_ << text << "\n"; }

int Session::Show(const google::protobuf::Message& message,
                  const std::function<std::string()>& human) {
  if (!options_.json) {
    out_ << human() << std::flush;
    return kExitOk;
  }
  auto json = ToJson(message);
  if (!json.ok()) {
    err_ << kErrorPrefix << "无法输出 JSON / cannot print JSON: " << json.status().message()
         << "\n";
    return kExitOther;
  }
  out_ << *json << std::flush;
  return kExitOk;
}

std::string CheckTlsOptions(const GlobalOptions& options) {
  auto credentials =
      ChannelCredentialsFor(TlsClientFiles{options.ca_file, options.cert_file, options.key_file});
  return credentials.ok() ? "" : std::string(credentials.status().message());
}

}  // namespace rectify::client
