// The vendors' answers.
//
// WeCom: {"errcode":0,"errmsg":"ok"}; 45009 "api freq out of limit"; 93000 "invalid webhook
//   url"; -1 "system busy" (https://developer.work.weixin.qq.com/document/path/90313).
// DingTalk: {"errcode":0,"errmsg":"ok"}; 130101 "send too fast, exceed 20 times per minute"
//   (the robot is then throttled for 10 minutes); 310000 keyword/sign/IP not allowed; 300001
//   bad token; -1 system busy (https://open.dingtalk.com/document/robots/custom-robot-access).
// Feishu: {"code":0,"msg":"success"} (older bots: {"StatusCode":0,"StatusMessage":"success"});
//   11232 and 9499 frequency limited; 19021 bad signature, 19022 IP, 19024 keyword
//   (https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot).
#include "services/notify/channels/internal/answer.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <cstdlib>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/types/optional.h"

namespace rectify::notify::internal {
namespace {

// DingTalk throttles a robot that sent too fast for 10 minutes and says so only in its docs.
constexpr absl::Duration kDingTalkThrottle = absl::Minutes(10);

struct VendorAnswer {
  absl::optional<long> code;
  std::string message;
};

VendorAnswer ParseVendorAnswer(absl::string_view body) {
  VendorAnswer answer;
  google::protobuf::Struct parsed;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  if (!google::protobuf::util::JsonStringToMessage(std::string(body), &parsed, options).ok()) {
    return answer;
  }
  const auto& fields = parsed.fields();
  for (const char* name : {"errcode", "code", "StatusCode"}) {
    auto it = fields.find(name);
    if (it != fields.end() && it->second.kind_case() == google::protobuf::Value::kNumberValue) {
      answer.code = static_cast<long>(it->second.number_value());
      break;
    }
  }
  for (const char* name : {"errmsg", "msg", "StatusMessage"}) {
    auto it = fields.find(name);
    if (it != fields.end() && it->second.kind_case() == google::protobuf::Value::kStringValue) {
      answer.message = it->second.string_value();
      break;
    }
  }
  return answer;
}

bool IsRateLimitCode(ChannelKind kind, long code) {
  switch (kind) {
    case ChannelKind::kWeCom:
      return code == 45009;
    case ChannelKind::kDingTalk:
      return code == 130101;
    case ChannelKind::kFeishu:
      return code == 11232 || code == 9499;
    case ChannelKind::kEmail:
      break;
  }
  return false;
}

// Vendor codes that say "busy, try again" rather than "no".
bool IsTransientCode(long code) { return code == -1; }

std::string Describe(long status, const VendorAnswer& answer) {
  std::string text = absl::StrCat("HTTP ", status);
  if (answer.code.has_value()) absl::StrAppend(&text, ", code ", *answer.code);
  if (!answer.message.empty()) {
    // A vendor's message is one short line; a long or multi-line body is not worth quoting.
    std::string message = answer.message.substr(0, 200);
    for (char& c : message) {
      if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    }
    absl::StrAppend(&text, ": ", message);
  }
  return text;
}

SendResult Result(Outcome outcome, std::string detail) {
  SendResult result;
  result.outcome = outcome;
  result.detail = std::move(detail);
  return result;
}

}  // namespace

absl::Duration ParseRetryAfter(absl::string_view value, absl::Time now) {
  value = absl::StripAsciiWhitespace(value);
  if (value.empty()) return absl::ZeroDuration();
  int64_t seconds = 0;
  if (absl::SimpleAtoi(value, &seconds)) {
    return seconds > 0 ? absl::Seconds(seconds) : absl::ZeroDuration();
  }
  absl::Time when;
  std::string error;
  if (absl::ParseTime("%a, %d %b %Y %H:%M:%S GMT", std::string(value), &when, &error) &&
      when > now) {
    return when - now;
  }
  return absl::ZeroDuration();
}

SendResult ClassifyRobotAnswer(ChannelKind kind, long status, absl::string_view body,
                               absl::string_view retry_after, absl::Time now) {
  const VendorAnswer answer = ParseVendorAnswer(body);
  const std::string what = Describe(status, answer);
  if (status == 429 || (answer.code.has_value() && IsRateLimitCode(kind, *answer.code))) {
    SendResult result = Result(Outcome::kRateLimited, "发送过快，渠道限流 / rate limited: " + what);
    result.retry_after = ParseRetryAfter(retry_after, now);
    if (result.retry_after == absl::ZeroDuration() && kind == ChannelKind::kDingTalk &&
        status != 429) {
      result.retry_after = kDingTalkThrottle;
    }
    return result;
  }
  if (status >= 500) {
    return Result(Outcome::kRetry, "渠道服务暂不可用 / channel unavailable: " + what);
  }
  if (status < 200 || status >= 300) {
    return Result(Outcome::kRejected, "渠道拒绝了消息 / channel rejected the message: " + what);
  }
  if (!answer.code.has_value()) {
    // A 2xx without the vendor's answer is a proxy or portal page, not the robot.
    return Result(Outcome::kRetry, "渠道应答无法识别 / unrecognised answer: " + what);
  }
  if (*answer.code == 0) return Result(Outcome::kDelivered, "");
  if (IsTransientCode(*answer.code)) {
    return Result(Outcome::kRetry, "渠道繁忙 / channel busy: " + what);
  }
  return Result(Outcome::kRejected, "渠道拒绝了消息 / channel rejected the message: " + what);
}

SendResult ClassifySmtpAnswer(long code, absl::string_view error) {
  if (code >= 200 && code < 400) return Result(Outcome::kDelivered, "");
  if (code >= 500) {
    return Result(Outcome::kRejected,
                  absl::StrCat("邮件服务器拒绝 / mail server refused: SMTP ", code, ": ", error));
  }
  if (code >= 400) {
    return Result(Outcome::kRetry, absl::StrCat("邮件服务器暂时拒绝 / mail server deferred: SMTP ",
                                                code, ": ", error));
  }
  return Result(Outcome::kRetry, absl::StrCat("网络错误 / network error: ", error));
}

}  // namespace rectify::notify::internal
