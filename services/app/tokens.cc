#include "services/app/tokens.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"

namespace rectify::app {
namespace {

// Whether another active committee token than `token` is bound to `token`'s (root) unit.
absl::StatusOr<bool> AnotherRootCommittee(ReadTxn& tx, const ApiToken& token, absl::Time now) {
  int64_t after = 0;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<ApiToken> page, tx.ListTokens(token.unit_path, after, 500));
    for (const ApiToken& other : page) {
      if (other.id != token.id && other.unit_id == token.unit_id &&
          other.role == Role::kCommittee && auth::Active(other, now)) {
        return true;
      }
    }
    if (page.size() < 500) return false;
    after = page.back().id;
  }
}

}  // namespace

absl::StatusOr<auth::IssuedToken> IssueToken(WriteTxn& tx, const Actor& by,
                                             const auth::TokenSpec& spec, absl::Time now) {
  RETURN_IF_ERROR(auth::CheckTokenSpec(spec, now));
  ASSIGN_OR_RETURN(OrgUnit unit, tx.GetUnit(spec.unit_id));
  // Out of reach reads exactly like a unit that does not exist.
  if (!by.Reaches(unit.path)) return NotFound("单位", "unit", spec.unit_id);
  return auth::MintToken(tx, spec, by.name, now);
}

absl::StatusOr<ApiToken> RevokeToken(WriteTxn& tx, const Actor& by, int64_t id, absl::Time now) {
  ASSIGN_OR_RETURN(ApiToken token, tx.GetToken(id));
  if (!by.Reaches(token.unit_path)) return NotFound("令牌", "token", id);
  // The root unit's committee is the only principal that can issue and revoke tokens for the
  // whole tree; without one, nobody could administer the ledger again.
  const bool root_committee = token.role == Role::kCommittee && token.unit_path.size() == 12;
  if (root_committee && auth::Active(token, now)) {
    ASSIGN_OR_RETURN(bool another, AnotherRootCommittee(tx, token, now));
    if (!another) {
      return absl::FailedPreconditionError(absl::StrCat(
          "不能吊销令牌 ", id,
          "：它是根单位最后一个有效的党委令牌，吊销后将无人能管理台账。请先签发另一个根单位党委令牌"
          "再吊销它；若已无法登录，请在服务器上运行 rectifyd --mint-admin-token 文件名 / cannot "
          "revoke token ",
          id,
          ": it is the root unit's last active committee token, and nobody could administer the "
          "ledger after it. Issue another root committee token first; if nobody can sign in any "
          "more, run rectifyd --mint-admin-token FILE on the server"));
    }
  }
  RETURN_IF_ERROR(tx.RevokeToken(id, now));
  return tx.GetToken(id);
}

absl::StatusOr<std::vector<ApiToken>> ListTokens(ReadTxn& tx, const Actor& by, int64_t after_id,
                                                 int limit) {
  return tx.ListTokens(by.unit_path, after_id, limit);
}

}  // namespace rectify::app
