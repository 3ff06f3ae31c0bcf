// notify add|list|update|remove|test|status: where a unit's reminders, urges and escalations go
// (NotifyService, notify.proto; docs/notifications.md).
//
// A webhook URL carries the robot's key and a signing secret or SMTP password is a password:
// they are read from a file (or standard input with "-"), never from the command line, where
// they would land in the shell's history and in `ps`. The server never returns them.
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "client/commands/commands.h"
#include "client/commands/unit_ref.h"
#include "client/commands/validators.h"
#include "client/output/format.h"
#include "client/output/table.h"
#include "client/rpc/exit_codes.h"
#include "client/rpc/request_id.h"
#include "rectify/v1/notify.grpc.pb.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

const char* KindText(v1::ChannelKind kind, Lang lang) {
  switch (kind) {
    case v1::WECOM:
      return Tr(lang, "企业微信", "WeCom");
    case v1::DINGTALK:
      return Tr(lang, "钉钉", "DingTalk");
    case v1::FEISHU:
      return Tr(lang, "飞书", "Feishu");
    case v1::EMAIL:
      return Tr(lang, "邮件", "mail");
    default:
      return "?";
  }
}

v1::ChannelKind KindOf(const std::string& kind) {
  if (kind == "wecom") return v1::WECOM;
  if (kind == "dingtalk") return v1::DINGTALK;
  if (kind == "feishu") return v1::FEISHU;
  return v1::EMAIL;
}

const char* StateText(v1::DeliveryState state, Lang lang) {
  switch (state) {
    case v1::PENDING:
      return Tr(lang, "待发送", "pending");
    case v1::SENT:
      return Tr(lang, "已送达", "sent");
    case v1::FAILED:
      return Tr(lang, "失败", "failed");
    default:
      return "?";
  }
}

// The first line of a file (or of standard input for "-"), trimmed. A secret's file holds the
// secret alone; a trailing newline is not part of it.
bool ReadSecretFile(Session& s, const std::string& option, const std::string& path,
                    std::string* out, int* exit_code) {
  std::string text;
  if (path == "-") {
    std::getline(std::cin, text);
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      *exit_code =
          s.FailUsage(absl::StrCat(option, ": 无法读取文件 ", path, " / cannot read ", path));
      return false;
    }
    std::getline(in, text);
  }
  *out = std::string(absl::StripAsciiWhitespace(text));
  if (out->empty()) {
    *exit_code = s.FailUsage(absl::StrCat(option, ": 文件为空 / the file is empty: ", path));
    return false;
  }
  return true;
}

std::string ChannelTable(const Session& s,
                         const google::protobuf::RepeatedPtrField<v1::Channel>& channels) {
  const Lang lang = s.lang();
  Table table({Tr(lang, "编号", "ID"), Tr(lang, "名称", "Name"), Tr(lang, "类型", "Kind"),
               Tr(lang, "单位", "Unit"), Tr(lang, "地址（已隐去密钥）", "Address (redacted)"),
               Tr(lang, "状态", "State"), Tr(lang, "连续失败", "Failures"),
               Tr(lang, "最近错误", "Last error")});
  table.SetAlign(0, Table::Align::kRight).SetMaxWidth(1, 20).SetMaxWidth(4, 80).SetMaxWidth(7, 40);
  for (const v1::Channel& c : channels) {
    std::string state = c.enabled() ? Tr(lang, "启用", "on") : Tr(lang, "停用", "off");
    if (c.supervision()) absl::StrAppend(&state, Tr(lang, "，督办抄送", ", supervision"));
    std::string address = c.url_redacted();
    if (c.kind() == v1::EMAIL) absl::StrAppend(&address, " → ", absl::StrJoin(c.mail_to(), ","));
    table.AddRow({absl::StrCat(c.id()), c.name(), KindText(c.kind(), lang),
                  absl::StrCat(c.unit_name(), " (", c.unit_id(), ")"), address, state,
                  absl::StrCat(c.consecutive_failures()), c.last_error()});
  }
  return table.Render();
}

std::string ChannelLine(const Session& s, const v1::Channel& c) {
  return absl::StrCat("#", c.id(), "  ", c.name(), "  ", KindText(c.kind(), s.lang()), "  ",
                      c.unit_name(), " (", c.unit_id(), ")  ", c.url_redacted(),
                      c.has_secret() ? Tr(s.lang(), "  （已设密钥）", "  (secret set)") : "", "\n");
}

struct ChannelOptions {
  int64_t id = 0;
  int64_t unit_id = 0;
  std::string kind;
  std::string name;
  std::string url_file;
  std::string secret_file;
  std::string smtp_user;
  std::string from;
  std::vector<std::string> to;
  std::string supervision;  // "yes"/"no"; empty: unchanged (update) or no (add)
  std::string lang;
  bool enable = false;
  bool disable = false;
  int64_t expect_version = 0;
};

