// rectifyd: the Rectify server. Wires the store, the ledger, the scheduler and the gRPC server,
// then waits for SIGINT or SIGTERM and shuts down gracefully.
#include <pthread.h>
#include <pwd.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/api/server.h"
#include "services/audit/audit_chain.h"
#include "services/audit/audit_key.h"
#include "services/auth/bootstrap.h"
#include "services/common/civil.h"
#include "services/common/clock.h"
#include "services/domain/event_feed.h"
#include "services/domain/ledger.h"
#include "services/http/http_server.h"
#include "services/scheduler/request_purger.h"
#include "services/scheduler/scheduler.h"
#include "services/store/sqlite/sqlite_store.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "监听地址 / address to listen on (host:port; port 0 picks a free one)");
ABSL_FLAG(std::string, db, "rectify.db", "SQLite 数据库文件 / SQLite database file");
ABSL_FLAG(std::string, time_zone, "Asia/Shanghai",
          "单位所在时区 / the organisation's time zone (IANA name)");
ABSL_FLAG(int, warning_days, 3, "预警窗口（天）/ days before a deadline a task turns yellow");
ABSL_FLAG(int, behind_points, 20,
          "序时进度阈值（百分点）/ points progress may trail the elapsed time before yellow");
ABSL_FLAG(int, grace_days, 7, "宽限期（天）/ days overdue before level-2 escalation");
ABSL_FLAG(int, max_evidence_mb, 4, "单个证明材料上限（MiB）/ largest evidence file, MiB");
ABSL_FLAG(std::string, synchronous, "FULL",
          "SQLite synchronous 模式：FULL（默认，每次确认都已落盘）或 NORMAL / FULL or NORMAL");
ABSL_FLAG(int, request_retention_days, 7,
          "request_id 记录保留天数：期限内用同一 request_id 重试返回首次结果 / days a request_id "
          "is remembered: a retry within them returns the first result");
ABSL_FLAG(int64_t, max_db_pages, 0,
          "数据库最多页数（0 为不限；用于测试磁盘已满）/ cap on database pages (0: none; for "
          "testing a full disk)");
ABSL_FLAG(int, write_batch, 128,
          "组提交：一次落盘事务最多合并的并发写入数；1 为每次写入单独提交（关闭组提交）。"
          "不影响持久性：每个写入都在包含它的事务落盘后才确认 / group commit: concurrent writes "
          "committed in one durable transaction at most; 1 commits each write alone (group "
          "commit off). Durability is the same: every write is acknowledged after the commit "
          "holding it is durable");
ABSL_FLAG(
    std::string, admin_token_file, "",
    "首次启动（库中还没有任何令牌）时把管理员（根单位党委）令牌写入此文件（权限 0600，已存在则拒绝"
    "覆盖）；默认为数据库旁的 rectify-admin.token / on first start (no token in the database) "
    "the admin (root committee) token is written here, mode 0600, never overwriting a file; "
    "default: rectify-admin.token beside the database");
ABSL_FLAG(std::string, root_unit_name, "党委",
          "首次启动且没有根单位时建立的根单位名称 / name of the root unit made on first start when "
          "there is none");
ABSL_FLAG(std::string, tls_cert, "",
          "TLS 服务器证书（PEM）；与 --tls_key 一起启用 TLS。未启用时只能监听本机地址 / TLS "
          "server certificate (PEM); with --tls_key enables TLS. Without TLS only a loopback "
          "address may be used");
ABSL_FLAG(std::string, tls_key, "", "TLS 服务器私钥（PEM）/ TLS server private key (PEM)");
ABSL_FLAG(std::string, tls_client_ca, "",
          "设置后要求并校验客户端证书（双向 TLS），此为签发客户端证书的 CA（PEM）/ when set, "
          "client certificates signed by this CA (PEM) are required (mutual TLS)");
