// What each channel puts on the wire: the robots' JSON bodies and signatures, and the mail
// message. Internal to services/notify/channels. Pure functions, thread-safe.
#ifndef RECTIFY_SERVICES_NOTIFY_CHANNELS_INTERNAL_FORMATS_H_
#define RECTIFY_SERVICES_NOTIFY_CHANNELS_INTERNAL_FORMATS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/notify/channels/channel.h"

namespace rectify::notify::internal {

// A title longer than this many bytes is cut (at a character boundary, ending in "…"): a title
// is one line, and a part must have room for the body.
inline constexpr size_t kMaxTitleBytes = 300;

std::vector<std::string> RenderRobotParts(const ChannelConfig& channel, const Message& message,
                                          absl::Time now);
std::vector<std::string> RenderMailParts(const ChannelConfig& channel, const Message& message,
                                         absl::Time now);

// DingTalk's "加签": base64(HmacSHA256(key=secret, msg=timestamp_ms + "\n" + secret)), before
// URL encoding.
std::string DingTalkSignature(absl::string_view secret, int64_t timestamp_ms);
// Feishu's signature: base64(HmacSHA256(key=timestamp_s + "\n" + secret, msg="")).
std::string FeishuSignature(absl::string_view secret, int64_t timestamp_s);

// A Subject header value: RFC 2047 "=?UTF-8?B?...?=" words of at most 75 characters, cut at
// character boundaries, folded onto continuation lines ("\r\n ").
std::string EncodeMailSubject(absl::string_view title);

// `title` cut to kMaxTitleBytes, on one line.
std::string CapTitle(absl::string_view title);

}  // namespace rectify::notify::internal

#endif  // RECTIFY_SERVICES_NOTIFY_CHANNELS_INTERNAL_FORMATS_H_
