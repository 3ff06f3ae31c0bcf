// NotifyService and `rectify notify` against the real server: channels set by a committee,
// listed redacted, changed with a version guard, tested against a local receiver; secrets never
// in a response, a command's output, or the audit trail; bad input named and changing nothing.
#include <cstdio>
#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "rectify/v1/notify.grpc.pb.h"
#include "tests/support/server_fixture.h"
#include "tests/support/webhook_receiver.h"

namespace rectify {
namespace {

using testing_support::ScriptedAnswer;
using testing_support::ServerTest;
using testing_support::WebhookReceiver;

constexpr char kKey[] = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa";
constexpr char kSecret[] = "SECb5e8a0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8";

class NotifyServiceTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    receiver_.Start();
    notify_ = v1::NotifyService::NewStub(channel_);
    branch_ = Unit(root_.id, "第二支部");
    url_file_ = WriteFile("url", receiver_.url(std::string("/cgi-bin/webhook/send?key=") + kKey));
    secret_file_ = WriteFile("secret", kSecret);
  }

  std::string WriteFile(const std::string& name, const std::string& text) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << text << "\n";
    return path;
  }

  v1::Channel MustCreate(const std::string& name) {
    v1::CreateChannelRequest r;
    r.set_unit_id(branch_.id());
    r.set_kind(v1::DINGTALK);
    r.set_name(name);
    r.set_url(receiver_.url(std::string("/robot/send?access_token=") + kKey));
    r.set_secret(kSecret);
    v1::Channel c;
    grpc::Status s = notify_->CreateChannel(Ctx().get(), r, &c);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return c;
  }

  int ChannelCount() {
    int n = 0;
    EXPECT_TRUE(store_
                    ->Read([&](ReadTxn& tx) -> absl::Status {
                      auto all = tx.ListChannels("");
                      if (!all.ok()) return all.status();
                      n = static_cast<int>(all->size());
                      return absl::OkStatus();
                    })
                    .ok());
    return n;
  }

  // Every byte of the audit trail.
  std::string AuditText() {
    std::string text;
    EXPECT_TRUE(store_
                    ->Read([&](ReadTxn& tx) -> absl::Status {
                      auto entries = tx.ListAuditEntries(0, 100000);
                      if (!entries.ok()) return entries.status();
                      for (const AuditEntry& e : *entries) {
                        absl::StrAppend(&text, e.method, e.target, e.request, e.before, e.after,
                                        "\n");
                      }
                      return absl::OkStatus();
                    })
                    .ok());
    return text;
  }

  WebhookReceiver receiver_;
  std::unique_ptr<v1::NotifyService::Stub> notify_;
  v1::OrgUnit branch_;
  std::string url_file_;
  std::string secret_file_;
};

TEST_F(NotifyServiceTest, ACommitteeAddsAChannelThatIsListedRedactedAndNeverReturnsItsSecrets) {
  ASSERT_EQ(Run({"notify", "add", "--unit", std::to_string(branch_.id()), "--kind", "wecom",
                 "--name", "第二支部工作群", "--url-file", url_file_}),
            0)
      << err_.str();
  EXPECT_NE(out_.str().find("第二支部工作群"), std::string::npos) << out_.str();
  ASSERT_EQ(Run({"notify", "list"}), 0) << err_.str();
  const std::string listed = out_.str();
  EXPECT_NE(listed.find("第二支部工作群"), std::string::npos) << listed;
  EXPECT_NE(listed.find("****"), std::string::npos) << listed;
  ASSERT_EQ(Run({"--json", "notify", "list"}), 0) << err_.str();
  const std::string json = out_.str();
  EXPECT_NE(json.find("\"url_redacted\": \"http://127.0.0.1"), std::string::npos) << json;
  for (const std::string& text : {listed, json, AuditText()}) {
    EXPECT_EQ(text.find(kKey), std::string::npos) << text;
    EXPECT_EQ(text.find(kSecret), std::string::npos);
  }
  EXPECT_NE(AuditText().find("CreateChannel"), std::string::npos);

  v1::Channel made = MustCreate("党委钉钉群");
  EXPECT_TRUE(made.has_secret());
  EXPECT_EQ(made.url_redacted().find(kKey), std::string::npos) << made.url_redacted();
  v1::ListChannelsResponse all;
  ASSERT_TRUE(notify_->ListChannels(Ctx().get(), v1::ListChannelsRequest(), &all).ok());
  ASSERT_EQ(all.channels_size(), 2);
  EXPECT_EQ(all.DebugString().find(kKey), std::string::npos);
  EXPECT_EQ(all.DebugString().find(kSecret), std::string::npos);
  EXPECT_EQ(AuditText().find(kSecret), std::string::npos);
  EXPECT_EQ(AuditText().find(kKey), std::string::npos);
}

