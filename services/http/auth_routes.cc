// Signing a browser in and out: /auth/signin, /auth/session, /auth/signout, /auth/link/<code>.
// Sessions are rows in the database (auth/web_sessions.h); the browser holds the secret in an
// HttpOnly, SameSite=Strict cookie. Every check of "is this caller still allowed" is the gRPC
// server's: signing in and looking at the session both call TokenService/WhoAmI in-process.
#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "rectify/v1/auth.pb.h"
#include "services/auth/token_secret.h"
#include "services/auth/web_sessions.h"
#include "services/common/status_macros.h"
#include "services/http/gateway.h"
#include "services/http/json_error.h"

namespace rectify::http {
namespace {

constexpr char kWhoAmI[] = "/rectify.v1.TokenService/WhoAmI";

std::string SessionCookie(const Gateway& gateway, const std::string& value, int64_t max_age) {
  return absl::StrCat(kSessionCookie, "=", value,
                      "; Path=/; HttpOnly; SameSite=Strict; Max-Age=", max_age,
                      gateway.tls ? "; Secure" : "");
}

void SetSessionCookie(const Gateway& gateway, const std::string& secret, httplib::Response& res) {
  res.set_header(
      "Set-Cookie",
      SessionCookie(gateway, secret, absl::ToInt64Seconds(gateway.options.session_lifetime)));
}

void ClearSessionCookie(const Gateway& gateway, httplib::Response& res) {
  res.set_header("Set-Cookie", SessionCookie(gateway, "", 0));
}

// The caller's token as WhoAmI answers it, for the given credential.
grpc::Status WhoAmI(Gateway& gateway, const std::string& authorization, v1::ApiToken* principal) {
  CallMetadata metadata = {{auth::kAuthorizationKey, authorization}};
  std::string bytes;
  grpc::Status status = gateway.bridge.Unary(kWhoAmI, metadata, "", &bytes);
  if (!status.ok()) return status;
  if (!principal->ParseFromString(bytes)) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "应答无法解析 / the response does not parse");
  }
  return grpc::Status::OK;
}

// {"csrfToken":…,"principal":…,"lang":"zh"}: what a page needs to know about its session.
std::string SessionJson(const std::string& secret, const v1::ApiToken& principal) {
  return absl::StrCat("{\"csrfToken\":\"", auth::CsrfTokenFor(secret),
                      "\",\"principal\":", ToJson(principal), ",\"lang\":\"zh\"}");
}

grpc::Status ToGrpc(const absl::Status& status) {
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

// A new session row for the token; its secret.
absl::StatusOr<std::string> NewSession(Gateway& gateway, int64_t token_id) {
  std::string secret;
  RETURN_IF_ERROR(gateway.ledger->store()->Write([&](WriteTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(
        auth::IssuedSession issued,
        auth::StartSession(tx, token_id, gateway.ledger->Now(), gateway.options.session_lifetime));
    secret = issued.secret;
    return absl::OkStatus();
  }));
  return secret;
}

void SignIn(Gateway& gateway, const httplib::Request& req, httplib::Response& res) {
  google::protobuf::Struct body;
  google::protobuf::util::JsonParseOptions options;
  std::string token;
  if (google::protobuf::util::JsonStringToMessage(req.body, &body, options).ok()) {
    auto it = body.fields().find("token");
    if (it != body.fields().end()) token = it->second.string_value();
  }
  if (token.empty()) {
    return ReplyError(res, grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                        "token: 请填写令牌 / token: is required"));
  }
  v1::ApiToken principal;
  grpc::Status status = WhoAmI(gateway, absl::StrCat("Bearer ", token), &principal);
  if (!status.ok()) return ReplyError(res, status);
  absl::StatusOr<std::string> secret = NewSession(gateway, principal.id());
  if (!secret.ok()) return ReplyError(res, ToGrpc(secret.status()));
  SetSessionCookie(gateway, *secret, res);
  res.set_header("Cache-Control", "no-store");
  ReplyJson(res, 200, SessionJson(*secret, principal));
}

