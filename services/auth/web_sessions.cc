#include "services/auth/web_sessions.h"

#include "absl/strings/str_cat.h"
#include "services/auth/token_secret.h"
#include "services/auth/tokens.h"
#include "services/common/errors.h"
#include "services/common/sha256.h"
#include "services/common/status_macros.h"

namespace rectify::auth {

absl::StatusOr<IssuedSession> StartSession(WriteTxn& tx, int64_t token_id, absl::Time now,
                                           absl::Duration lifetime) {
  ASSIGN_OR_RETURN(std::string secret, NewSecret());
  IssuedSession issued;
  issued.secret = secret;
  issued.session.secret_sha256 = HashSecret(secret);
  issued.session.token_id = token_id;
  issued.session.create_time = now;
  issued.session.expire_time = now + lifetime;
  RETURN_IF_ERROR(tx.InsertSession(issued.session));
  return issued;
}

absl::Status EndSession(WriteTxn& tx, absl::string_view secret) {
  if (!WellFormedSecret(secret)) return absl::OkStatus();
  return tx.DeleteSession(HashSecret(secret));
}

absl::StatusOr<Actor> AuthenticateSession(Store& store, absl::Time now, absl::string_view secret) {
  if (!WellFormedSecret(secret)) return Unauthenticated(false);
  absl::optional<WebSession> session;
  absl::optional<ApiToken> token;
  RETURN_IF_ERROR(store.Read([&](ReadTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(session, tx.FindSessionByHash(HashSecret(secret)));
    if (!session.has_value()) return absl::OkStatus();
    ASSIGN_OR_RETURN(token, tx.GetToken(session->token_id));
    return absl::OkStatus();
  }));
  if (!session.has_value() || session->expire_time <= now || !token.has_value() ||
      token->revoke_time.has_value() ||
      (token->expire_time.has_value() && *token->expire_time <= now)) {
    return Unauthenticated(false);
  }
  return ActorOf(*token);
}

std::string CsrfTokenFor(absl::string_view session_secret) {
  return Sha256Hex(absl::StrCat("rectify-csrf\n", session_secret)).substr(0, 32);
}

absl::StatusOr<std::string> IssueSigninLink(WriteTxn& tx, int64_t token_id, absl::Time now,
                                            absl::Duration lifetime) {
  ASSIGN_OR_RETURN(std::string code, NewSecret());
  SigninLink link;
  link.code_sha256 = HashSecret(code);
  link.token_id = token_id;
  link.create_time = now;
  link.expire_time = now + lifetime;
  RETURN_IF_ERROR(tx.InsertSigninLink(link));
  return code;
}

absl::StatusOr<int64_t> UseSigninLink(WriteTxn& tx, absl::string_view code, absl::Time now) {
  const absl::Status gone = absl::FailedPreconditionError(
      Bilingual("登录链接已失效（已使用、已过期或不存在），请向党委索取新的链接",
                "this sign-in link is no longer valid (used, expired or unknown); ask the "
                "committee for a new one"));
  if (!WellFormedSecret(code)) return gone;
  ASSIGN_OR_RETURN(absl::optional<SigninLink> link, tx.FindSigninLinkByHash(HashSecret(code)));
  if (!link.has_value() || link->use_time.has_value() || link->expire_time <= now) return gone;
  ASSIGN_OR_RETURN(bool first, tx.UseSigninLink(link->id, now));
  if (!first) return gone;
  return link->token_id;
}

}  // namespace rectify::auth