TEST_F(NotifyServiceTest, TheTestCommandSendsOneMessageAndReportsARefusalWithoutTheKey) {
  v1::Channel c = MustCreate("第二支部钉钉群");
  ASSERT_EQ(Run({"notify", "test", std::to_string(c.id())}), 0) << err_.str() << out_.str();
  ASSERT_EQ(receiver_.request_count(), 1u);
  const auto request = receiver_.requests()[0];
  EXPECT_EQ(request.Param("access_token"), kKey);
  EXPECT_FALSE(request.Param("sign").empty()) << "a DingTalk channel with a secret signs";
  EXPECT_NE(request.body.find("测试"), std::string::npos) << request.body;

  receiver_.Script({ScriptedAnswer(
      200, absl::StrCat(R"({"errcode":310000,"errmsg":"sign not match, token=)", kKey, R"("})"))});
  EXPECT_EQ(Run({"notify", "test", std::to_string(c.id())}), 1);
  const std::string said = out_.str() + err_.str();
  EXPECT_NE(said.find("310000"), std::string::npos) << said;
  EXPECT_EQ(said.find(kKey), std::string::npos) << said;
  v1::NotifyStatus status;
  ASSERT_TRUE(notify_->GetNotifyStatus(Ctx().get(), v1::GetNotifyStatusRequest(), &status).ok());
  ASSERT_EQ(status.channels_size(), 1);
  EXPECT_EQ(status.channels(0).channel().consecutive_failures(), 1);
  EXPECT_EQ(status.DebugString().find(kKey), std::string::npos);
}

