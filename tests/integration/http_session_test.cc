// Signing a browser in (services/http/auth_routes.cc, services/auth/web_sessions.h): the
// session cookie's flags, the CSRF header, sessions that expire, die with their token, survive
// a restart and end at sign-out, and one-time sign-in links.
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "rectify/v1/auth.grpc.pb.h"
#include "tests/support/http_fixture.h"

namespace rectify {
namespace {

using testing_support::HttpServerTest;

google::protobuf::Struct ParseJson(const std::string& json) {
  google::protobuf::Struct out;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &out).ok()) << json;
  return out;
}

class HttpSessionTest : public HttpServerTest {
 protected:
  struct Browser {
    std::string cookie;  // "rectify_session=…"
    std::string csrf;
  };

  // Signs in with `secret` as a page does; fails the test unless it works.
  Browser SignIn(const std::string& secret) {
    httplib::Result res = Client()->Post(
        "/auth/signin", absl::StrCat("{\"token\":\"", secret, "\"}"), "application/json");
    Browser b;
    EXPECT_TRUE(res);
    if (!res) return b;
    EXPECT_EQ(res->status, 200) << res->body;
    const std::string set = res->get_header_value("Set-Cookie");
    b.cookie = set.substr(0, set.find(';'));
    b.csrf = ParseJson(res->body).fields().at("csrfToken").string_value();
    return b;
  }

  httplib::Headers As(const Browser& b, bool with_csrf = true) const {
    httplib::Headers h = {{"Cookie", b.cookie}};
    if (with_csrf) h.emplace("X-CSRF-Token", b.csrf);
    return h;
  }

  httplib::Result WhoAmI(const Browser& b) const {
    return Client()->Post("/api/rectify.v1.TokenService/WhoAmI", As(b), "{}", "application/json");
  }

  httplib::Result Session(const Browser& b) const {
    return Client()->Get("/auth/session", {{"Cookie", b.cookie}});
  }

  bool UnitExists(const std::string& name) {
    bool found = false;
    EXPECT_TRUE(store_
                    ->Read([&](ReadTxn& tx) -> absl::Status {
                      auto unit = tx.FindUnitByName(root_.id, name);
                      if (!unit.ok()) return unit.status();
                      found = unit->has_value();
                      return absl::OkStatus();
                    })
                    .ok());
    return found;
  }

  int64_t TokenIdOf(const std::string& secret) {
    auto stub = v1::TokenService::NewStub(channel_);
    v1::ApiToken me;
    EXPECT_TRUE(stub->WhoAmI(CtxAs(secret).get(), v1::WhoAmIRequest(), &me).ok());
    return me.id();
  }
};

TEST_F(HttpSessionTest, SignInSetsAStrictHttpOnlyCookieAndNeverEchoesTheToken) {
  httplib::Result res = Client()->Post(
      "/auth/signin", absl::StrCat("{\"token\":\"", admin_secret_, "\"}"), "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const std::string cookie = res->get_header_value("Set-Cookie");
  EXPECT_TRUE(absl::StartsWith(cookie, "rectify_session=")) << cookie;
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; Path=/"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; Max-Age=43200"), std::string::npos) << cookie;
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << "plain HTTP cannot carry Secure cookies";
  EXPECT_EQ(res->body.find(admin_secret_), std::string::npos);
  EXPECT_EQ(cookie.find(admin_secret_), std::string::npos);
  google::protobuf::Struct body = ParseJson(res->body);
  EXPECT_EQ(body.fields().at("principal").struct_value().fields().at("name").string_value(),
            "张三");
  EXPECT_EQ(body.fields().at("lang").string_value(), "zh");
  EXPECT_FALSE(body.fields().at("csrfToken").string_value().empty());
}

TEST_F(HttpSessionTest, UnderTlsTheConsoleIsHttpsAndItsCookieIsSecure) {
  const std::string certs = dir_ + "/certs";
  ASSERT_EQ(std::system(absl::StrCat("bash ", RECTIFY_SOURCE_DIR,
                                     "/tests/support/make_test_certs.sh ", certs)
                            .c_str()),
            0);
  http_options_.tls_cert_file = certs + "/server.pem";
  http_options_.tls_key_file = certs + "/server.key";
  StartHttp();
  httplib::SSLClient client("127.0.0.1", http_->port());
  client.set_ca_cert_path((certs + "/ca.pem").c_str());
  client.enable_server_certificate_verification(true);
  httplib::Result res = client.Post(
      "/auth/signin", absl::StrCat("{\"token\":\"", admin_secret_, "\"}"), "application/json");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  ASSERT_EQ(res->status, 200) << res->body;
  const std::string cookie = res->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("; Secure"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos) << cookie;
  // The same port does not answer plain HTTP.
  httplib::Client plain("127.0.0.1", http_->port());
  plain.set_read_timeout(5, 0);
  httplib::Result clear = plain.Get("/healthz");
  EXPECT_FALSE(clear && clear->status == 200);
  // A client that trusts another CA refuses the server.
  httplib::SSLClient stranger("127.0.0.1", http_->port());
  stranger.set_ca_cert_path((certs + "/other_ca.pem").c_str());
  stranger.enable_server_certificate_verification(true);
  EXPECT_FALSE(stranger.Get("/healthz"));
}

