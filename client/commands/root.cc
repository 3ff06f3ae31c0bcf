#include "client/commands/root.h"

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "client/commands/cli_errors.h"
#include "client/commands/import.h"
#include "client/commands/paperwork.h"
#include "client/commands/unit_ref.h"
#include "client/commands/validators.h"
#include "client/rpc/exit_codes.h"
#include "client/rpc/token_source.h"

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
             "  RECTIFY_TOKEN   API 令牌（优先于 --token-file）/ the API token (before "
             "--token-file)\n"
             "  RECTIFY_TZ      显示时间所用时区 / time zone for times shown (Asia/Shanghai)\n"
             "  RECTIFY_CA_FILE 默认 --ca-file：校验服务器证书的 CA / default --ca-file\n"
             "\n"
             "令牌依次取自 RECTIFY_TOKEN、--token-file、~/.config/rectify/token；令牌文件须仅本人\n"
             "可读（chmod 600）。操作人即令牌的名称。/ The token comes from RECTIFY_TOKEN, else\n"
             "--token-file, else ~/.config/rectify/token (owner-only, chmod 600); the actor\n"
             "recorded is the token's name.\n"
             "\n"
             "--json 时标准输出只有一个 JSON 文档（字段名同 .proto），错误只写到标准错误。\n"
             "/ With --json, stdout holds one JSON document (proto field names); errors go to\n"
             "stderr only.\n"
             "\n") +
         ExitCodeHelp() + "\n" +
         Examples(
             {"RECTIFY_TOKEN=$(cat rectify-admin.token) rectify task list --status open --overdue",
              "rectify --token-file ~/.config/rectify/token whoami", "rectify task show 12"});
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
      ->check(WholeNumberValidator(0, kNoLimit));
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
  app->footer(RootFooter());

  options->server = Env("RECTIFY_SERVER", kDefaultServer);
  app->add_option("--server", options->server,
                  "服务器地址；多节点时用逗号分隔，轮流调用 / server address; several nodes "
                  "comma-separated, called round robin")
      ->type_name("HOST:PORT[,HOST:PORT...]")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
      ->capture_default_str();
  app->add_flag("--json", options->json,
                "以 JSON 输出响应（字段名同 .proto）/ print the response as JSON");
  // Anything but "en..." in RECTIFY_LANG means Chinese, the organisation's language.
  options->lang = Env("RECTIFY_LANG", "zh").rfind("en", 0) == 0 ? "en" : "zh";
  app->add_option("--lang", options->lang, "表头和标签的语言 / language of headings and labels")
      ->check(ChoiceValidator({"zh", "en"}))
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
      ->capture_default_str();
  app->add_option(
         "--token-file", options->token_file,
         "API 令牌文件（须仅本人可读）；RECTIFY_TOKEN 优先，默认 ~/.config/rectify/token / "
         "API token file (owner-only); RECTIFY_TOKEN wins; default "
         "~/.config/rectify/token")
      ->type_name("FILE")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  // The spellings of earlier releases keep working, out of the help (group "" hides them).
  app->add_option("--token_file", options->token_file)
      ->group("")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app->add_option("--timeout", options->timeout_seconds,
                  "每次调用的时限（秒）/ deadline of each call in seconds")
      ->type_name("SECONDS")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
      ->check(PositiveSecondsValidator())
      ->capture_default_str();

  // TLS (README "TLS"): without a CA file the client speaks plain text, for a loopback server.
  options->ca_file = Env("RECTIFY_CA_FILE", "");
  app->add_option("--ca-file", options->ca_file,
                  "TLS：校验服务器证书的 CA 文件（PEM）；不给则明文，仅限本机服务器 / TLS: PEM "
                  "CA that signed the server's certificate; without it, plain text (loopback)")
      ->type_name("FILE")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app->add_option("--ca_file", options->ca_file)
      ->group("")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app->add_option("--cert", options->cert_file,
                  "双向 TLS：客户端证书（PEM）/ mutual TLS: client certificate (PEM)")
      ->type_name("FILE")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app->add_option("--key", options->key_file,
                  "双向 TLS：客户端私钥（PEM）/ mutual TLS: client private key (PEM)")
      ->type_name("FILE")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);

  AddUnitCommands(*app, action);
  AddReviewCommands(*app, action);
  AddTaskCommands(*app, action);
  AddDraftTaskCommands(*app->get_subcommand("task"), action);
  AddImportCommand(*app, action);
  AddImportFixCommands(*app, action);
  AddExtensionCommands(*app, action);
  AddReportCommands(*app, action);
  AddAdminCommands(*app, action);
  AddAuditCommands(*app, action);
  AddWatchCommands(*app, action);
  AddExportCommands(*app, action);
  AddImportLedgerCommand(*app, action);
  AddTokenCommands(*app, action);
  AddNotifyCommands(*app, action);
  return app;
}

int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  GlobalOptions options;
  Action action;
  auto app = BuildCli(&options, &action);
  ClearUnitReferences();
  try {
    app->parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" with exit code 0; every real one is a usage error.
    if (e.get_exit_code() == 0) return app->exit(e, out, err) == 0 ? kExitOk : kExitUsage;
    const std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
    err << DescribeParseError(*app, e, args, LangBeforeParse(args));
    return kExitUsage;
  }
  if (!action) {  // not reachable while every noun requires a verb; keep the contract anyway
    err << app->help();
    return kExitUsage;
  }
  const Lang lang = options.lang == "en" ? Lang::kEn : Lang::kZh;
  const char* prefix = lang == Lang::kEn ? "error: " : "错误: ";
  const std::string tls_problem = CheckTlsOptions(options);
  if (!tls_problem.empty()) {
    err << prefix << PickLang(tls_problem, lang) << "\n";
    return kExitUsage;
  }
  absl::StatusOr<std::string> token = FindToken(options.token_file);
  if (!token.ok()) {
    err << prefix << PickLang(token.status().message(), lang) << "\n";
    return kExitUsage;
  }
  options.token = *std::move(token);
  Session session(std::move(options), out, err);
  const int resolved = ResolveUnitReferences(session);
  if (resolved != kExitOk) return resolved;
  return action(session);
}

}  // namespace rectify::client
