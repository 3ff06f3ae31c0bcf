// The group robots' request bodies.
//
// WeCom (企业微信群机器人), https://developer.work.weixin.qq.com/document/path/91770:
//   {"msgtype":"markdown","markdown":{"content":"..."}}, content at most 4096 bytes of UTF-8.
// DingTalk custom robot (钉钉自定义机器人),
//   https://open.dingtalk.com/document/robots/custom-robot-access and
//   https://open.dingtalk.com/document/orgapp/customize-robot-security-settings:
//   {"msgtype":"markdown","markdown":{"title":"...","text":"..."}}; with 加签 the URL gets
//   &timestamp=<ms>&sign=<urlencode(base64(HmacSHA256(secret, ms + "\n" + secret)))>.
// Feishu/Lark custom bot (飞书自定义机器人),
//   https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot:
//   {"msg_type":"text","content":{"text":"..."}}, the body at most 20 KB; with a signing
//   secret "timestamp" (seconds) and "sign" (base64(HmacSHA256(key=ts + "\n" + secret, ""))) in
//   the body.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/notify/channels/channel.h"
#include "services/notify/channels/internal/encoding.h"
#include "services/notify/channels/internal/formats.h"
#include "services/notify/channels/internal/split.h"

namespace rectify::notify::internal {
namespace {

constexpr char kDetailsLabel[] = "详情 / Details";

// Markdown for WeCom and DingTalk: a heading, the lines, the link. DingTalk's markdown joins
// lines of a paragraph, so its lines end in a hard break ("  \n").
std::string MarkdownText(ChannelKind kind, const std::string& title,
                         const std::vector<std::string>& lines, const std::string& link) {
  const char* separator = kind == ChannelKind::kDingTalk ? "  \n" : "\n";
  std::string text = absl::StrCat("### ", title, "\n\n", absl::StrJoin(lines, separator));
  if (!link.empty()) absl::StrAppend(&text, "\n\n[", kDetailsLabel, "](", link, ")");
  return text;
}

std::string PlainText(const std::string& title, const std::vector<std::string>& lines,
                      const std::string& link) {
  std::string text = title;
  for (const std::string& line : lines) absl::StrAppend(&text, "\n", line);
  if (!link.empty()) absl::StrAppend(&text, "\n", kDetailsLabel, ": ", link);
  return text;
}

std::string Body(const ChannelConfig& channel, const std::string& title,
                 const std::vector<std::string>& lines, const std::string& link, absl::Time now) {
  switch (channel.kind) {
    case ChannelKind::kWeCom:
      return absl::StrCat(R"({"msgtype":"markdown","markdown":{"content":)",
                          JsonString(MarkdownText(channel.kind, title, lines, link)), "}}");
    case ChannelKind::kDingTalk:
      return absl::StrCat(R"({"msgtype":"markdown","markdown":{"title":)", JsonString(title),
                          R"(,"text":)", JsonString(MarkdownText(channel.kind, title, lines, link)),
                          "}}");
    case ChannelKind::kFeishu: {
      std::string body = "{";
      if (!channel.secret.empty()) {
        const int64_t seconds = absl::ToUnixSeconds(now);
        absl::StrAppend(&body, R"("timestamp":)", JsonString(absl::StrCat(seconds)), R"(,"sign":)",
                        JsonString(FeishuSignature(channel.secret, seconds)), ",");
      }
      absl::StrAppend(&body, R"("msg_type":"text","content":{"text":)",
                      JsonString(PlainText(title, lines, link)), "}}");
      return body;
    }
    case ChannelKind::kEmail:
      break;
  }
  return "";
}

// Bytes of one part as its channel counts them (PartLimitBytes).
size_t MeasuredBytes(const ChannelConfig& channel, const std::string& title,
                     const std::vector<std::string>& lines, const std::string& link,
                     absl::Time now) {
  if (channel.kind == ChannelKind::kWeCom) {
    return MarkdownText(channel.kind, title, lines, link).size();
  }
  return Body(channel, title, lines, link, now).size();
}

}  // namespace

std::string DingTalkSignature(absl::string_view secret, int64_t timestamp_ms) {
  return Base64(HmacSha256(secret, absl::StrCat(timestamp_ms, "\n", secret)));
}

std::string FeishuSignature(absl::string_view secret, int64_t timestamp_s) {
  return Base64(HmacSha256(absl::StrCat(timestamp_s, "\n", secret), ""));
}

std::string CapTitle(absl::string_view title) {
  std::string one_line = OneLine(title);
  if (one_line.size() <= kMaxTitleBytes) return one_line;
  const std::string ellipsis = "…";
  one_line.resize(Utf8PrefixLength(one_line, kMaxTitleBytes - ellipsis.size()));
  return one_line + ellipsis;
}

std::vector<std::string> RenderRobotParts(const ChannelConfig& channel, const Message& message,
                                          absl::Time now) {
  const std::string title = CapTitle(message.title);
  const size_t limit = PartLimitBytes(channel.kind);
  const std::string widest = title + kWidestPartSuffix;
  auto fits = [&](const std::vector<std::string>& lines, bool numbered) {
    return MeasuredBytes(channel, numbered ? widest : title, lines, message.link, now) <= limit;
  };
  const std::vector<std::vector<std::string>> split = SplitLines(message.lines, fits);
  std::vector<std::string> parts;
  parts.reserve(split.size());
  for (size_t k = 0; k < split.size(); ++k) {
    parts.push_back(
        Body(channel, title + PartSuffix(k + 1, split.size()), split[k], message.link, now));
  }
  return parts;
}

}  // namespace rectify::notify::internal
