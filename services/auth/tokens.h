// API tokens (docs/security.md): authentication on every call, and making a token. Who may
// issue, list or revoke which token is the application layer's rule (services/app/tokens.h).
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

// Makes a token for `spec` and stores its hash, with no check of who asks: the application layer
// (services/app/tokens.h) decides who may issue which token; the bootstrap and the host's
// recovery command (bootstrap.h) call it directly. INVALID_ARGUMENT for an empty or too long
// name, an expiry that is not in the future, or no unit; NOT_FOUND for a unit that does not exist.
absl::StatusOr<IssuedToken> MintToken(WriteTxn& tx, const TokenSpec& spec,
                                      const std::string& created_by, absl::Time now);
// MintToken's INVALID_ARGUMENT checks of `spec` alone, before anything is read.
absl::Status CheckTokenSpec(const TokenSpec& spec, absl::Time now);

// Whether a token still opens calls at `now`: not revoked, not expired.
bool Active(const ApiToken& token, absl::Time now);

}  // namespace rectify::auth

#endif  // RECTIFY_SERVICES_AUTH_TOKENS_H_
