// First start: a server without any token would let no one in, so rectifyd makes the
// first committee token itself and hands it over in a file only its owner can read.
//
// Thread safety: call once, before the server takes calls.
#ifndef RECTIFY_SERVICES_AUTH_BOOTSTRAP_H_
#define RECTIFY_SERVICES_AUTH_BOOTSTRAP_H_

#include <string>

#include "absl/status/statusor.h"
#include "services/domain/ledger.h"
#include "services/model/principal.h"

namespace rectify::auth {

struct BootstrapOutcome {
  bool issued = false;        // false: tokens existed already, nothing was done
  bool created_root = false;  // the root unit was made now
  OrgUnit root;
  ApiToken token;  // the committee token written to the file
};

// When the store holds no token: makes sure a root unit exists (named `root_name` when it has to
// be created), issues a committee token "管理员" bound to it, and writes the secret with a newline
// to `token_file`, created with mode 0600. An existing file is never overwritten
// (FAILED_PRECONDITION naming it), and the file is removed again when the store refuses the
// token, so that a file exists exactly when its token does.
absl::StatusOr<BootstrapOutcome> BootstrapAdmin(const Ledger& ledger, const std::string& root_name,
                                                const std::string& token_file);

// Recovery when nobody can administer the ledger any more (the root committee tokens were all
// revoked before that was refused, expired, or lost): issues a new committee token "管理员（恢复）"
// bound to the first root unit, writes its secret to `token_file` exactly as BootstrapAdmin does
// (0600, never overwriting), and appends an audit entry (method "MintAdminToken", actor
// `operator_name`) in the same transaction, so that the chain records who recovered and when.
// Run on the database host (rectifyd --mint-admin-token FILE): whoever can run it can read the
// database file anyway, so it grants nothing the host did not already have.
absl::StatusOr<ApiToken> MintAdminToken(const Ledger& ledger, const std::string& token_file,
                                        const std::string& operator_name);

}  // namespace rectify::auth

#endif  // RECTIFY_SERVICES_AUTH_BOOTSTRAP_H_
