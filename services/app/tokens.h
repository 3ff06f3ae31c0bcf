// Who may issue, list and revoke which API token: the token use cases' rules, beside the other
// "who may do what" rules (access.h). The token mechanics (secrets, hashes, authentication) are
// in services/auth/tokens.h.
//
// Thread safety: free functions over the caller's transaction.
#ifndef RECTIFY_SERVICES_APP_TOKENS_H_
#define RECTIFY_SERVICES_APP_TOKENS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/auth/tokens.h"
#include "services/model/actor.h"
#include "services/store/store.h"

namespace rectify::app {

// Issues a token for `spec` on behalf of `by`. The unit must lie in by's subtree (NOT_FOUND as
// for a unit that does not exist otherwise); a committee may issue any role in its subtree.
// INVALID_ARGUMENT for an empty or too long name, or an expiry that is not in the future.
absl::StatusOr<auth::IssuedToken> IssueToken(WriteTxn& tx, const Actor& by,
                                             const auth::TokenSpec& spec, absl::Time now);
// Revokes a token in by's subtree (NOT_FOUND otherwise); revoking twice keeps the first time.
// FAILED_PRECONDITION for the root unit's last active committee token: without one, nobody could
// administer the ledger again (the host's recovery is rectifyd --mint-admin-token).
absl::StatusOr<ApiToken> RevokeToken(WriteTxn& tx, const Actor& by, int64_t id, absl::Time now);
// Tokens bound in by's subtree, by id after `after_id`, at most `limit`.
absl::StatusOr<std::vector<ApiToken>> ListTokens(ReadTxn& tx, const Actor& by, int64_t after_id,
                                                 int limit);

}  // namespace rectify::app

#endif  // RECTIFY_SERVICES_APP_TOKENS_H_
