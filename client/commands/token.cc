// token create|list|revoke and whoami: API tokens (TokenService, auth.proto).
//
// The secret of a new token is printed once, on stdout, and never again: the server keeps only
// its hash. Save it in a file only you can read (chmod 600) or in RECTIFY_TOKEN.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/commands/commands.h"
#include "client/commands/unit_ref.h"
#include "client/commands/validators.h"
#include "client/output/format.h"
#include "client/output/table.h"
#include "client/rpc/request_id.h"
#include "rectify/v1/auth.grpc.pb.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

const char* RoleText(v1::Role role, Lang lang) {
  switch (role) {
    case v1::COMMITTEE:
      return Tr(lang, "党委", "committee");
    case v1::BRANCH:
      return Tr(lang, "支部", "branch");
    case v1::SUPERVISOR:
      return Tr(lang, "督查", "supervisor");
    default:
      return "?";
  }
}

// The state a person should read: 有效 / 已吊销 / 已过期.
std::string TokenState(const Session& s, const v1::ApiToken& t) {
  if (t.has_revoke_time()) return Tr(s.lang(), "已吊销", "revoked");
  if (t.has_expire_time() && t.expire_time().seconds() <= absl::ToUnixSeconds(absl::Now())) {
    return Tr(s.lang(), "已过期", "expired");
  }
  return Tr(s.lang(), "有效", "valid");
}

std::string TokenTable(const Session& s,
                       const google::protobuf::RepeatedPtrField<v1::ApiToken>& tokens) {
  const Lang lang = s.lang();
  Table table({Tr(lang, "编号", "ID"), Tr(lang, "持有人/岗位", "Holder"), Tr(lang, "角色", "Role"),
               Tr(lang, "单位", "Unit"), Tr(lang, "状态", "State"), Tr(lang, "签发", "Issued"),
               Tr(lang, "到期", "Expires"), Tr(lang, "吊销", "Revoked")});
  table.SetAlign(0, Table::Align::kRight).SetMaxWidth(1, 24).SetMaxWidth(3, 24);
  for (const v1::ApiToken& t : tokens) {
    table.AddRow({absl::StrCat(t.id()), t.name(), RoleText(t.role(), lang),
                  absl::StrCat(t.unit_name(), " (", t.unit_id(), ")"), TokenState(s, t),
                  FormatTimestamp(t.create_time(), s.zone()),
                  t.has_expire_time() ? FormatTimestamp(t.expire_time(), s.zone())
                                      : Tr(lang, "不过期", "never"),
                  FormatTimestamp(t.revoke_time(), s.zone())});
  }
  return table.Render();
}

std::string TokenLine(const Session& s, const v1::ApiToken& t) {
  std::string line = absl::StrCat("#", t.id(), "  ", t.name(), "  ", RoleText(t.role(), s.lang()),
                                  "  ", t.unit_name(), " (", t.unit_id(), ")");
  if (t.has_expire_time()) {
    absl::StrAppend(&line, "  ", Tr(s.lang(), "到期 ", "expires "),
                    FormatTimestamp(t.expire_time(), s.zone()));
  }
  if (t.has_revoke_time()) {
    absl::StrAppend(&line, "  ", Tr(s.lang(), "已吊销 ", "revoked "),
                    FormatTimestamp(t.revoke_time(), s.zone()));
  }
  return line + "\n";
}

struct CreateOptions {
  std::string name;
  std::string role;
  int64_t unit_id = 0;
  int days = 0;
  bool link = false;
};

int Create(Session& s, const CreateOptions& o) {
  v1::CreateTokenRequest request;
  request.set_request_id(NewRequestId());
  request.set_name(o.name);
  request.set_role(o.role == "committee"    ? v1::COMMITTEE
                   : o.role == "supervisor" ? v1::SUPERVISOR
                                            : v1::BRANCH);
  request.set_unit_id(o.unit_id);
  request.set_signin_link(o.link);
  if (o.days > 0) {
    request.mutable_expire_time()->set_seconds(absl::ToUnixSeconds(absl::Now()) +
                                               int64_t{o.days} * 86400);
  }
  v1::CreateTokenResponse response;
  auto stub = v1::TokenService::NewStub(s.rpc().channel());
  grpc::Status status =
      s.Call([&](grpc::ClientContext* c) { return stub->CreateToken(c, request, &response); });
  if (!status.ok()) return s.Fail(status);
  if (o.link) {
    // The link is the credential handed out; the server returned no secret at all.
    s.Note(absl::StrCat(
        Tr(s.lang(), "已签发：", "issued: "), TokenLine(s, response.token()),
        "一次性登录链接：24 小时内有效，只能打开一次；打开后浏览器即以此令牌登录。请只交给持有人。"
        "/ One-time sign-in link: valid 24 hours, opens once, and signs that browser in with this "
        "token. Hand it to the holder only."));
    return s.Show(response, [&] { return absl::StrCat(response.signin_url(), "\n"); });
  }
  // What was issued goes to stderr with the warning; stdout carries the secret alone, so that
  // `rectify token create ... > holder.token` makes a token file the client can read.
  s.Note(absl::StrCat(
      Tr(s.lang(), "已签发：", "issued: "), TokenLine(s, response.token()),
      "注意：令牌只显示这一次，服务器只保存其摘要。请立即存入仅本人可读的文件（chmod 600）"
      "或交给持有人。/ Warning: the token is shown only this once; the server keeps only its "
      "hash. Store it now in an owner-only file (chmod 600) or hand it over."));
  return s.Show(response, [&] { return absl::StrCat(response.secret(), "\n"); });
}