ABSL_FLAG(std::string, mint_admin_token, "",
          "恢复管理：签发一个新的根单位党委令牌写入此文件（0600，不覆盖已有文件），记入审计日志后"
          "退出，不启动服务。用于所有根单位党委令牌都已失效时，在服务器上运行（也可写作 "
          "--mint-admin-token）/ recovery: issue a new root committee token into this file "
          "(0600, never overwriting), record it in the audit trail, and exit without serving. For "
          "when no root committee token works any more; run on the server (also spelled "
          "--mint-admin-token)");
ABSL_FLAG(
    std::string, audit_key_file, "",
    "审计密钥文件（至少 32 字节，仅本用户可读）：每条审计记录附 HMAC-SHA256，核验方持有同一密钥"
    "（rectify audit verify --key_file）。不要与数据库或其备份放在一起 / audit key file (32+ "
    "bytes, owner-only): every audit entry gets an HMAC-SHA256 the verifier checks with its "
    "own copy; keep it away from the database and its backups");
ABSL_FLAG(std::string, restart_audit_chain, "",
          "仅用于审计记录全部丢失时：在已有数据的台账上重新开始审计链，写明原因，记入新链后退出 / "
          "only when the audit log was lost: start a new audit chain on a ledger with data, "
          "recording this reason in it, then exit");
ABSL_FLAG(std::string, port_file, "",
          "启动后把实际端口写入此文件 / write the bound port to this file once listening");
ABSL_FLAG(std::string, http_listen, "",
          "网页端与 HTTP/JSON 接口的监听地址（空为不开启；端口 0 自动选择），TLS 用同一证书 / "
          "address of the web console and HTTP/JSON API (empty: off; port 0 picks a free one); "
          "TLS with the same certificate");
ABSL_FLAG(std::string, http_port_file, "",
          "HTTP 开始监听后把实际端口写入此文件 / write the bound HTTP port to this file");
ABSL_FLAG(std::string, web_url, "",
          "网页端的公开地址，用于一次性登录链接；默认由 --http_listen 推出 / the web console's "
          "public base URL, used in one-time sign-in links; default derived from --http_listen");

