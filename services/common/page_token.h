// Opaque page tokens (AIP-158). A token carries the keyset cursor of the last item returned; it
// is URL-safe base64 so that clients treat it as a blob. A token that does not decode is
// INVALID_ARGUMENT naming page_token.
#ifndef RECTIFY_SERVICES_COMMON_PAGE_TOKEN_H_
#define RECTIFY_SERVICES_COMMON_PAGE_TOKEN_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rectify {

// Encodes `parts` under a `kind` tag (so a token of one list is refused by another).
std::string EncodePageToken(absl::string_view kind, const std::vector<std::string>& parts);

// Decodes a token of `kind` with exactly `count` parts. An empty token gives an empty vector.
absl::StatusOr<std::vector<std::string>> DecodePageToken(absl::string_view kind,
                                                         absl::string_view token, size_t count);

}  // namespace rectify

#endif  // RECTIFY_SERVICES_COMMON_PAGE_TOKEN_H_
