// What a channel's answer means for the dispatcher: delivered, retry, rate-limited or
// rejected. Internal to services/notify/channels. Pure functions, thread-safe.
#ifndef RECTIFY_SERVICES_NOTIFY_CHANNELS_INTERNAL_ANSWER_H_
#define RECTIFY_SERVICES_NOTIFY_CHANNELS_INTERNAL_ANSWER_H_

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/notify/channels/channel.h"

namespace rectify::notify::internal {

// A robot's HTTP answer: `status` and `body` as received, `retry_after` the Retry-After
// header's value ("" when absent), `now` to turn an HTTP date into a duration. parts_sent is
// left 0. The detail is not yet scrubbed.
SendResult ClassifyRobotAnswer(ChannelKind kind, long status, absl::string_view body,
                               absl::string_view retry_after, absl::Time now);

// An SMTP answer: `code` the server's last reply code (0 when there was none: no connection),
// `error` libcurl's description.
SendResult ClassifySmtpAnswer(long code, absl::string_view error);

// Retry-After as seconds or an HTTP date; zero when absent or unreadable.
absl::Duration ParseRetryAfter(absl::string_view value, absl::Time now);

}  // namespace rectify::notify::internal

#endif  // RECTIFY_SERVICES_NOTIFY_CHANNELS_INTERNAL_ANSWER_H_
