// SHA-256 of evidence files, lowercase hex. OpenSSL's libcrypto does the work: gRPC on Debian
// already links it, and it is the standard, audited implementation.
#ifndef RECTIFY_SERVICES_COMMON_SHA256_H_
#define RECTIFY_SERVICES_COMMON_SHA256_H_

#include <string>

#include "absl/strings/string_view.h"

namespace rectify {

std::string Sha256Hex(absl::string_view data);

}  // namespace rectify

#endif  // RECTIFY_SERVICES_COMMON_SHA256_H_
