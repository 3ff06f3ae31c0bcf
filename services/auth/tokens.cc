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

absl::Status CheckTokenSpec(const TokenSpec& spec, absl::Time now) {
  RETURN_IF_ERROR(CheckText("name", spec.name, 1, limits::kPersonName, /*multiline=*/false));
  if (spec.expire_time.has_value() && *spec.expire_time <= now) {
    return InvalidField("expire_time", "须晚于当前时间", "must be in the future");
  }
  if (spec.unit_id <= 0) return InvalidField("unit_id", "必须指定单位", "is required");
  return absl::OkStatus();
}

absl::StatusOr<IssuedToken> MintToken(WriteTxn& tx, const TokenSpec& spec,
                                      const std::string& created_by, absl::Time now) {
  RETURN_IF_ERROR(CheckTokenSpec(spec, now));
  ASSIGN_OR_RETURN(OrgUnit unit, tx.GetUnit(spec.unit_id));
  ASSIGN_OR_RETURN(std::string secret, NewSecret());
  IssuedToken issued;
  issued.secret = secret;
  ApiToken& token = issued.token;
  token.secret_sha256 = HashSecret(secret);
  token.name = spec.name;
  token.role = spec.role;
  token.unit_id = unit.id;
  token.unit_path = unit.path;
  token.created_by = created_by;
  token.create_time = now;
  token.expire_time = spec.expire_time;
  RETURN_IF_ERROR(tx.InsertToken(token));
  return issued;
}

bool Active(const ApiToken& token, absl::Time now) {
  return !token.revoke_time.has_value() &&
         (!token.expire_time.has_value() || *token.expire_time > now);
}

}  // namespace rectify::auth