int Add(Session& s, const ChannelOptions& o) {
  v1::CreateChannelRequest request;
  request.set_request_id(NewRequestId());
  request.set_unit_id(o.unit_id);
  request.set_kind(KindOf(o.kind));
  request.set_name(o.name);
  int code = 0;
  if (!ReadSecretFile(s, "--url-file", o.url_file, request.mutable_url(), &code)) return code;
  if (!o.secret_file.empty() &&
      !ReadSecretFile(s, "--secret-file", o.secret_file, request.mutable_secret(), &code)) {
    return code;
  }
  request.set_smtp_user(o.smtp_user);
  request.set_mail_from(o.from);
  for (const std::string& to : o.to) request.add_mail_to(to);
  request.set_supervision(o.supervision == "yes");
  request.set_lang(o.lang);
  v1::Channel response;
  auto stub = v1::NotifyService::NewStub(s.rpc().channel());
  grpc::Status status =
      s.Call([&](grpc::ClientContext* c) { return stub->CreateChannel(c, request, &response); });
  if (!status.ok()) return s.Fail(status);
  s.Note(Tr(s.lang(), "已添加。可用 rectify notify test 发一条测试消息。",
            "added. Send a test message with rectify notify test."));
  return s.Show(response, [&] { return ChannelLine(s, response); });
}

int List(Session& s, int64_t unit_id) {
  v1::ListChannelsRequest request;
  request.set_unit_id(unit_id);
  v1::ListChannelsResponse response;
  auto stub = v1::NotifyService::NewStub(s.rpc().channel());
  grpc::Status status =
      s.Call([&](grpc::ClientContext* c) { return stub->ListChannels(c, request, &response); });
  if (!status.ok()) return s.Fail(status);
  return s.Show(response, [&] {
    if (response.channels().empty()) {
      return std::string(Tr(s.lang(), "（没有通知渠道）\n", "(no channels)\n"));
    }
    return ChannelTable(s, response.channels());
  });
}

int Update(Session& s, const ChannelOptions& o) {
  v1::UpdateChannelRequest request;
  request.set_request_id(NewRequestId());
  request.set_id(o.id);
  request.set_expected_version(o.expect_version);
  int code = 0;
  if (!o.name.empty()) request.add_update_mask("name"), request.set_name(o.name);
  if (!o.url_file.empty()) {
    if (!ReadSecretFile(s, "--url-file", o.url_file, request.mutable_url(), &code)) return code;
    request.add_update_mask("url");
  }
  if (!o.secret_file.empty()) {
    if (!ReadSecretFile(s, "--secret-file", o.secret_file, request.mutable_secret(), &code)) {
      return code;
    }
    request.add_update_mask("secret");
  }
  if (!o.smtp_user.empty())
    request.add_update_mask("smtp_user"), request.set_smtp_user(o.smtp_user);
  if (!o.from.empty()) request.add_update_mask("mail_from"), request.set_mail_from(o.from);
  if (!o.to.empty()) {
    request.add_update_mask("mail_to");
    for (const std::string& to : o.to) request.add_mail_to(to);
  }
  if (!o.supervision.empty()) {
    request.add_update_mask("supervision");
    request.set_supervision(o.supervision == "yes");
  }
  if (!o.lang.empty()) request.add_update_mask("lang"), request.set_lang(o.lang);
  if (o.enable || o.disable) request.add_update_mask("enabled"), request.set_enabled(o.enable);
  if (request.update_mask().empty()) {
    return s.FailUsage(
        "没有要修改的内容：请至少给出一个选项 / nothing to change: give at least one option");
  }
  v1::Channel response;
  auto stub = v1::NotifyService::NewStub(s.rpc().channel());
  grpc::Status status =
      s.Call([&](grpc::ClientContext* c) { return stub->UpdateChannel(c, request, &response); });
  if (!status.ok()) return s.Fail(status);
  return s.Show(response, [&] { return ChannelLine(s, response); });
}

int Remove(Session& s, int64_t id) {
  v1::DeleteChannelRequest request;
  request.set_request_id(NewRequestId());
  request.set_id(id);
  v1::Channel response;
  auto stub = v1::NotifyService::NewStub(s.rpc().channel());
  grpc::Status status =
      s.Call([&](grpc::ClientContext* c) { return stub->DeleteChannel(c, request, &response); });
  if (!status.ok()) return s.Fail(status);
  s.Note(Tr(s.lang(), "已删除。", "removed."));
  return s.Show(response, [&] { return ChannelLine(s, response); });
}

