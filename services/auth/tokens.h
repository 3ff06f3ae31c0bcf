// Token management and authentication: who may call, by API token (docs/security.md), on top
// of the Store.
//
//   ASSIGN_OR_RETURN(Actor actor, Authenticate(store, now, "Bearer rfy_..."));
//
// Authenticate looks the token up in the store on every call, with no cache, so that a revoked
// or expired token fails on the very next call.
//
// Thread safety: free functions; the Store is safe to share.
#ifndef RECTIFY_SERVICES_AUTH_TOKENS_H_
#define RECTIFY_SERVICES_AUTH_TOKENS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "services/model/actor.h"
#include "services/model/principal.h"
#include "services/store/store.h"

namespace rectify::auth {

// The actor of a call from its authorization metadata value ("Bearer <secret>", or
// "Session <secret>" for a web console session, web_sessions.h; empty when the call carried none).
// UNAUTHENTICATED, with a message that never repeats the secret, when the value is missing or
// malformed, or the token is unknown, revoked or expired.
absl::StatusOr<Actor> Authenticate(Store& store, absl::Time now, absl::string_view authorization);

// The UNAUTHENTICATED status every authentication failure gets. One message for all causes but
// "missing", so that probing tells nothing about which secrets once existed.
absl::Status Unauthenticated(bool missing);

// The actor a token stands for.
Actor ActorOf(const ApiToken& token);

struct TokenSpec {
  std::string name;
  Role role = Role::kBranch;
  int64_t unit_id = 0;
  absl::optional<absl::Time> expire_time;
};

struct IssuedToken {
  ApiToken token;
  std::string secret;  // shown once; the store keeps only its hash
};

// Issues a token for `spec` on behalf of `by`. The unit must lie in by's subtree (NOT_FOUND as
// for a unit that does not exist otherwise); a committee may issue any role in its subtree.
// INVALID_ARGUMENT for an empty or too long name, or an expiry that is not in the future.
absl::StatusOr<IssuedToken> IssueToken(WriteTxn& tx, const Actor& by, const TokenSpec& spec,
                                       absl::Time now);
// Revokes a token in by's subtree (NOT_FOUND otherwise); revoking twice keeps the first time.
absl::StatusOr<ApiToken> RevokeToken(WriteTxn& tx, const Actor& by, int64_t id, absl::Time now);
// Tokens bound in by's subtree, by id after `after_id`, at most `limit`.
absl::StatusOr<std::vector<ApiToken>> ListTokens(ReadTxn& tx, const Actor& by, int64_t after_id,
                                                 int limit);

}  // namespace rectify::auth

#endif  // RECTIFY_SERVICES_AUTH_TOKENS_H_
