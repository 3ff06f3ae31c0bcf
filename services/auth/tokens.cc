#include "services/auth/tokens.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/auth/token_secret.h"
#include "services/auth/web_sessions.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"
#include "services/common/text.h"
#include "services/domain/limits.h"

namespace rectify::auth {

absl::Status Unauthenticated(bool missing) {
  if (missing) {
    return absl::UnauthenticatedError(
        "未登录：请求没有携带令牌（authorization: Bearer <令牌>），请设置 RECTIFY_TOKEN 或令牌文件 "
        "/ unauthenticated: the call carried no token (authorization: Bearer <token>); set "
        "RECTIFY_TOKEN or a token file");
  }
  return absl::UnauthenticatedError(
      "未登录：令牌无效、已过期或已吊销 / unauthenticated: the token is invalid, expired or "
      "revoked");
}

Actor ActorOf(const ApiToken& token) {
  Actor actor;
  actor.name = token.name;
  actor.token_id = token.id;
  actor.role = token.role;
  actor.unit_id = token.unit_id;
  actor.unit_path = token.unit_path;
  return actor;
}

absl::StatusOr<Actor> Authenticate(Store& store, absl::Time now, absl::string_view authorization) {
  if (authorization.empty()) return Unauthenticated(/*missing=*/true);
  if (absl::StartsWith(authorization, kSessionScheme)) {
    return AuthenticateSession(store, now, authorization.substr(sizeof(kSessionScheme) - 1));
  }
  const std::string secret = SecretFromAuthorization(authorization);
  if (!WellFormedSecret(secret)) return Unauthenticated(false);
  absl::optional<ApiToken> token;
  RETURN_IF_ERROR(store.Read([&](ReadTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(token, tx.FindTokenByHash(HashSecret(secret)));
    return absl::OkStatus();
  }));
  if (!token.has_value() || token->revoke_time.has_value() ||
      (token->expire_time.has_value() && *token->expire_time <= now)) {
    return Unauthenticated(false);
  }
  return ActorOf(*token);
}

absl::StatusOr<IssuedToken> IssueToken(WriteTxn& tx, const Actor& by, const TokenSpec& spec,
                                       absl::Time now) {
  RETURN_IF_ERROR(CheckText("name", spec.name, 1, limits::kPersonName, /*multiline=*/false));
  if (spec.expire_time.has_value() && *spec.expire_time <= now) {
    return InvalidField("expire_time", "须晚于当前时间", "must be in the future");
  }
  if (spec.unit_id <= 0) return InvalidField("unit_id", "必须指定单位", "is required");
  ASSIGN_OR_RETURN(OrgUnit unit, tx.GetUnit(spec.unit_id));
  // Out of reach reads exactly like a unit that does not exist.
  if (!by.Reaches(unit.path)) return NotFound("单位", "unit", spec.unit_id);
  ASSIGN_OR_RETURN(std::string secret, NewSecret());
  IssuedToken issued;
  issued.secret = secret;
  ApiToken& token = issued.token;
  token.secret_sha256 = HashSecret(secret);
  token.name = spec.name;
  token.role = spec.role;
  token.unit_id = unit.id;
  token.unit_path = unit.path;
  token.created_by = by.name;
  token.create_time = now;
  token.expire_time = spec.expire_time;
  RETURN_IF_ERROR(tx.InsertToken(token));
  return issued;
}

namespace {

bool Active(const ApiToken& token, absl::Time now) {
  return !token.revoke_time.has_value() &&
         (!token.expire_time.has_value() || *token.expire_time > now);
}

// Whether another active committee token than `token` is bound to `token`'s (root) unit.
absl::StatusOr<bool> AnotherRootCommittee(ReadTxn& tx, const ApiToken& token, absl::Time now) {
  int64_t after = 0;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<ApiToken> page, tx.ListTokens(token.unit_path, after, 500));
    for (const ApiToken& other : page) {
      if (other.id != token.id && other.unit_id == token.unit_id &&
          other.role == Role::kCommittee && Active(other, now)) {
        return true;
      }
    }
    if (page.size() < 500) return false;
    after = page.back().id;
  }
}

}  // namespace

absl::StatusOr<ApiToken> RevokeToken(WriteTxn& tx, const Actor& by, int64_t id, absl::Time now) {
  ASSIGN_OR_RETURN(ApiToken token, tx.GetToken(id));
  if (!by.Reaches(token.unit_path)) return NotFound("令牌", "token", id);
  // The root unit's committee is the only principal that can issue and revoke tokens for the
  // whole tree; without one, nobody could administer the ledger again.
  const bool root_committee = token.role == Role::kCommittee && token.unit_path.size() == 12;
  if (root_committee && Active(token, now)) {
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

}  // namespace rectify::auth
