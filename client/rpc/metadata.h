// How the client tells the server who is acting.
//
// The actor's name travels as gRPC metadata under kActorMetadataKey. Metadata values must be
// printable ASCII, and names are usually Chinese ("张三"), so the client percent-encodes the
// UTF-8 bytes of the name (RFC 3986: every byte except A-Z a-z 0-9 - . _ ~ becomes %XX, upper
// case hex). The server percent-decodes the value to get the name back. An ASCII name made of
// unreserved characters ("alice") is sent unchanged.
#ifndef RECTIFY_CLIENT_RPC_METADATA_H_
#define RECTIFY_CLIENT_RPC_METADATA_H_

#include <string>

#include "absl/strings/string_view.h"

namespace rectify::client {

inline constexpr char kActorMetadataKey[] = "x-rectify-actor";

// "张三" -> "%E5%BC%A0%E4%B8%89"; "alice" -> "alice"; "a b" -> "a%20b".
std::string PercentEncode(absl::string_view text);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_RPC_METADATA_H_