int Test(Session& s, int64_t id) {
  v1::TestChannelRequest request;
  request.set_id(id);
  v1::TestChannelResponse response;
  auto stub = v1::NotifyService::NewStub(s.rpc().channel());
  grpc::Status status =
      s.Call([&](grpc::ClientContext* c) { return stub->TestChannel(c, request, &response); });
  if (!status.ok()) return s.Fail(status);
  const int shown = s.Show(response, [&] {
    return response.delivered()
               ? absl::StrCat(Tr(s.lang(), "测试消息已送达。", "test message delivered."), "\n")
               : absl::StrCat(Tr(s.lang(), "测试消息未送达：", "test message not delivered: "),
                              response.detail(), "\n");
  });
  // A channel that does not work is a failure for a script too.
  return response.delivered() ? shown : kExitOther;
}

int Status(Session& s, int64_t unit_id, bool failed_only, int limit) {
  v1::GetNotifyStatusRequest request;
  request.set_unit_id(unit_id);
  request.set_failed_only(failed_only);
  request.set_page_size(limit);
  v1::NotifyStatus response;
  auto stub = v1::NotifyService::NewStub(s.rpc().channel());
  grpc::Status status =
      s.Call([&](grpc::ClientContext* c) { return stub->GetNotifyStatus(c, request, &response); });
  if (!status.ok()) return s.Fail(status);
  return s.Show(response, [&] {
    const Lang lang = s.lang();
    Table channels({Tr(lang, "编号", "ID"), Tr(lang, "渠道", "Channel"), Tr(lang, "单位", "Unit"),
                    Tr(lang, "待发送", "Pending"), Tr(lang, "已送达", "Sent"),
                    Tr(lang, "失败", "Failed"), Tr(lang, "连续失败", "Failures in a row"),
                    Tr(lang, "最近错误", "Last error")});
    channels.SetAlign(0, Table::Align::kRight).SetMaxWidth(7, 48);
    for (const v1::ChannelStatus& c : response.channels()) {
      channels.AddRow({absl::StrCat(c.channel().id()), c.channel().name(), c.channel().unit_name(),
                       absl::StrCat(c.pending()), absl::StrCat(c.sent()), absl::StrCat(c.failed()),
                       absl::StrCat(c.channel().consecutive_failures()), c.channel().last_error()});
    }
    Table deliveries({Tr(lang, "通知", "Notice"), Tr(lang, "渠道", "Channel"),
                      Tr(lang, "类别", "Topic"), Tr(lang, "任务", "Task"),
                      Tr(lang, "状态", "State"), Tr(lang, "尝试", "Attempts"),
                      Tr(lang, "时间", "Time"), Tr(lang, "错误", "Error")});
    deliveries.SetMaxWidth(7, 48);
    for (const v1::DeliveryRecord& d : response.deliveries()) {
      deliveries.AddRow(
          {absl::StrCat(d.notice_id()), d.channel_name(), d.topic(),
           d.task_id() == 0 ? "" : absl::StrCat("#", d.task_id()), StateText(d.state(), lang),
           absl::StrCat(d.attempts()),
           FormatTimestamp(d.has_sent_time() ? d.sent_time() : d.notice_time(), s.zone()),
           d.last_error()});
    }
    std::string out = response.channels().empty()
                          ? std::string(Tr(lang, "（没有通知渠道）\n", "(no channels)\n"))
                          : channels.Render();
    if (!response.deliveries().empty()) {
      absl::StrAppend(&out, "\n", Tr(lang, "最近的投递：\n", "Latest deliveries:\n"),
                      deliveries.Render());
    }
    return out;
  });
}

void AddChannelFields(CLI::App* cmd, ChannelOptions* o, bool adding) {
  cmd->add_option("--name", o->name, "渠道名称，如“二支部工作群” / channel name");
  cmd->add_option("--url-file", o->url_file,
                  "含 Webhook 地址（邮件：smtp://主机:端口）的文件，- 为标准输入 / file holding "
                  "the webhook URL (mail: smtp://host:port); - for stdin");
  cmd->add_option("--secret-file", o->secret_file,
                  "含加签密钥或 SMTP 密码的文件，- 为标准输入 / file holding the signing secret "
                  "or SMTP password; - for stdin");
  cmd->add_option("--smtp-user", o->smtp_user, "SMTP 用户名 / SMTP user");
  cmd->add_option("--from", o->from, "发件地址 / sender address");
  cmd->add_option("--to", o->to, "收件地址，可多个 / recipient addresses")->delimiter(',');
  cmd->add_option("--supervision", o->supervision,
                  "是否抄送全部二级督办（督查室的渠道）/ also receive every level 2 escalation")
      ->check(ChoiceValidator({"yes", "no"}));
  cmd->add_option("--lang", o->lang, "消息语言 / message language")
      ->check(ChoiceValidator({"zh", "en"}));
  if (adding) {
    cmd->get_option("--name")->required();
    cmd->get_option("--url-file")->required();
  }
}

}  // namespace

