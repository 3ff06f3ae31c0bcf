#include "services/api/token_service.h"

#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/api/internal/handler.h"
#include "services/app/tokens.h"
#include "services/auth/tokens.h"
#include "services/auth/web_sessions.h"
#include "services/common/page_token.h"
#include "services/domain/limits.h"

namespace rectify::api {
namespace {

constexpr int kDefaultTokenPage = 100;
// How long a one-time sign-in link may wait to be opened: a working day's round trip through
// whoever hands it over.
constexpr absl::Duration kSigninLinkLifetime = absl::Hours(24);

absl::Status TokenToProto(ReadTxn& tx, const ApiToken& token, v1::ApiToken* out) {
  out->set_id(token.id);
  out->set_name(token.name);
  out->set_role(static_cast<v1::Role>(token.role));
  out->set_unit_id(token.unit_id);
  ASSIGN_OR_RETURN(OrgUnit unit, tx.GetUnit(token.unit_id));
  out->set_unit_name(unit.name);
  out->set_created_by(token.created_by);
  ToProto(token.create_time, out->mutable_create_time());
  if (token.expire_time) ToProto(*token.expire_time, out->mutable_expire_time());
  if (token.revoke_time) ToProto(*token.revoke_time, out->mutable_revoke_time());
  return absl::OkStatus();
}

absl::StatusOr<Role> RoleFromProto(v1::Role role) {
  switch (role) {
    case v1::COMMITTEE:
      return Role::kCommittee;
    case v1::BRANCH:
      return Role::kBranch;
    case v1::SUPERVISOR:
      return Role::kSupervisor;
    default:
      return InvalidField("role", "须为 COMMITTEE、BRANCH 或 SUPERVISOR",
                          "must be COMMITTEE, BRANCH or SUPERVISOR");
  }
}

}  // namespace

grpc::Status TokenServiceImpl::CreateToken(grpc::ServerContext* ctx,
                                           const v1::CreateTokenRequest* req,
                                           v1::CreateTokenResponse* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor, const char* rpc) -> absl::Status {
    auth::TokenSpec spec;
    spec.name = req->name();
    ASSIGN_OR_RETURN(spec.role, RoleFromProto(req->role()));
    spec.unit_id = req->unit_id() == 0 ? actor.unit_id : req->unit_id();
    if (req->has_expire_time()) {
      ASSIGN_OR_RETURN(spec.expire_time, FromProto("expire_time", req->expire_time()));
    }
    const std::string base_url = web_url();
    if (req->signin_link() && base_url.empty()) {
      return absl::FailedPreconditionError(
          Bilingual("signin_link: 服务器未开启网页端（--http_listen），无法生成登录链接",
                    "signin_link: the server has no web console (--http_listen), so no sign-in "
                    "link can be made"));
    }
    // The secret (or the link's code) leaves this call once and is never stored: the recorded
    // response (for a retried request_id) is made without it, and it is set only after the
    // commit. With a link, the secret is not shown at all: the link is the credential handed
    // out.
    std::string secret;
    std::string link_code;
    RETURN_IF_ERROR(RunMutation(
        *ledger_, actor, rpc, req->request_id(), *req, resp, [&](WriteTxn& tx) -> absl::Status {
          ASSIGN_OR_RETURN(auth::IssuedToken issued,
                           app::IssueToken(tx, actor, spec, ledger_->Now()));
          secret = issued.secret;
          if (req->signin_link()) {
            ASSIGN_OR_RETURN(link_code, auth::IssueSigninLink(tx, issued.token.id, ledger_->Now(),
                                                              kSigninLinkLifetime));
          }
          return TokenToProto(tx, issued.token, resp->mutable_token());
        }));
    if (link_code.empty()) {
      resp->set_secret(secret);
    } else {
      resp->set_signin_url(absl::StrCat(base_url, "/auth/link/", link_code));
    }
    return absl::OkStatus();
  });
}

grpc::Status TokenServiceImpl::ListTokens(grpc::ServerContext* ctx,
                                          const v1::ListTokensRequest* req,
                                          v1::ListTokensResponse* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor) -> absl::Status {
    ASSIGN_OR_RETURN(int limit, EffectivePageSize(req->page_size(), kDefaultTokenPage));
    ASSIGN_OR_RETURN(std::vector<std::string> cursor,
                     DecodePageToken("tokens", req->page_token(), 1));
    int64_t after = 0;
    if (!cursor.empty() && !absl::SimpleAtoi(cursor[0], &after)) {
      return InvalidField("page_token", "无效", "is invalid");
    }
    return ledger_->store()->Read([&](ReadTxn& tx) -> absl::Status {
      ASSIGN_OR_RETURN(std::vector<ApiToken> tokens, app::ListTokens(tx, actor, after, limit + 1));
      const bool more = static_cast<int>(tokens.size()) > limit;
      if (more) tokens.resize(limit);
      for (const ApiToken& token : tokens)
        RETURN_IF_ERROR(TokenToProto(tx, token, resp->add_tokens()));
      if (more)
        resp->set_next_page_token(EncodePageToken("tokens", {std::to_string(tokens.back().id)}));
      return absl::OkStatus();
    });
  });
}

grpc::Status TokenServiceImpl::RevokeToken(grpc::ServerContext* ctx,
                                           const v1::RevokeTokenRequest* req, v1::ApiToken* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor, const char* rpc) -> absl::Status {
    return RunMutation(
        *ledger_, actor, rpc, req->request_id(), *req, resp, [&](WriteTxn& tx) -> absl::Status {
          ASSIGN_OR_RETURN(ApiToken token, app::RevokeToken(tx, actor, req->id(), ledger_->Now()));
          return TokenToProto(tx, token, resp);
        });
  });
}

grpc::Status TokenServiceImpl::WhoAmI(grpc::ServerContext* ctx, const v1::WhoAmIRequest*,
                                      v1::ApiToken* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor) -> absl::Status {
    return ledger_->store()->Read([&](ReadTxn& tx) -> absl::Status {
      ASSIGN_OR_RETURN(ApiToken token, tx.GetToken(actor.token_id));
      return TokenToProto(tx, token, resp);
    });
  });
}

}  // namespace rectify::api