namespace {

int Fail(const std::string& message) {
  std::cerr << "rectifyd: " << message << "\n";
  return 1;
}

// Writes the port aside and renames it, so that a script polling for the file never reads half
// a number.
bool WritePortFile(const std::string& path, int port) {
  const std::string temp = path + ".tmp";
  FILE* f = std::fopen(temp.c_str(), "w");
  if (f == nullptr) return false;
  std::fprintf(f, "%d\n", port);
  std::fclose(f);
  return std::rename(temp.c_str(), path.c_str()) == 0;
}

// The web console's public URL from the address it listens on, when --web_url is not given.
// A wildcard address is reached by the machine's name.
std::string DerivedWebUrl(const std::string& listen, int port, bool tls) {
  std::string host = listen.substr(0, listen.rfind(':'));
  if (host.empty() || host == "0.0.0.0" || host == "[::]" || host == "::") {
    char name[256] = {0};
    host = gethostname(name, sizeof(name) - 1) == 0 ? name : "localhost";
  }
  return absl::StrCat(tls ? "https://" : "http://", host, ":", port);
}

// Who ran the recovery on the host, for its audit entry: the login behind sudo, else the user.
std::string HostOperator() {
  const char* sudo_user = std::getenv("SUDO_USER");
  std::string user = sudo_user != nullptr ? sudo_user : "";
  if (user.empty()) {
    const passwd* pw = getpwuid(getuid());
    user = pw != nullptr && pw->pw_name != nullptr ? pw->pw_name : std::to_string(getuid());
  }
  return absl::StrCat("主机操作员 ", user, "（rectifyd --mint-admin-token） / host operator ",
                      user);
}

// The recovery flag is documented as --mint-admin-token; Abseil flag names use underscores.
void AcceptDashedRecoveryFlag(int argc, char** argv) {
  static std::string rewritten;
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg(argv[i]);
    if (absl::StartsWith(arg, "--mint-admin-token")) {
      rewritten = absl::StrCat("--mint_admin_token", arg.substr(18));
      argv[i] = rewritten.data();
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  // --help lists the flags of this file (absl's default looks for a file named after the binary,
  // main.cc is not, and --help printed none); --helpfull adds gRPC's and Abseil's own.
  absl::FlagsUsageConfig usage_config;
  usage_config.contains_help_flags = [](absl::string_view file) {
    return absl::EndsWith(file, "rectifyd/main.cc");
  };
  absl::SetFlagsUsageConfig(usage_config);
  absl::SetProgramUsageMessage(
      "Rectify 整改台账服务 / the Rectify server.\n"
      "Example: rectifyd --db /var/lib/rectify/rectify.db --listen 127.0.0.1:50051");
  AcceptDashedRecoveryFlag(argc, argv);
  absl::ParseCommandLine(argc, argv);
  // SIGINT and SIGTERM are blocked in every thread (threads inherit the mask) and taken by
  // sigwait at the end of main, where shutting down is ordinary code, not a signal handler.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  absl::StatusOr<absl::TimeZone> tz = rectify::LoadZone(absl::GetFlag(FLAGS_time_zone));
  if (!tz.ok()) return Fail(std::string(tz.status().message()));
  if (absl::GetFlag(FLAGS_warning_days) < 0 || absl::GetFlag(FLAGS_grace_days) < 0 ||
      absl::GetFlag(FLAGS_behind_points) < 0 || absl::GetFlag(FLAGS_behind_points) > 100 ||
      absl::GetFlag(FLAGS_max_evidence_mb) < 1 || absl::GetFlag(FLAGS_max_evidence_mb) > 48) {
    return Fail(
        "设置超出范围：warning_days/grace_days ≥ 0，behind_points 0-100，max_evidence_mb 1-48 / "
        "a setting is out of range");
  }
  rectify::LedgerSettings settings;
  settings.time_zone = *tz;
  settings.warning_window = absl::Hours(24) * absl::GetFlag(FLAGS_warning_days);
  settings.behind_schedule_points = absl::GetFlag(FLAGS_behind_points);
  settings.grace_period = absl::Hours(24) * absl::GetFlag(FLAGS_grace_days);
  settings.max_evidence_bytes = int64_t{absl::GetFlag(FLAGS_max_evidence_mb)} << 20;

  rectify::SqliteOptions store_options;
  store_options.path = absl::GetFlag(FLAGS_db);
  const std::string sync = absl::GetFlag(FLAGS_synchronous);
  if (sync == "NORMAL") {
    store_options.synchronous = rectify::SqliteOptions::Synchronous::kNormal;
  } else if (sync != "FULL") {
    return Fail("--synchronous 只能是 FULL 或 NORMAL / must be FULL or NORMAL");
  }
  if (absl::GetFlag(FLAGS_max_db_pages) < 0) {
    return Fail("--max_db_pages 不能为负数 / must not be negative");
  }
  if (absl::GetFlag(FLAGS_max_db_pages) > 0) {
    store_options.max_page_count = absl::GetFlag(FLAGS_max_db_pages);
  }
  if (absl::GetFlag(FLAGS_write_batch) < 1) {
    return Fail("--write_batch 至少为 1 / must be at least 1");
  }
  store_options.max_write_batch = absl::GetFlag(FLAGS_write_batch);
  if (absl::GetFlag(FLAGS_request_retention_days) < 1) {
    return Fail("--request_retention_days 至少为 1 / must be at least 1");
  }
  const std::string audit_key_file = absl::GetFlag(FLAGS_audit_key_file);
  if (!audit_key_file.empty()) {
    absl::StatusOr<std::string> key = rectify::audit::LoadKeyFile(audit_key_file);
    if (!key.ok()) return Fail(std::string(key.status().message()));
    rectify::audit::InstallKey(*key);
    std::cerr << "rectifyd: 审计记录附 HMAC，密钥 " << rectify::audit::KeyId(*key)
              << " / audit entries are keyed with " << rectify::audit::KeyId(*key) << "\n";
  }
  auto store = rectify::SqliteStore::Open(store_options);
  if (!store.ok()) return Fail(std::string(store.status().message()));
  const std::string restart_reason = absl::GetFlag(FLAGS_restart_audit_chain);
  if (!restart_reason.empty()) {
    // A host command, not an RPC: whoever lost the log may also have lost the tokens, and the
    // decision belongs to someone with the host, who is named in the new chain.
    const char* user = std::getenv("USER");
    const std::string who = absl::StrCat("主机管理员 ", user != nullptr ? user : "?",
                                         "（rectifyd --restart_audit_chain）/ host administrator");
    absl::Status restarted =
        rectify::audit::RestartChain(**store, absl::Now(), who, restart_reason);
    if (!restarted.ok()) return Fail(std::string(restarted.message()));
    std::cerr << "rectifyd: 审计链已在现有台账上重新开始，原因已记入新链 / the audit chain was "
                 "restarted on the existing ledger; the reason is recorded in it\n";
    return 0;
  }

  rectify::RealClock clock;
  rectify::Ledger ledger(store->get(), &clock, settings);
  // Event watchers (rectify watch) sleep on the feed; every commit that may append events bumps
  // it: a mutation through the ledger's listener, a scheduler pass that raised or cleared flags.
  rectify::EventFeed event_feed;
  rectify::Scheduler::Options scheduler_options;
  scheduler_options.on_events = [&event_feed] { event_feed.Notify(); };
  rectify::Scheduler scheduler(store->get(), &clock, settings, scheduler_options);
  ledger.set_change_listener([&scheduler, &event_feed] {
    scheduler.Wake();
    event_feed.Notify();
  });
  rectify::RequestPurger::Options purger_options;
  purger_options.retention = absl::Hours(24) * absl::GetFlag(FLAGS_request_retention_days);
  rectify::RequestPurger purger(store->get(), &clock, purger_options);

  const std::string mint_file = absl::GetFlag(FLAGS_mint_admin_token);
  if (!mint_file.empty()) {
    auto minted = rectify::auth::MintAdminToken(ledger, mint_file, HostOperator());
    if (!minted.ok()) return Fail(std::string(minted.status().message()));
    std::cerr << "rectifyd: 已签发根单位党委令牌 " << minted->id << "（" << minted->name
              << "）写入 " << mint_file
              << "（仅本用户可读），并记入审计日志 / issued root committee token " << minted->id
              << " into " << mint_file << " (owner-only), recorded in the audit "
              << "trail\n";
    return 0;
  }

  // First start: no token yet, so nobody could call. Make the root committee's token and hand it
  // over in a file only this user can read.
  std::string admin_token_file = absl::GetFlag(FLAGS_admin_token_file);
  if (admin_token_file.empty()) {
    const std::string db = store_options.path;
    const size_t slash = db.rfind('/');
    admin_token_file = (slash == std::string::npos ? std::string() : db.substr(0, slash + 1)) +
                       "rectify-admin.token";
  }
  auto bootstrap =
      rectify::auth::BootstrapAdmin(ledger, absl::GetFlag(FLAGS_root_unit_name), admin_token_file);
  if (!bootstrap.ok()) return Fail(std::string(bootstrap.status().message()));
  if (bootstrap->issued) {
    std::cerr << "rectifyd: 首次启动：已为根单位“" << bootstrap->root.name
              << "”生成管理员令牌（党委），写入 " << admin_token_file
              << "（仅本用户可读）。用法：export RECTIFY_TOKEN=$(cat " << admin_token_file
              << ")\nrectifyd: first start: wrote the admin (committee) token of the root unit to "
              << admin_token_file << " (owner-only)\n";
  }

  rectify::api::ServerOptions server_options;
  server_options.listen_address = absl::GetFlag(FLAGS_listen);
  server_options.tls_cert_file = absl::GetFlag(FLAGS_tls_cert);
  server_options.tls_key_file = absl::GetFlag(FLAGS_tls_key);
  server_options.tls_client_ca_file = absl::GetFlag(FLAGS_tls_client_ca);
  server_options.event_feed = &event_feed;
  server_options.max_message_bytes =
      static_cast<int>(settings.max_evidence_bytes) * 10 / 8 + (4 << 20);
  auto server = rectify::api::StartServer(&ledger, server_options);
  if (!server.ok()) return Fail(std::string(server.status().message()));
  scheduler.Start();
  purger.Start();

  std::cerr << "rectifyd: 已启动，监听 " << server_options.listen_address << "（端口 "
            << (*server)->port() << "），数据库 " << store_options.path << "，时区 "
            << absl::GetFlag(FLAGS_time_zone) << "\n"
            << "rectifyd: listening on port " << (*server)->port() << "\n";
  if (server_options.tls_cert_file.empty()) {
    std::cerr << "rectifyd: 未加密，仅限本机 / plaintext, loopback only\n";
  } else {
    std::cerr << "rectifyd: 已启用 TLS"
              << (server_options.tls_client_ca_file.empty() ? "" : "，要求客户端证书（双向 TLS）")
              << " / TLS on"
              << (server_options.tls_client_ca_file.empty() ? "" : ", client certificates required")
              << "\n";
  }
  // The web console and HTTP/JSON API: every call goes in-process through the gRPC server
  // just started, so it meets the same interceptors and handlers.
  std::unique_ptr<rectify::http::HttpServer> http;
  const std::string http_listen = absl::GetFlag(FLAGS_http_listen);
  if (!http_listen.empty()) {
    rectify::http::HttpOptions http_options;
    http_options.listen_address = http_listen;
    http_options.tls_cert_file = server_options.tls_cert_file;
    http_options.tls_key_file = server_options.tls_key_file;
    // Evidence travels base64 in JSON: a third more than the same request in gRPC.
    http_options.max_body_bytes =
        static_cast<size_t>(server_options.max_message_bytes) * 4 / 3 + (1 << 20);
    auto started = rectify::http::HttpServer::Start(&ledger, (*server)->server(), http_options);
    if (!started.ok()) return Fail(std::string(started.status().message()));
    http = std::move(started).value();
    std::string web_url = absl::GetFlag(FLAGS_web_url);
    while (!web_url.empty() && web_url.back() == '/') web_url.pop_back();
    if (web_url.empty()) {
      web_url = DerivedWebUrl(http_listen, http->port(), !server_options.tls_cert_file.empty());
    }
    (*server)->set_web_url(web_url);
    std::cerr << "rectifyd: 网页端 / web console: " << web_url << "/\n";
    const std::string http_port_file = absl::GetFlag(FLAGS_http_port_file);
    if (!http_port_file.empty() && !WritePortFile(http_port_file, http->port())) {
      return Fail("无法写入 --http_port_file / cannot write --http_port_file");
    }
  }
  const std::string port_file = absl::GetFlag(FLAGS_port_file);
  if (!port_file.empty() && !WritePortFile(port_file, (*server)->port())) {
    return Fail("无法写入 --port_file / cannot write --port_file");
  }

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);

  std::cerr << "rectifyd: 正在停止，等待进行中的请求完成 / shutting down, finishing calls in "
               "flight\n";
  // HTTP first: its calls go through the gRPC server, which must still be there to finish them.
  if (http != nullptr) http->Shutdown();
  (*server)->Shutdown(absl::Seconds(10));
  scheduler.Stop();
  purger.Stop();
  const rectify::SqliteStore::CommitCounts counts = (*store)->commit_counts();
  std::cerr << "rectifyd: 写入 " << counts.writes << " 次，提交 " << counts.commits << " 次（其中 "
            << counts.synced << " 次写盘）/ " << counts.writes << " writes in " << counts.commits
            << " commits, " << counts.synced << " synced\n";
  store->reset();  // closes the database cleanly (checkpoints the WAL)
  std::cerr << "rectifyd: 已停止 / stopped\n";
  return 0;
}
