// A principal's credential as the server keeps it (ApiToken), a signed-in browser and a
// one-time sign-in link; values only. The secret itself is never stored:
// only its SHA-256, so that a copy of the database does not let anyone in.
//
// Thread safety: a plain value.
#ifndef RECTIFY_SERVICES_MODEL_PRINCIPAL_H_
#define RECTIFY_SERVICES_MODEL_PRINCIPAL_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "services/model/actor.h"

namespace rectify {

struct ApiToken {
  int64_t id = 0;
  std::string secret_sha256;  // lowercase hex of SHA-256(secret)
  // The person or post the token belongs to ("第一支部书记"); recorded as the actor of changes.
  std::string name;
  Role role = Role::kBranch;
  int64_t unit_id = 0;
  std::string unit_path;  // read with the token (units never move); not stored with it
  std::string created_by;
  absl::Time create_time;
  absl::optional<absl::Time> expire_time;
  absl::optional<absl::Time> revoke_time;
};

// A signed-in browser (the web console): the browser keeps a random secret in an HttpOnly cookie;
// the server keeps its SHA-256 and the token it stands for. It lives until expire_time, sign-out,
// or the death (revocation, expiry) of its token, whichever comes first.
struct WebSession {
  int64_t id = 0;
  std::string secret_sha256;  // lowercase hex of SHA-256(cookie secret)
  int64_t token_id = 0;
  absl::Time create_time;
  absl::Time expire_time;
};

// A one-time sign-in link (`rectify token create ... --link`): a random code in a URL that signs
// its holder in as token_id once, before expire_time. Only the code's SHA-256 is stored.
struct SigninLink {
  int64_t id = 0;
  std::string code_sha256;
  int64_t token_id = 0;
  absl::Time create_time;
  absl::Time expire_time;
  absl::optional<absl::Time> use_time;  // set when it was used
};

// "committee" / "branch" / "supervisor".
const char* RoleCode(Role role);
// "党委" / "支部" / "督查".
const char* RoleLabelZh(Role role);
// The role of a code above; nullopt for anything else.
absl::optional<Role> ParseRole(absl::string_view code);

}  // namespace rectify

#endif  // RECTIFY_SERVICES_MODEL_PRINCIPAL_H_