TEST_F(HttpSessionTest, ABadTokenCannotSignIn) {
  httplib::Result res = Client()->Post(
      "/auth/signin", "{\"token\":\"rfy_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}",
      "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_TRUE(res->get_header_value("Set-Cookie").empty());
  EXPECT_EQ(ParseJson(res->body).fields().at("code").string_value(), "UNAUTHENTICATED");
}

TEST_F(HttpSessionTest, TheSessionTellsAFreshPageItsCsrfToken) {
  Browser b = SignIn(admin_secret_);
  httplib::Result res = Session(b);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(ParseJson(res->body).fields().at("csrfToken").string_value(), b.csrf);
  httplib::Result none = Client()->Get("/auth/session");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
}

TEST_F(HttpSessionTest, ACookieRequestThatChangesStateNeedsTheCsrfHeader) {
  Browser b = SignIn(admin_secret_);
  const std::string body = absl::StrCat("{\"parentId\":\"", root_.id, "\",\"name\":\"第九支部\"}");
  httplib::Result forged = Client()->Post("/api/rectify.v1.OrgService/CreateUnit",
                                          As(b, /*with_csrf=*/false), body, "application/json");
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403);
  google::protobuf::Struct error = ParseJson(forged->body);
  EXPECT_EQ(error.fields().at("code").string_value(), "PERMISSION_DENIED");
  EXPECT_EQ(error.fields().at("field").string_value(), "X-CSRF-Token");
  httplib::Headers wrong = As(b, false);
  wrong.emplace("X-CSRF-Token", std::string(b.csrf.size(), '0'));
  httplib::Result guessed =
      Client()->Post("/api/rectify.v1.OrgService/CreateUnit", wrong, body, "application/json");
  ASSERT_TRUE(guessed);
  EXPECT_EQ(guessed->status, 403);
  EXPECT_FALSE(UnitExists("第九支部"));

  httplib::Result made =
      Client()->Post("/api/rectify.v1.OrgService/CreateUnit", As(b), body, "application/json");
  ASSERT_TRUE(made);
  EXPECT_EQ(made->status, 200) << made->body;
  EXPECT_TRUE(UnitExists("第九支部"));
}

TEST_F(HttpSessionTest, ASessionExpiresWithItsLifetime) {
  Browser b = SignIn(admin_secret_);
  clock_->Advance(absl::Hours(11));
  EXPECT_EQ(WhoAmI(b)->status, 200);
  clock_->Advance(absl::Hours(2));
  EXPECT_EQ(WhoAmI(b)->status, 401);
  httplib::Result session = Session(b);
  EXPECT_EQ(session->status, 401);
  EXPECT_NE(session->get_header_value("Set-Cookie").find("Max-Age=0"), std::string::npos);
}

TEST_F(HttpSessionTest, ARevokedTokensSessionsDieOnTheirNextRequest) {
  const std::string branch = IssueToken("一支部书记", Role::kBranch, root_.id);
  Browser b = SignIn(branch);
  ASSERT_EQ(WhoAmI(b)->status, 200);
  auto stub = v1::TokenService::NewStub(channel_);
  v1::RevokeTokenRequest revoke;
  revoke.set_id(TokenIdOf(branch));
  v1::ApiToken revoked;
  ASSERT_TRUE(stub->RevokeToken(Ctx().get(), revoke, &revoked).ok());
  httplib::Result after = WhoAmI(b);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 401);
}

TEST_F(HttpSessionTest, SessionsLiveInTheDatabaseAndSurviveARestart) {
  Browser b = SignIn(admin_secret_);
  http_.reset();
  RestartServer();
  StartHttp();
  httplib::Result res = WhoAmI(b);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
}

TEST_F(HttpSessionTest, SignOutEndsTheSessionAndClearsTheCookie) {
  Browser b = SignIn(admin_secret_);
  httplib::Result out = Client()->Post("/auth/signout", As(b), "", "application/json");
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 204);
  EXPECT_NE(out->get_header_value("Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(WhoAmI(b)->status, 401);
}

TEST_F(HttpSessionTest, AOneTimeLinkSignsInOnceThenIsGone) {
  auto stub = v1::TokenService::NewStub(channel_);
  v1::CreateTokenRequest req;
  req.set_name("第二支部书记");
  req.set_role(v1::BRANCH);
  req.set_signin_link(true);
  v1::CreateTokenResponse made;
  grpc::Status s = stub->CreateToken(Ctx().get(), req, &made);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(made.secret().empty()) << "with a link, the secret is shown to nobody";
  const std::string prefix = BaseUrl() + "/auth/link/";
  ASSERT_TRUE(absl::StartsWith(made.signin_url(), prefix)) << made.signin_url();
  const std::string path = made.signin_url().substr(BaseUrl().size());

  httplib::Result first = Client()->Get(path.c_str());
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 303);
  EXPECT_EQ(first->get_header_value("Location"), "/");
  const std::string set = first->get_header_value("Set-Cookie");
  ASSERT_NE(set.find("HttpOnly"), std::string::npos) << set;
  Browser b;
  b.cookie = set.substr(0, set.find(';'));
  httplib::Result who = Session(b);
  ASSERT_TRUE(who);
  ASSERT_EQ(who->status, 200) << who->body;
  EXPECT_NE(who->body.find("第二支部书记"), std::string::npos);

  httplib::Result second = Client()->Get(path.c_str());
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 410);
  EXPECT_NE(second->body.find("登录链接已失效"), std::string::npos);
  EXPECT_TRUE(second->get_header_value("Set-Cookie").empty());
}

TEST_F(HttpSessionTest, AnExpiredLinkIsGone) {
  auto stub = v1::TokenService::NewStub(channel_);
  v1::CreateTokenRequest req;
  req.set_name("第三支部书记");
  req.set_role(v1::BRANCH);
  req.set_signin_link(true);
  v1::CreateTokenResponse made;
  ASSERT_TRUE(stub->CreateToken(Ctx().get(), req, &made).ok());
  clock_->Advance(absl::Hours(25));
  httplib::Result res = Client()->Get(made.signin_url().substr(BaseUrl().size()).c_str());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 410);
}

}  // namespace
}  // namespace rectify
