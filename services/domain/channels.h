// The rules of a notification channel's fields (通知渠道): what a committee may set, checked
// before it is stored. Errors are INVALID_ARGUMENT naming the field, "中文 / English", and never
// echo a URL or a secret (they are secrets).
//
// Thread safety: pure functions.
#ifndef RECTIFY_SERVICES_DOMAIN_CHANNELS_H_
#define RECTIFY_SERVICES_DOMAIN_CHANNELS_H_

#include "absl/status/status.h"
#include "services/model/model.h"

namespace rectify {

// name 1-50 characters; url http(s):// for the robots, smtp(s):// for mail, at most 1,000
// bytes, no spaces or control characters; secret at most 200 bytes; mail: from and 1-20 `to`
// addresses that look like addresses; lang "zh" or "en".
absl::Status ValidateChannel(const NotifyChannel& channel);

}  // namespace rectify

#endif  // RECTIFY_SERVICES_DOMAIN_CHANNELS_H_