void Session(Gateway& gateway, const httplib::Request& req, httplib::Response& res) {
  const std::string secret = CookieValue(req, kSessionCookie);
  v1::ApiToken principal;
  grpc::Status status =
      secret.empty() ? grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "未登录 / not signed in")
                     : WhoAmI(gateway, absl::StrCat(auth::kSessionScheme, secret), &principal);
  res.set_header("Cache-Control", "no-store");
  if (!status.ok()) {
    if (!secret.empty()) ClearSessionCookie(gateway, res);  // dead: let the browser forget it
    return ReplyError(res, status);
  }
  ReplyJson(res, 200, SessionJson(secret, principal));
}

void SignOut(Gateway& gateway, const httplib::Request& req, httplib::Response& res) {
  const std::string secret = CookieValue(req, kSessionCookie);
  if (!secret.empty()) {
    CallMetadata metadata;
    grpc::Status csrf = CallerMetadata(req, &metadata);
    if (!csrf.ok()) return ReplyError(res, csrf, kCsrfHeader);
    absl::Status ended =
        gateway.ledger->store()->Write([&](WriteTxn& tx) { return auth::EndSession(tx, secret); });
    if (!ended.ok()) return ReplyError(res, ToGrpc(ended));
  }
  ClearSessionCookie(gateway, res);
  res.status = 204;
}

// The page a used or expired link shows: the person opened it in a browser, not a script.
// Nothing from the request goes into it.
constexpr char kLinkGonePage[] =
    "<!doctype html><html lang=\"zh\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    "<title>登录链接已失效 / Sign-in link no longer valid</title></head><body>"
    "<h1>登录链接已失效</h1><p>此链接已使用、已过期或其令牌已吊销。请向党委索取新的登录链接，"
    "或用令牌登录。</p>"
    "<h2>Sign-in link no longer valid</h2><p>This link was used already, has expired, or its "
    "token was revoked. Ask the committee for a new one, or sign in with your token.</p>"
    "<p><a href=\"/#/signin\">登录 / Sign in</a></p></body></html>\n";

void UseLink(Gateway& gateway, const httplib::Request& req, httplib::Response& res) {
  const std::string code = req.matches[1];
  int64_t token_id = 0;
  absl::Status used = gateway.ledger->store()->Write([&](WriteTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(token_id, auth::UseSigninLink(tx, code, gateway.ledger->Now()));
    return absl::OkStatus();
  });
  res.set_header("Cache-Control", "no-store");
  if (used.code() == absl::StatusCode::kFailedPrecondition) {
    res.status = 410;
    res.set_content(kLinkGonePage, "text/html; charset=utf-8");
    return;
  }
  if (!used.ok()) return ReplyError(res, ToGrpc(used));
  // The token may have been revoked since the link was made: a session for it would die on its
  // first request anyway, but saying so now is kinder.
  absl::StatusOr<std::string> secret = NewSession(gateway, token_id);
  if (!secret.ok()) return ReplyError(res, ToGrpc(secret.status()));
  v1::ApiToken principal;
  if (!WhoAmI(gateway, absl::StrCat(auth::kSessionScheme, *secret), &principal).ok()) {
    res.status = 410;
    res.set_content(kLinkGonePage, "text/html; charset=utf-8");
    return;
  }
  SetSessionCookie(gateway, *secret, res);
  res.status = 303;
  res.set_header("Location", "/");
}

}  // namespace

void AddAuthRoutes(httplib::Server& server, Gateway& gateway) {
  server.Post("/auth/signin", [&gateway](const httplib::Request& req, httplib::Response& res) {
    SignIn(gateway, req, res);
  });
  server.Get("/auth/session", [&gateway](const httplib::Request& req, httplib::Response& res) {
    Session(gateway, req, res);
  });
  server.Post("/auth/signout", [&gateway](const httplib::Request& req, httplib::Response& res) {
    SignOut(gateway, req, res);
  });
  server.Get(R"(/auth/link/([A-Za-z0-9_\-]+))",
             [&gateway](const httplib::Request& req, httplib::Response& res) {
               UseLink(gateway, req, res);
             });
}

}  // namespace rectify::http
