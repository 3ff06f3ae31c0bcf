// RenderParts and the channels' documented limits.
#include <string>
#include <vector>

#include "services/notify/channels/channel.h"
#include "services/notify/channels/internal/encoding.h"
#include "services/notify/channels/internal/formats.h"

namespace rectify::notify {

size_t PartLimitBytes(ChannelKind kind) {
  switch (kind) {
    case ChannelKind::kWeCom:
      // "markdown内容，最长不超过4096个字节，必须是utf8编码"
      // https://developer.work.weixin.qq.com/document/path/91770
      return 4096;
    case ChannelKind::kDingTalk:
      // The custom robot page states no byte limit for markdown; 20000 bytes of body keeps
      // the same margin as Feishu's and well under what the robot is known to accept.
      return 20000;
    case ChannelKind::kFeishu:
      // "请求体的数据大小不能超过 20 KB"
      // https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot
      return 20000;
    case ChannelKind::kEmail:
      // No vendor limit; a notification this long is already a report, not a reminder.
      return 256 * 1024;
  }
  return 4096;
}

int MessagesPerMinute(ChannelKind kind) {
  switch (kind) {
    case ChannelKind::kWeCom:
      // "每个机器人发送的消息不能超过20条/分钟"
      return 20;
    case ChannelKind::kDingTalk:
      // "每个机器人每分钟最多发送20条消息到群里，如果超过20条，会限流10分钟"
      return 20;
    case ChannelKind::kFeishu:
      // "单租户单机器人 100 次/分钟，5 次/秒"
      return 100;
    case ChannelKind::kEmail:
      return 30;
  }
  return 20;
}

std::vector<RateLimit> RateLimits(ChannelKind kind) {
  std::vector<RateLimit> limits = {{MessagesPerMinute(kind), absl::Minutes(1)}};
  if (kind == ChannelKind::kFeishu) limits.push_back({5, absl::Seconds(1)});
  return limits;
}

std::vector<std::string> RenderParts(const ChannelConfig& channel, const Message& message,
                                     absl::Time now) {
  if (channel.kind == ChannelKind::kEmail) {
    return internal::RenderMailParts(channel, message, now);
  }
  return internal::RenderRobotParts(channel, message, now);
}

std::string RequestUrl(const ChannelConfig& channel, absl::Time now) {
  if (channel.kind != ChannelKind::kDingTalk || channel.secret.empty()) return channel.url;
  const int64_t ms = absl::ToUnixMillis(now);
  const char* joiner = channel.url.find('?') == std::string::npos ? "?" : "&";
  return channel.url + joiner + "timestamp=" + std::to_string(ms) +
         "&sign=" + internal::UrlEncode(internal::DingTalkSignature(channel.secret, ms));
}

}  // namespace rectify::notify