TEST_F(NotifyServiceTest, BadFieldsAreNamedAndChangeNothing) {
  struct Case {
    const char* field;
    std::function<void(v1::CreateChannelRequest&)> spoil;
  };
  const Case cases[] = {
      {"kind", [](v1::CreateChannelRequest& r) { r.set_kind(v1::CHANNEL_KIND_UNSPECIFIED); }},
      {"name", [](v1::CreateChannelRequest& r) { r.set_name(""); }},
      {"url", [](v1::CreateChannelRequest& r) { r.set_url("ftp://example.org/hook"); }},
      {"url", [](v1::CreateChannelRequest& r) { r.set_url("https://a.example/ hook"); }},
      {"secret", [](v1::CreateChannelRequest& r) { r.set_secret(std::string(201, 'x')); }},
      {"lang", [](v1::CreateChannelRequest& r) { r.set_lang("fr"); }},
      {"mail_to", [](v1::CreateChannelRequest& r) { r.add_mail_to("a@example.org"); }},
      {"mail_from",
       [](v1::CreateChannelRequest& r) {
         r.set_kind(v1::EMAIL);
         r.set_url("smtp://127.0.0.1:25");
         r.set_mail_from("not an address");
         r.add_mail_to("a@example.org");
       }},
      {"mail_to",
       [](v1::CreateChannelRequest& r) {
         r.set_kind(v1::EMAIL);
         r.set_url("smtp://127.0.0.1:25");
         r.set_mail_from("rectify@example.org");
         r.add_mail_to("x@example.org\r\nBcc: evil@example.org");
       }},
  };
  for (const Case& c : cases) {
    v1::CreateChannelRequest r;
    r.set_unit_id(branch_.id());
    r.set_kind(v1::WECOM);
    r.set_name("群");
    r.set_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc");
    c.spoil(r);
    v1::Channel out;
    grpc::Status s = notify_->CreateChannel(Ctx().get(), r, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.field;
    EXPECT_NE(s.error_message().find(c.field), std::string::npos)
        << c.field << ": " << s.error_message();
  }
  EXPECT_EQ(ChannelCount(), 0);
  // The command line refuses a missing file before sending anything.
  EXPECT_EQ(Run({"notify", "add", "--kind", "wecom", "--name", "群", "--url-file",
                 dir_ + "/no-such-file"}),
            2);
  EXPECT_NE(err_.str().find("--url-file"), std::string::npos) << err_.str();
  EXPECT_EQ(ChannelCount(), 0);
}

TEST_F(NotifyServiceTest, UpdatesAreGuardedByVersionAndKeepSecretsNotNamed) {
  v1::Channel c = MustCreate("群");
  v1::UpdateChannelRequest r;
  r.set_id(c.id());
  r.set_expected_version(c.version());
  r.add_update_mask("enabled");
  r.set_enabled(false);
  v1::Channel updated;
  ASSERT_TRUE(notify_->UpdateChannel(Ctx().get(), r, &updated).ok());
  EXPECT_FALSE(updated.enabled());
  EXPECT_TRUE(updated.has_secret()) << "a secret not in the mask keeps its value";
  EXPECT_EQ(updated.version(), c.version() + 1);
  grpc::Status stale = notify_->UpdateChannel(Ctx().get(), r, &updated);
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::ABORTED) << stale.error_message();
  r.clear_update_mask();
  r.add_update_mask("colour");
  r.set_expected_version(0);
  grpc::Status unknown = notify_->UpdateChannel(Ctx().get(), r, &updated);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(unknown.error_message().find("update_mask"), std::string::npos);

  ASSERT_EQ(Run({"notify", "update", std::to_string(c.id()), "--enable", "--name", "新名字"}), 0)
      << err_.str();
  ASSERT_EQ(Run({"notify", "remove", std::to_string(c.id())}), 0) << err_.str();
  EXPECT_EQ(ChannelCount(), 0);
  EXPECT_EQ(Run({"notify", "remove", std::to_string(c.id())}), 4) << "NOT_FOUND";
}

TEST_F(NotifyServiceTest, ABranchSeesItsChannelsButCannotSetThem) {
  MustCreate("第二支部群");
  const std::string branch = BranchToken(branch_.id());
  v1::ListChannelsResponse listed;
  ASSERT_TRUE(notify_->ListChannels(CtxAs(branch).get(), v1::ListChannelsRequest(), &listed).ok());
  EXPECT_EQ(listed.channels_size(), 1);
  v1::CreateChannelRequest r;
  r.set_kind(v1::WECOM);
  r.set_name("自建群");
  r.set_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc");
  v1::Channel out;
  EXPECT_EQ(notify_->CreateChannel(CtxAs(branch).get(), r, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ChannelCount(), 1);
}

TEST_F(NotifyServiceTest, ARetriedCreateMakesOneChannel) {
  v1::CreateChannelRequest r;
  r.set_request_id("5f0c4c3e-2f3a-4c5e-9f0a-1b2c3d4e5f60");
  r.set_unit_id(branch_.id());
  r.set_kind(v1::FEISHU);
  r.set_name("飞书群");
  r.set_url("https://open.feishu.cn/open-apis/bot/v2/hook/abc");
  v1::Channel first, second;
  ASSERT_TRUE(notify_->CreateChannel(Ctx().get(), r, &first).ok());
  ASSERT_TRUE(notify_->CreateChannel(Ctx().get(), r, &second).ok());
  EXPECT_EQ(first.id(), second.id());
  EXPECT_EQ(ChannelCount(), 1);
}

}  // namespace
}  // namespace rectify