int List(Session& s) {
  auto stub = v1::TokenService::NewStub(s.rpc().channel());
  v1::ListTokensResponse all;
  std::string page_token;
  do {
    v1::ListTokensRequest request;
    request.set_page_token(page_token);
    v1::ListTokensResponse page;
    grpc::Status status =
        s.Call([&](grpc::ClientContext* c) { return stub->ListTokens(c, request, &page); });
    if (!status.ok()) return s.Fail(status);
    for (const v1::ApiToken& t : page.tokens()) *all.add_tokens() = t;
    page_token = page.next_page_token();
  } while (!page_token.empty());
  return s.Show(all, [&] {
    if (all.tokens().empty()) return std::string(Tr(s.lang(), "（没有令牌）\n", "(no tokens)\n"));
    return TokenTable(s, all.tokens());
  });
}

int Revoke(Session& s, int64_t id) {
  v1::RevokeTokenRequest request;
  request.set_request_id(NewRequestId());
  request.set_id(id);
  v1::ApiToken response;
  auto stub = v1::TokenService::NewStub(s.rpc().channel());
  grpc::Status status =
      s.Call([&](grpc::ClientContext* c) { return stub->RevokeToken(c, request, &response); });
  if (!status.ok()) return s.Fail(status);
  return s.Show(response, [&] { return TokenLine(s, response); });
}

int WhoAmI(Session& s) {
  v1::WhoAmIRequest request;
  v1::ApiToken response;
  auto stub = v1::TokenService::NewStub(s.rpc().channel());
  grpc::Status status =
      s.Call([&](grpc::ClientContext* c) { return stub->WhoAmI(c, request, &response); });
  if (!status.ok()) return s.Fail(status);
  return s.Show(response, [&] { return TokenLine(s, response); });
}

}  // namespace

void AddTokenCommands(CLI::App& app, Action* action) {
  CLI::App* token = app.add_subcommand("token", "API 令牌（党委）/ API tokens (committee)");
  token->require_subcommand(1);
  {
    auto o = std::make_shared<CreateOptions>();
    CLI::App* cmd = token->add_subcommand(
        "create", "为某人或岗位签发令牌；令牌只显示一次 / issue a token; shown only once");
    cmd->add_option("--name", o->name, "持有人或岗位（记为操作人）/ holder or post (the actor)")
        ->required();
    cmd->add_option("--role", o->role, "角色 / role")
        ->check(ChoiceValidator({"committee", "branch", "supervisor"}))
        ->required();
    AddUnitOption(cmd, "--unit", &o->unit_id,
                  "绑定的单位（须在本人子树内；默认本单位）/ bound unit");
    cmd->add_option("--days", o->days,
                    "有效天数（默认不过期）/ valid for N days (default: no expiry)")
        ->type_name("N")
        ->check(WholeNumberValidator(1, kNoLimit));
    cmd->add_flag("--link", o->link,
                  "打印一次性网页登录链接（24 小时内有效）而不是令牌 / print a one-time web "
                  "sign-in link (valid 24 h) instead of the token");
    cmd->footer(
        Examples({"rectify token create --name 第一支部书记 --role branch --unit 2 > "
                  "branch.token && chmod 600 branch.token",
                  "rectify token create --name 第二支部书记 --role branch --unit 3 --link",
                  "rectify token create --name 纪委办 --role supervisor --days 365"}));
    OnRun(cmd, action, [o](Session& s) { return Create(s, *o); });
  }
  {
    CLI::App* cmd = token->add_subcommand(
        "list", "列出本人子树内的令牌（不含密钥）/ tokens in your subtree (never secrets)");
    cmd->footer(Examples({"rectify token list"}));
    OnRun(cmd, action, [](Session& s) { return List(s); });
  }
  {
    auto id = std::make_shared<int64_t>(0);
    CLI::App* cmd =
        token->add_subcommand("revoke", "吊销令牌，立即生效 / revoke a token, effective at once");
    cmd->add_option("ID", *id, "令牌编号 / token id")->required();
    cmd->footer(Examples({"rectify token revoke 3"}));
    OnRun(cmd, action, [id](Session& s) { return Revoke(s, *id); });
  }
  CLI::App* who = app.add_subcommand("whoami", "显示当前令牌的身份 / show who your token is");
  who->footer(Examples({"rectify whoami"}));
  OnRun(who, action, [](Session& s) { return WhoAmI(s); });
}

}  // namespace rectify::client
