// Keeping a channel's secrets out of operator-facing text. Internal to
// services/notify/channels. Pure functions, thread-safe.
#ifndef RECTIFY_SERVICES_NOTIFY_CHANNELS_INTERNAL_SCRUB_H_
#define RECTIFY_SERVICES_NOTIFY_CHANNELS_INTERNAL_SCRUB_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "services/notify/channels/channel.h"

namespace rectify::notify::internal {

// The pieces of a URL Redact() hides: query values, path segments that look like tokens, and
// the password of user info.
std::vector<std::string> UrlSecrets(absl::string_view url);

// `text` with every secret of `channel` (the URL's hidden pieces, the signing secret or
// password) replaced by its redacted form: for SendResult::detail, which
// may quote a vendor's answer or a libcurl error.
std::string Scrub(absl::string_view text, const ChannelConfig& channel);

}  // namespace rectify::notify::internal

#endif  // RECTIFY_SERVICES_NOTIFY_CHANNELS_INTERNAL_SCRUB_H_
