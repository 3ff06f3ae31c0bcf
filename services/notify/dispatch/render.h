// The words of a notice: what a WeCom, DingTalk or Feishu group or a mailbox reads, in the
// channel's language (Chinese by default, English available). Rendered when it is sent, from the
// notice as the outbox keeps it, so a channel's language can change without rewriting the outbox.
//
// Thread safety: pure functions.
#ifndef RECTIFY_SERVICES_NOTIFY_DISPATCH_RENDER_H_
#define RECTIFY_SERVICES_NOTIFY_DISPATCH_RENDER_H_

#include <string>

#include "services/model/model.h"
#include "services/notify/channels/channel.h"

namespace rectify::notify {

// lang: "zh" or "en". web_url: the console's address ("" for none); a task notice links to the
// task's page, a digest to the console.
Message RenderNotice(const Notice& notice, const std::string& lang, const std::string& web_url);

// What the channels library needs of a stored channel to send on it (its secrets included).
ChannelConfig ConfigOf(const NotifyChannel& channel);

// The test message of `rectify notify test`.
Message RenderTestMessage(const std::string& lang, const std::string& channel_name,
                          const std::string& unit_name);

}  // namespace rectify::notify

#endif  // RECTIFY_SERVICES_NOTIFY_DISPATCH_RENDER_H_
