// Byte-level helpers of the channels: JSON strings, base64, HMAC-SHA256, URL encoding and
// UTF-8 boundaries. Internal to services/notify/channels. Pure functions, thread-safe.
#ifndef RECTIFY_SERVICES_NOTIFY_CHANNELS_INTERNAL_ENCODING_H_
#define RECTIFY_SERVICES_NOTIFY_CHANNELS_INTERNAL_ENCODING_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace rectify::notify::internal {

// `s` as a quoted JSON string. UTF-8 passes through unescaped (the vendors count bytes of
// UTF-8); quotes, backslashes and control characters are escaped.
std::string JsonString(absl::string_view s);

// Standard base64 with padding, on one line.
std::string Base64(absl::string_view bytes);

// The raw 32-byte HMAC-SHA256 of `message` under `key`.
std::string HmacSha256(absl::string_view key, absl::string_view message);

// Percent-encoding of everything but RFC 3986 unreserved characters.
std::string UrlEncode(absl::string_view s);

// The length of the longest prefix of `s` that is at most `max_bytes` long and does not end
// inside a UTF-8 sequence. Bytes that are not UTF-8 lead or continuation bytes count as one
// character each, so that the result always makes progress on malformed input.
size_t Utf8PrefixLength(absl::string_view s, size_t max_bytes);

// `s` with CR, LF and other control characters replaced by spaces: for one-line fields.
std::string OneLine(absl::string_view s);

}  // namespace rectify::notify::internal

#endif  // RECTIFY_SERVICES_NOTIFY_CHANNELS_INTERNAL_ENCODING_H_
