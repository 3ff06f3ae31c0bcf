// rectifyd: the Rectify server. main only reads the command line into a ServerConfig; the
// server is assembled and run by RunServer (services/server/run_server.h).
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/server/run_server.h"
#include "services/server/server_config.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "监听地址 / address to listen on (host:port; port 0 picks a free one)");
ABSL_FLAG(std::string, db, "rectify.db",
          "SQLite 数据库文件，或 PostgreSQL 地址（postgresql://用户@主机:端口/库名，或 libpq "
          "conninfo；密码用 PGPASSFILE/~/.pgpass，不写在命令行） / SQLite database file, or a "
          "PostgreSQL URI or libpq conninfo (password from PGPASSFILE or ~/.pgpass)");
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
ABSL_FLAG(int, max_watchers, 32,
          "同时打开的事件流上限（每个网页端标签页占一个，rectify watch 也占一个），1-256 / "
          "concurrent event streams at most (each open web console tab holds one, as does "
          "rectify watch), 1-256");
ABSL_FLAG(bool, notify_send, true,
          "本节点投递通知（企业微信、钉钉、飞书、邮件）/ this node delivers notifications");
ABSL_FLAG(std::string, notify_quiet_hours, "22:00-08:00",
          "免打扰时段，非紧急通知顺延至结束（off 为不设）/ quiet hours for non-urgent messages "
          "(off: none)");
ABSL_FLAG(std::string, notify_remind_days, "7,3,1",
          "到期前几天提醒（逗号分隔）/ days before a deadline to remind, comma-separated");
ABSL_FLAG(std::string, notify_digest_time, "08:30",
          "每日汇总时间（off 为不发）/ time of the daily digest (off: none)");
ABSL_FLAG(
    std::string, log_format, "text",
    "本服务自身事件的日志格式：text 或 json（每行一个 JSON 对象） / how rectifyd logs its own "
    "events on stderr: text, or json (one object a line)");
ABSL_FLAG(std::string, web_url, "",
          "网页端的公开地址，用于一次性登录链接；默认由 --http_listen 推出 / the web console's "
          "public base URL, used in one-time sign-in links; default derived from --http_listen");

namespace {

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

rectify::server::ServerConfig ConfigFromFlags() {
  rectify::server::ServerConfig config;
  config.listen = absl::GetFlag(FLAGS_listen);
  config.db = absl::GetFlag(FLAGS_db);
  config.time_zone = absl::GetFlag(FLAGS_time_zone);
  config.warning_days = absl::GetFlag(FLAGS_warning_days);
  config.behind_points = absl::GetFlag(FLAGS_behind_points);
  config.grace_days = absl::GetFlag(FLAGS_grace_days);
  config.max_evidence_mb = absl::GetFlag(FLAGS_max_evidence_mb);
  config.synchronous = absl::GetFlag(FLAGS_synchronous);
  config.request_retention_days = absl::GetFlag(FLAGS_request_retention_days);
  config.max_db_pages = absl::GetFlag(FLAGS_max_db_pages);
  config.write_batch = absl::GetFlag(FLAGS_write_batch);
  config.admin_token_file = absl::GetFlag(FLAGS_admin_token_file);
  config.root_unit_name = absl::GetFlag(FLAGS_root_unit_name);
  config.tls_cert = absl::GetFlag(FLAGS_tls_cert);
  config.tls_key = absl::GetFlag(FLAGS_tls_key);
  config.tls_client_ca = absl::GetFlag(FLAGS_tls_client_ca);
  config.mint_admin_token = absl::GetFlag(FLAGS_mint_admin_token);
  config.audit_key_file = absl::GetFlag(FLAGS_audit_key_file);
  config.restart_audit_chain = absl::GetFlag(FLAGS_restart_audit_chain);
  config.port_file = absl::GetFlag(FLAGS_port_file);
  config.http_listen = absl::GetFlag(FLAGS_http_listen);
  config.http_port_file = absl::GetFlag(FLAGS_http_port_file);
  config.web_url = absl::GetFlag(FLAGS_web_url);
  config.max_watchers = absl::GetFlag(FLAGS_max_watchers);
  config.notify_send = absl::GetFlag(FLAGS_notify_send);
  config.notify_quiet_hours = absl::GetFlag(FLAGS_notify_quiet_hours);
  config.notify_remind_days = absl::GetFlag(FLAGS_notify_remind_days);
  config.notify_digest_time = absl::GetFlag(FLAGS_notify_digest_time);
  config.log_format = absl::GetFlag(FLAGS_log_format);
  return config;
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
  return rectify::server::RunServer(ConfigFromFlags());
}
