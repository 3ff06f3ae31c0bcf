#include "services/auth/token_secret.h"

#include <openssl/rand.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/sha256.h"

namespace rectify::auth {
namespace {

constexpr int kSecretBytes = 32;
// base64url of 32 bytes without padding.
constexpr size_t kEncodedChars = 43;

}  // namespace

absl::StatusOr<std::string> NewSecret() {
  unsigned char bytes[kSecretBytes];
  if (RAND_bytes(bytes, kSecretBytes) != 1) {
    return absl::UnavailableError("系统随机数源不可用 / the system random source failed");
  }
  std::string encoded;
  absl::WebSafeBase64Escape(absl::string_view(reinterpret_cast<const char*>(bytes), kSecretBytes),
                            &encoded);
  return absl::StrCat(kSecretPrefix, encoded);
}

std::string HashSecret(absl::string_view secret) { return Sha256Hex(secret); }

bool WellFormedSecret(absl::string_view secret) {
  if (!absl::StartsWith(secret, kSecretPrefix)) return false;
  absl::string_view body = secret.substr(sizeof(kSecretPrefix) - 1);
  if (body.size() != kEncodedChars) return false;
  for (char c : body) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

std::string SecretFromAuthorization(absl::string_view value) {
  constexpr absl::string_view kScheme = "bearer ";
  if (value.size() <= kScheme.size() || !absl::StartsWithIgnoreCase(value, kScheme)) return "";
  return std::string(absl::StripAsciiWhitespace(value.substr(kScheme.size())));
}

}  // namespace rectify::auth
