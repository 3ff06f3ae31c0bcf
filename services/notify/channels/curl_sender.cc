// The Sender over libcurl (Debian's libcurl4-openssl-dev): HTTPS for the robots, SMTP with
// STARTTLS or implicit TLS for mail, one library for both.
#include <curl/curl.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/call_once.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "services/notify/channels/channel.h"
#include "services/notify/channels/internal/answer.h"
#include "services/notify/channels/internal/scrub.h"

namespace rectify::notify {
namespace {

// An answer bigger than this is not a robot's: keep only its start.
constexpr size_t kMaxAnswerBytes = 64 * 1024;

absl::once_flag curl_init_once;

struct CurlDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

void Append(Slist& list, const std::string& item) {
  curl_slist* grown = curl_slist_append(list.get(), item.c_str());
  if (grown != nullptr) {
    list.release();
    list.reset(grown);
  }
}

size_t CollectBody(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  const size_t bytes = size * count;
  if (body->size() < kMaxAnswerBytes) {
    body->append(data, std::min(bytes, kMaxAnswerBytes - body->size()));
  }
  return bytes;
}

size_t CollectRetryAfter(char* data, size_t size, size_t count, void* user) {
  const size_t bytes = size * count;
  absl::string_view line(data, bytes);
  constexpr absl::string_view kName = "retry-after:";
  if (line.size() > kName.size() && absl::StartsWithIgnoreCase(line, kName)) {
    *static_cast<std::string*>(user) =
        std::string(absl::StripAsciiWhitespace(line.substr(kName.size())));
  }
  return bytes;
}

struct Upload {
  absl::string_view rest;
};

size_t ReadUpload(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t n = std::min(size * count, upload->rest.size());
  std::copy_n(upload->rest.data(), n, buffer);
  upload->rest.remove_prefix(n);
  return n;
}

std::string CurlError(CURLcode code, const char* buffer) {
  if (code == CURLE_OPERATION_TIMEDOUT) return "超时 / timed out";
  return buffer[0] != '\0' ? std::string(buffer) : std::string(curl_easy_strerror(code));
}

SendResult Rejected(std::string detail) {
  SendResult result;
  result.outcome = Outcome::kRejected;
  result.detail = std::move(detail);
  return result;
}

// An address fit for an SMTP envelope and a header: one line, one "@", no brackets.
bool IsPlainAddress(absl::string_view address) {
  if (address.empty() || address.size() > 254) return false;
  if (std::count(address.begin(), address.end(), '@') != 1) return false;
  return std::none_of(address.begin(), address.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f || c == '<' || c == '>' || c == ',' || c == '"';
  });
}

// Configuration errors that no retry fixes, found before anything is sent.
absl::optional<SendResult> CheckChannel(const ChannelConfig& channel) {
  const bool mail = channel.kind == ChannelKind::kEmail;
  const bool scheme_ok =
      mail
          ? (absl::StartsWith(channel.url, "smtp://") || absl::StartsWith(channel.url, "smtps://"))
          : (absl::StartsWith(channel.url, "https://") || absl::StartsWith(channel.url, "http://"));
  if (!scheme_ok) {
    return Rejected(mail ? "渠道地址须为 smtp:// 或 smtps:// / url must be smtp:// or smtps://"
                         : "渠道地址须为 https:// 或 http:// / url must be https:// or http://");
  }
  if (!mail) return absl::nullopt;
  if (!IsPlainAddress(channel.from)) {
    return Rejected("发件人地址无效 / invalid address: from");
  }
  if (channel.to.empty()) return Rejected("收件人为空 / no recipients: to");
  for (size_t i = 0; i < channel.to.size(); ++i) {
    if (!IsPlainAddress(channel.to[i])) {
      return Rejected(absl::StrCat("收件人地址无效 / invalid address: to[", i, "]"));
    }
  }
  return absl::nullopt;
}

class CurlSender final : public Sender {
 public:
  explicit CurlSender(CurlSenderOptions options) : options_(options), no_proxy_(NoProxyList()) {}

  SendResult Send(const ChannelConfig& channel, const Message& message, int first_part,
                  absl::Time now) override {
    const std::vector<std::string> parts = RenderParts(channel, message, now);
    SendResult result;
    result.parts_total = static_cast<int>(parts.size());
    if (first_part < 0) {
      result.outcome = Outcome::kRejected;
      result.detail = "起始分段无效 / invalid first_part";
      return result;
    }
    if (absl::optional<SendResult> bad = CheckChannel(channel)) {
      bad->parts_total = result.parts_total;
      return *bad;
    }
    const std::string url = RequestUrl(channel, now);
    for (size_t k = static_cast<size_t>(first_part); k < parts.size(); ++k) {
      SendResult one = channel.kind == ChannelKind::kEmail ? SendMail(channel, parts[k])
                                                           : PostRobot(channel, url, parts[k], now);
      if (one.outcome != Outcome::kDelivered) {
        one.parts_sent = result.parts_sent;
        one.parts_total = result.parts_total;
        if (parts.size() > 1) {
          one.detail = absl::StrCat("第 ", k + 1, "/", parts.size(), " 段 / part ", k + 1, "/",
                                    parts.size(), ": ", one.detail);
        }
        one.detail = internal::Scrub(one.detail, channel);
        return one;
      }
      ++result.parts_sent;
    }
    return result;
  }