void AddNotifyCommands(CLI::App& app, Action* action) {
  CLI::App* notify =
      app.add_subcommand("notify", "通知渠道：企业微信、钉钉、飞书、邮件 / notification channels");
  notify->require_subcommand(1);
  {
    auto o = std::make_shared<ChannelOptions>();
    CLI::App* cmd = notify->add_subcommand(
        "add", "为单位添加通知渠道（党委）/ add a channel to a unit (committee)");
    AddUnitOption(cmd, "--unit", &o->unit_id, "单位（默认本单位）/ unit (default: your own)");
    cmd->add_option("--kind", o->kind, "类型 / kind")
        ->check(ChoiceValidator({"wecom", "dingtalk", "feishu", "email"}))
        ->required();
    AddChannelFields(cmd, o.get(), /*adding=*/true);
    cmd->footer(Examples(
        {"rectify notify add --unit 3 --kind wecom --name 二支部工作群 --url-file wecom.url",
         "rectify notify add --kind dingtalk --name 党委群 --url-file dd.url --secret-file "
         "dd.secret",
         "rectify notify add --kind email --name 督查室邮箱 --url-file smtp.url --smtp-user "
         "duchashi --secret-file smtp.pass --from rectify@example.org --to a@example.org "
         "--supervision yes"}));
    OnRun(cmd, action, [o](Session& s) { return Add(s, *o); });
  }
  {
    auto unit = std::make_shared<int64_t>(0);
    CLI::App* cmd = notify->add_subcommand(
        "list", "列出子树内的通知渠道（密钥已隐去）/ channels in your subtree (redacted)");
    AddUnitOption(cmd, "--unit", unit.get(), "单位（默认本单位）/ unit (default: your own)");
    cmd->footer(Examples({"rectify notify list", "rectify notify list --unit 3"}));
    OnRun(cmd, action, [unit](Session& s) { return List(s, *unit); });
  }
  {
    auto o = std::make_shared<ChannelOptions>();
    CLI::App* cmd =
        notify->add_subcommand("update", "修改通知渠道（党委）/ change a channel (committee)");
    cmd->add_option("ID", o->id, "渠道编号 / channel id")->required()->check(IdValidator());
    AddChannelFields(cmd, o.get(), /*adding=*/false);
    CLI::Option* enable = cmd->add_flag("--enable", o->enable, "启用 / switch on");
    CLI::Option* disable = cmd->add_flag("--disable", o->disable, "停用 / switch off");
    enable->excludes(disable);
    AddExpectVersion(cmd, &o->expect_version);
    cmd->footer(Examples({"rectify notify update 2 --disable",
                          "rectify notify update 2 --url-file new.url --enable"}));
    OnRun(cmd, action, [o](Session& s) { return Update(s, *o); });
  }
  {
    auto id = std::make_shared<int64_t>(0);
    CLI::App* cmd =
        notify->add_subcommand("remove", "删除通知渠道（党委）/ remove a channel (committee)");
    cmd->add_option("ID", *id, "渠道编号 / channel id")->required()->check(IdValidator());
    cmd->footer(Examples({"rectify notify remove 2"}));
    OnRun(cmd, action, [id](Session& s) { return Remove(s, *id); });
  }
  {
    auto id = std::make_shared<int64_t>(0);
    CLI::App* cmd = notify->add_subcommand(
        "test", "立即发一条测试消息并报告结果 / send a test message now and report how it went");
    cmd->add_option("ID", *id, "渠道编号 / channel id")->required()->check(IdValidator());
    cmd->footer(Examples({"rectify notify test 2"}));
    OnRun(cmd, action, [id](Session& s) { return Test(s, *id); });
  }
  {
    auto unit = std::make_shared<int64_t>(0);
    auto failed = std::make_shared<bool>(false);
    auto limit = std::make_shared<int>(20);
    CLI::App* cmd = notify->add_subcommand(
        "status", "各渠道投递情况与最近的投递 / delivery counts per channel and the latest ones");
    AddUnitOption(cmd, "--unit", unit.get(), "单位（默认本单位）/ unit (default: your own)");
    cmd->add_flag("--failed", *failed, "只看失败的投递 / failed deliveries only");
    cmd->add_option("--limit", *limit, "最多列出几条投递（1-200）/ deliveries listed, 1-200")
        ->check(WholeNumberValidator(1, 200));
    cmd->footer(Examples({"rectify notify status", "rectify notify status --failed"}));
    OnRun(cmd, action,
          [unit, failed, limit](Session& s) { return Status(s, *unit, *failed, *limit); });
  }
}

}  // namespace rectify::client
