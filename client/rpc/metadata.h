// Percent-encoding of UTF-8 text for ASCII-only places such as gRPC metadata values (RFC 3986:
// every byte except A-Z a-z 0-9 - . _ ~ becomes %XX, upper case hex). The caller's identity does
// not travel this way: it is the API token (token_source.h).
#ifndef RECTIFY_CLIENT_RPC_METADATA_H_
#define RECTIFY_CLIENT_RPC_METADATA_H_

#include <string>

#include "absl/strings/string_view.h"

namespace rectify::client {

// "张三" -> "%E5%BC%A0%E4%B8%89"; "alice" -> "alice"; "a b" -> "a%20b".
std::string PercentEncode(absl::string_view text);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_RPC_METADATA_H_
