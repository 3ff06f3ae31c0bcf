// Token secrets: how they are made, hashed and carried.
//
// A secret is "rfy_" followed by 43 base64url characters: 32 bytes (256 bits) from OpenSSL's
// RAND_bytes. The server keeps only SHA-256(secret) in hex. Calls carry the secret in the
// metadata `authorization: Bearer <secret>`.
//
// Thread safety: free functions, safe from any thread.
#ifndef RECTIFY_SERVICES_AUTH_TOKEN_SECRET_H_
#define RECTIFY_SERVICES_AUTH_TOKEN_SECRET_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rectify::auth {

inline constexpr char kSecretPrefix[] = "rfy_";
inline constexpr char kAuthorizationKey[] = "authorization";

// A fresh secret. UNAVAILABLE when the system's random source fails.
absl::StatusOr<std::string> NewSecret();
// Lowercase hex SHA-256 of the secret: what the tokens table stores and is searched by.
std::string HashSecret(absl::string_view secret);
// True when `secret` has the shape NewSecret gives (prefix, length, alphabet).
bool WellFormedSecret(absl::string_view secret);
// The secret inside an authorization value "Bearer <secret>" (the scheme is case-insensitive);
// empty when the value has another shape.
std::string SecretFromAuthorization(absl::string_view value);

}  // namespace rectify::auth

#endif  // RECTIFY_SERVICES_AUTH_TOKEN_SECRET_H_