 private:
  void SetCommon(CURL* curl, const std::string& url, char* error_buffer) const {
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    // A proxy from the environment (http_proxy, https_proxy) is used, as an office network may
    // need one to reach the robots; never for this machine itself, whatever no_proxy says.
    curl_easy_setopt(curl, CURLOPT_NOPROXY, no_proxy_.c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(absl::ToInt64Milliseconds(options_.connect_timeout)));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                     static_cast<long>(absl::ToInt64Milliseconds(options_.timeout)));
  }

  SendResult PostRobot(const ChannelConfig& channel, const std::string& url,
                       const std::string& body, absl::Time now) const {
    CurlHandle curl(curl_easy_init());
    if (!curl) return Rejected("libcurl 初始化失败 / libcurl init failed");
    char error_buffer[CURL_ERROR_SIZE] = {0};
    SetCommon(curl.get(), url, error_buffer);
    curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl.get(), CURLOPT_POST, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    Slist headers;
    Append(headers, "Content-Type: application/json; charset=utf-8");
    Append(headers, "Expect:");  // no 100-continue round trip for a few kilobytes
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, "rectifyd");
    std::string answer;
    std::string retry_after;
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, CollectBody);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(curl.get(), CURLOPT_HEADERFUNCTION, CollectRetryAfter);
    curl_easy_setopt(curl.get(), CURLOPT_HEADERDATA, &retry_after);
    const CURLcode code = curl_easy_perform(curl.get());
    if (code != CURLE_OK) {
      SendResult result;
      result.outcome = Outcome::kRetry;
      result.detail = "网络错误 / network error: " + CurlError(code, error_buffer);
      return result;
    }
    long status = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    return internal::ClassifyRobotAnswer(channel.kind, status, answer, retry_after, now);
  }

  SendResult SendMail(const ChannelConfig& channel, const std::string& message) const {
    CurlHandle curl(curl_easy_init());
    if (!curl) return Rejected("libcurl 初始化失败 / libcurl init failed");
    char error_buffer[CURL_ERROR_SIZE] = {0};
    SetCommon(curl.get(), channel.url, error_buffer);
    curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    // smtp:// upgrades with STARTTLS when the server offers it; smtps:// is TLS from the start.
    curl_easy_setopt(curl.get(), CURLOPT_USE_SSL,
                     absl::StartsWith(channel.url, "smtps://") ? static_cast<long>(CURLUSESSL_ALL)
                                                               : static_cast<long>(CURLUSESSL_TRY));
    const std::string from = "<" + channel.from + ">";
    curl_easy_setopt(curl.get(), CURLOPT_MAIL_FROM, from.c_str());
    Slist recipients;
    for (const std::string& to : channel.to) Append(recipients, "<" + to + ">");
    curl_easy_setopt(curl.get(), CURLOPT_MAIL_RCPT, recipients.get());
    if (!channel.user.empty()) {
      curl_easy_setopt(curl.get(), CURLOPT_USERNAME, channel.user.c_str());
      curl_easy_setopt(curl.get(), CURLOPT_PASSWORD, channel.secret.c_str());
    }
    Upload upload{message};
    curl_easy_setopt(curl.get(), CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_READFUNCTION, ReadUpload);
    curl_easy_setopt(curl.get(), CURLOPT_READDATA, &upload);
    curl_easy_setopt(curl.get(), CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
    const CURLcode code = curl_easy_perform(curl.get());
    long reply = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &reply);
    if (code == CURLE_OK) return internal::ClassifySmtpAnswer(reply == 0 ? 250 : reply, "");
    return internal::ClassifySmtpAnswer(reply, CurlError(code, error_buffer));
  }

  // Constant after construction.
  // The environment's no_proxy (or NO_PROXY) with loopback added.
  static std::string NoProxyList() {
    const char* env = std::getenv("no_proxy");
    if (env == nullptr || *env == '\0') env = std::getenv("NO_PROXY");
    std::string list = env == nullptr ? "" : env;
    if (!list.empty()) list += ",";
    return list + "127.0.0.1,localhost,::1";
  }

  const CurlSenderOptions options_;
  const std::string no_proxy_;
};

}  // namespace

std::unique_ptr<Sender> NewCurlSender(CurlSenderOptions options) {
  // curl_global_init is not thread-safe: once, before the first handle.
  absl::call_once(curl_init_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  return std::make_unique<CurlSender>(options);
}

}  // namespace rectify::notify
