#include "client/commands/root.h"

#include <cstdlib>
#include <string>
#include <utility>

#include "client/commands/import.h"
#include "client/commands/validators.h"
#include "client/rpc/exit_codes.h"

namespace rectify::client {
namespace {

constexpr char kDefaultServer[] = "127.0.0.1:50051";

std::string Env(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

std::string RootFooter() {
  return std::string(
             "环境变量 / Environment:\n"
             "  RECTIFY_SERVER  默认服务器地址 / default --server (127.0.0.1:50051)\n"
             "  RECTIFY_LANG    默认语言 zh|en / default --lang (zh)\n"
             "  RECTIFY_ACTOR   默认操作人，未设置时用 USER / default --as (else $USER)\n"
             "  RECTIFY_TZ      显示时间所用时区 / time zone for times shown (Asia/Shanghai)\n"
             "\n"
             "操作人以 gRPC 元数据 x-rectify-actor 发送，非 ASCII 字符按 UTF-8 百分号编码，\n"
             "服务器解码。/ The actor is sent as gRPC metadata x-rectify-actor, percent-encoded\n"
             "(UTF-8); the server decodes it.\n"
             "\n"
             "--json 时标准输出只有一个 JSON 文档（字段名同 .proto），错误只写到标准错误。\n"
             "/ With --json, stdout holds one JSON document (proto field names); errors go to\n"
             "stderr only.\n"
             "\n") +
         ExitCodeHelp() + "\n" +
         Examples({"rectify --server 10.0.0.5:50051 --as 张三 task list --status open --overdue",
                   "rectify task show 12"});
}

}  // namespace

void OnRun(CLI::App* command, Action* action, Action run) {
  command->callback([action, run = std::move(run)] { *action = run; });
}

std::string Examples(std::initializer_list<const char*> lines) {
  std::string out = "示例 / Example:\n";
  for (const char* line : lines) out += std::string("  ") + line + "\n";
  return out;
}

void AddExpectVersion(CLI::App* command, int64_t* version) {
  command
      ->add_option("--expect-version", *version,
                   "调用方看到的版本，不一致时拒绝（退出码 7）；0 不检查 / the version you saw; "
                   "refused with exit code 7 when stale; 0 skips the check")
      ->type_name("N")
      ->check(CLI::NonNegativeNumber);
}

std::unique_ptr<CLI::App> BuildCli(GlobalOptions* options, Action* action) {
  auto app = std::make_unique<CLI::App>(
      "rectify：整改台账命令行客户端 / command-line client of the Rectify ledger", "rectify");
  // Set before adding subcommands: they inherit it, so global options may follow the verb.
  app->fallthrough();
  // A global option given twice (say RECTIFY_ACTOR in an alias, then --as on the line) takes the
  // last value, as shells users expect.
  app->require_subcommand(1);
  app->set_version_flag("--version", "rectify 0.1.0");
  app->failure_message([](const CLI::App*, const CLI::Error& e) {
    return std::string("错误: ") + e.what() + "\n加 --help 查看用法 / add --help for usage\n";
  });
  app->footer(RootFooter());

  options->server = Env("RECTIFY_SERVER", kDefaultServer);
  app->add_option("--server", options->server, "服务器地址 / server address")
      ->type_name("HOST:PORT")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
      ->capture_default_str();
  app->add_flag("--json", options->json,
                "以 JSON 输出响应（字段名同 .proto）/ print the response as JSON");
  // Anything but "en..." in RECTIFY_LANG means Chinese, the organisation's language.
  options->lang = Env("RECTIFY_LANG", "zh").rfind("en", 0) == 0 ? "en" : "zh";
  app->add_option("--lang", options->lang, "表头和标签的语言 / language of headings and labels")
      ->check(CLI::IsMember({"zh", "en"}))
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
      ->capture_default_str();
  options->actor = Env("RECTIFY_ACTOR", Env("USER", ""));
  app->add_option("--as", options->actor, "操作人姓名 / name of the person acting")
      ->type_name("NAME")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
      ->check(Utf8Validator())
      ->capture_default_str();
  app->add_option("--timeout", options->timeout_seconds,
                  "每次调用的时限（秒）/ deadline of each call in seconds")
      ->type_name("SECONDS")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
      ->check(CLI::PositiveNumber)
      ->capture_default_str();

  AddUnitCommands(*app, action);
  AddReviewCommands(*app, action);
  AddTaskCommands(*app, action);
  AddDraftTaskCommands(*app->get_subcommand("task"), action);
  AddImportCommand(*app, action);
  AddExtensionCommands(*app, action);
  AddReportCommands(*app, action);
  AddAdminCommands(*app, action);
  AddWatchCommands(*app, action);
  AddExportCommands(*app, action);
  return app;
}

int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  GlobalOptions options;
  Action action;
  auto app = BuildCli(&options, &action);
  try {
    app->parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" with exit code 0; every real one is a usage error.
    return app->exit(e, out, err) == 0 ? kExitOk : kExitUsage;
  }
  if (!action) {  // not reachable while every noun requires a verb; keep the contract anyway
    err << app->help();
    return kExitUsage;
  }
  Session session(std::move(options), out, err);
  return action(session);
}

}  // namespace rectify::client
