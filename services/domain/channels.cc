#include "services/domain/channels.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"
#include "services/common/text.h"

namespace rectify {
namespace {

constexpr size_t kMaxUrlBytes = 1000;
constexpr size_t kMaxSecretBytes = 200;
constexpr size_t kMaxRecipients = 20;

bool Printable(const std::string& s) {
  for (unsigned char c : s) {
    if (c <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

// local@domain with one '@', something on each side, a dot in the domain, no spaces, no
// angle brackets or commas (a header must not be injected through it).
bool LooksLikeAddress(const std::string& a) {
  const size_t at = a.find('@');
  if (at == std::string::npos || at == 0 || at + 1 >= a.size()) return false;
  if (a.find('@', at + 1) != std::string::npos) return false;
  if (a.find('.', at) == std::string::npos) return false;
  for (char c : a) {
    if (c == '<' || c == '>' || c == ',' || c == ';' || c == '"') return false;
  }
  return Printable(a);
}

}  // namespace

absl::Status ValidateChannel(const NotifyChannel& c) {
  if (static_cast<int>(c.kind) < 1 || static_cast<int>(c.kind) > kMaxChannelKind) {
    return InvalidField("kind", "须为 WECOM、DINGTALK、FEISHU 或 EMAIL",
                        "must be WECOM, DINGTALK, FEISHU or EMAIL");
  }
  RETURN_IF_ERROR(CheckText("name", c.name, 1, 50, /*multiline=*/false));
  const bool mail = c.kind == ChannelKind::kEmail;
  if (c.url.empty() || c.url.size() > kMaxUrlBytes || !Printable(c.url)) {
    return InvalidField("url", "必填，不超过 1000 字节，不能含空格或控制字符",
                        "is required, at most 1000 bytes, without spaces or control characters");
  }
  if (mail) {
    if (!absl::StartsWith(c.url, "smtp://") && !absl::StartsWith(c.url, "smtps://")) {
      return InvalidField("url", "邮件渠道须为 smtp://主机:端口 或 smtps://主机:端口",
                          "of a mail channel must be smtp://host:port or smtps://host:port");
    }
  } else if (!absl::StartsWith(c.url, "https://") && !absl::StartsWith(c.url, "http://")) {
    return InvalidField("url", "机器人的 Webhook 地址须以 https:// 或 http:// 开头",
                        "of a robot's webhook must start with https:// or http://");
  }
  if (c.secret.size() > kMaxSecretBytes || (!c.secret.empty() && !Printable(c.secret))) {
    return InvalidField("secret", "不超过 200 字节，不能含空格或控制字符",
                        "must be at most 200 bytes, without spaces or control characters");
  }
  if (mail) {
    if (!LooksLikeAddress(c.from)) {
      return InvalidField("mail_from", "须为一个邮件地址", "must be one mail address");
    }
    if (c.to.empty() || c.to.size() > kMaxRecipients) {
      return InvalidField("mail_to", "须有 1 至 20 个收件地址", "must have 1 to 20 addresses");
    }
    for (const std::string& to : c.to) {
      if (!LooksLikeAddress(to)) {
        return InvalidField("mail_to", "含有不是邮件地址的一项",
                            "has an item that is not an address");
      }
    }
    if (c.user.size() > kMaxSecretBytes || (!c.user.empty() && !Printable(c.user))) {
      return InvalidField("smtp_user", "不超过 200 字节，不能含空格",
                          "must be at most 200 bytes, without spaces");
    }
  } else if (!c.from.empty() || !c.to.empty() || !c.user.empty()) {
    return InvalidField("mail_to", "只适用于邮件渠道", "applies to mail channels only");
  }
  if (c.lang != "zh" && c.lang != "en") {
    return InvalidField("lang", "须为 zh 或 en", "must be zh or en");
  }
  return absl::OkStatus();
}

}  // namespace rectify
