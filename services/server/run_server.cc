#include "services/server/run_server.h"

#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/server.h>
#include <pthread.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "services/api/server.h"
#include "services/audit/audit_chain.h"
#include "services/audit/audit_key.h"
#include "services/auth/bootstrap.h"
#include "services/common/civil.h"
#include "services/common/clock.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"
#include "services/domain/event_feed.h"
#include "services/domain/ledger.h"
#include "services/http/http_server.h"
#include "services/metrics/metrics.h"
#include "services/notify/channels/channel.h"
#include "services/notify/dispatch/dispatcher.h"
#include "services/scheduler/request_purger.h"
#include "services/scheduler/scheduler.h"
#include "services/server/event_log.h"
#include "services/store/postgres/leader_lock.h"
#include "services/store/postgres/postgres_store.h"
#include "services/store/sqlite/sqlite_store.h"

namespace rectify::server {
namespace {

int Fail(const std::string& message) {
  Say("error", message);
  return 1;
}

int Fail(const absl::Status& status) { return Fail(std::string(status.message())); }

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

// Whether --db names a PostgreSQL database (a postgresql:// or postgres:// URI, or a libpq
// conninfo: "keyword=value ..." starting with one of libpq's connection keywords, e.g.
// "host=/var/run/postgresql dbname=rectify") rather than a SQLite file.
bool IsPostgresDatabase(absl::string_view db) {
  if (absl::StartsWith(db, "postgresql://") || absl::StartsWith(db, "postgres://")) return true;
  const size_t eq = db.find('=');
  if (eq == absl::string_view::npos) return false;
  const absl::string_view keyword = absl::StripAsciiWhitespace(db.substr(0, eq));
  static constexpr absl::string_view kKeywords[] = {"host",
                                                    "hostaddr",
                                                    "port",
                                                    "dbname",
                                                    "user",
                                                    "service",
                                                    "sslmode",
                                                    "options",
                                                    "application_name",
                                                    "connect_timeout",
                                                    "passfile",
                                                    "target_session_attrs"};
  for (absl::string_view k : kKeywords) {
    if (keyword == k) return true;
  }
  return false;
}

// Whether a PostgreSQL --db carries a password (user:secret@ in a URI, password= in a conninfo or
// in a URI's parameters): the command line is visible to every user of the host.
bool HasPassword(absl::string_view db) {
  if (absl::StrContains(db, "password=")) return true;
  const size_t scheme = db.find("://");
  if (scheme == absl::string_view::npos) return false;
  absl::string_view rest = db.substr(scheme + 3);
  const size_t at = rest.find('@');
  if (at == absl::string_view::npos) return false;
  return absl::StrContains(rest.substr(0, at), ':');
}

// --db as it may be logged.
std::string DatabaseForLog(const std::string& db) {
  return IsPostgresDatabase(db) ? absl::StrCat("PostgreSQL ", db) : db;
}

// The store the configuration names, with its settings.
struct StoreChoice {
  bool postgres = false;
  SqliteOptions sqlite;
  PostgresOptions pg;
};

// The ledger's and the store's settings from the configuration, or the refusal naming the
// setting (checked in the order the flags are documented).
absl::Status CheckSettings(const ServerConfig& config, LedgerSettings* settings,
                           StoreChoice* store) {
  SqliteOptions* store_options = &store->sqlite;
  absl::StatusOr<absl::TimeZone> tz = LoadZone(config.time_zone);
  if (!tz.ok()) return tz.status();
  if (config.warning_days < 0 || config.grace_days < 0 || config.behind_points < 0 ||
      config.behind_points > 100 || config.max_evidence_mb < 1 || config.max_evidence_mb > 48) {
    return absl::InvalidArgumentError(
        "设置超出范围：warning_days/grace_days ≥ 0，behind_points 0-100，max_evidence_mb 1-48 / "
        "a setting is out of range");
  }
  settings->time_zone = *tz;
  settings->warning_window = absl::Hours(24) * config.warning_days;
  settings->behind_schedule_points = config.behind_points;
  settings->grace_period = absl::Hours(24) * config.grace_days;
  settings->max_evidence_bytes = int64_t{config.max_evidence_mb} << 20;

  store_options->path = config.db;
  if (config.synchronous == "NORMAL") {
    store_options->synchronous = SqliteOptions::Synchronous::kNormal;
  } else if (config.synchronous != "FULL") {
    return absl::InvalidArgumentError(
        "--synchronous 只能是 FULL 或 NORMAL / must be FULL or NORMAL");
  }
  if (config.max_db_pages < 0) {
    return absl::InvalidArgumentError("--max_db_pages 不能为负数 / must not be negative");
  }
  if (config.max_db_pages > 0) store_options->max_page_count = config.max_db_pages;
  if (config.write_batch < 1) {
    return absl::InvalidArgumentError("--write_batch 至少为 1 / must be at least 1");
  }
  store_options->max_write_batch = config.write_batch;
  if (IsPostgresDatabase(config.db)) {
    if (HasPassword(config.db)) {
      return InvalidField("--db",
                          "不得在命令行中写密码：请用 PGPASSFILE、~/.pgpass 或 PGPASSWORD（见 "
                          "docs/postgresql.md）",
                          "must not carry a password on the command line: use PGPASSFILE, "
                          "~/.pgpass or PGPASSWORD (see docs/postgresql.md)");
    }
    store->postgres = true;
    store->pg.conninfo = config.db;
    store->pg.max_write_batch = config.write_batch;
  }
  if (config.request_retention_days < 1) {
    return absl::InvalidArgumentError("--request_retention_days 至少为 1 / must be at least 1");
  }
  if (config.log_format != "text" && config.log_format != "json") {
    return InvalidField("--log_format", "只能是 text 或 json", "must be text or json");
  }
  if (config.max_watchers < 1 || config.max_watchers > 256) {
    return absl::InvalidArgumentError("--max_watchers 须在 1 到 256 之间 / must be 1-256");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Store>> OpenStore(const StoreChoice& choice) {
  if (choice.postgres) {
    absl::StatusOr<std::unique_ptr<PostgresStore>> pg = PostgresStore::Open(choice.pg);
    if (!pg.ok()) return pg.status();
    return std::unique_ptr<Store>(std::move(pg).value());
  }
  absl::StatusOr<std::unique_ptr<SqliteStore>> sqlite = SqliteStore::Open(choice.sqlite);
  if (!sqlite.ok()) return sqlite.status();
  return std::unique_ptr<Store>(std::move(sqlite).value());
}

using CommitCounts = sql::GroupCommitter::Counters;

// Group commit's counters, whichever store this is (both commit through sql::GroupCommitter).
CommitCounts CountCommits(Store& store) {
  if (auto* sqlite = dynamic_cast<SqliteStore*>(&store)) return sqlite->commit_counts();
  if (auto* pg = dynamic_cast<PostgresStore*>(&store)) return pg->commit_counts();
  return {};
}

// On PostgreSQL, what other nodes commit is not seen by this node's listeners: every
// kPollInterval a thread reads the last event's seq and, when it moved, wakes the event
// watchers, the scheduler and the dispatcher as a local commit would. The same read is the
// node's health: grpc.health.v1 answers NOT_SERVING once no read has succeeded for kStale, and
// SERVING again as soon as one does. A second thread judges, so that a read that hangs (a frozen
// database host) turns the node NOT_SERVING as surely as one that fails.
class ClusterWatch {
 public:
  // `up` (owned by the caller, outliving this) follows the health for the other readers of it:
  // the metrics and the HTTP /healthz.
  ClusterWatch(Store* store, grpc::Server* server, std::atomic<bool>* up,
               std::function<void()> on_change)
      : store_(store), server_(server), up_(up), on_change_(std::move(on_change)) {
    last_ok_micros_.store(absl::ToUnixMicros(absl::Now()));
    poller_ = std::thread([this] { Poll(); });
    judge_ = std::thread([this] { Judge(); });
  }
  ~ClusterWatch() {
    stop_.Notify();
    judge_.join();
    poller_.join();
  }

 private:
  void Poll() {
    int64_t last_seq = -1;
    do {
      int64_t seq = 0;
      const absl::Status s = store_->Read([&](ReadTxn& tx) -> absl::Status {
        ASSIGN_OR_RETURN(seq, tx.LastEventSeq());
        return absl::OkStatus();
      });
      if (s.ok()) {
        last_ok_micros_.store(absl::ToUnixMicros(absl::Now()));
        if (seq != last_seq) {
          if (last_seq >= 0) on_change_();
          last_seq = seq;
        }
      } else {
        absl::MutexLock lock(&mu_);
        last_error_ = std::string(s.message());
      }
    } while (!stop_.WaitForNotificationWithTimeout(kPollInterval));
  }

  void Judge() {
    do {
      const absl::Time last_ok = absl::FromUnixMicros(last_ok_micros_.load());
      const bool serving = absl::Now() - last_ok < kStale;
      if (serving == serving_.load()) continue;
      serving_.store(serving);
      up_->store(serving);
      server_->GetHealthCheckService()->SetServingStatus(serving);
      if (serving) {
        Say("database", "数据库已恢复 / the database is back", {{"up", "true"}});
      } else {
        absl::MutexLock lock(&mu_);
        const std::string error =
            last_error_.empty() ? std::string("无应答 / no answer") : last_error_;
        Say("database",
            absl::StrCat("数据库不可用，健康检查答 NOT_SERVING / the database is unreachable, "
                         "health answers NOT_SERVING: ",
                         error),
            {{"up", "false"}, {"error", error}});
      }
    } while (!stop_.WaitForNotificationWithTimeout(kPollInterval));
  }

  static constexpr absl::Duration kPollInterval = absl::Milliseconds(200);
  static constexpr absl::Duration kStale = absl::Seconds(1);
  Store* const store_;
  grpc::Server* const server_;
  std::atomic<bool>* const up_;
  const std::function<void()> on_change_;
  std::atomic<int64_t> last_ok_micros_{0};
  std::atomic<bool> serving_{true};
  absl::Mutex mu_;
  std::string last_error_ ABSL_GUARDED_BY(mu_);
  absl::Notification stop_;
  std::thread poller_;
  std::thread judge_;
};

// --audit_key_file: every entry from now on carries an HMAC under this key.
absl::Status InstallAuditKey(const std::string& path) {
  if (path.empty()) return absl::OkStatus();
  absl::StatusOr<std::string> key = audit::LoadKeyFile(path);
  if (!key.ok()) return key.status();
  audit::InstallKey(*key);
  Say("audit_key",
      absl::StrCat("审计记录附 HMAC，密钥 ", audit::KeyId(*key), " / audit entries are keyed with ",
                   audit::KeyId(*key)),
      {{"key_id", audit::KeyId(*key)}});
  return absl::OkStatus();
}

// --restart_audit_chain. A host command, not an RPC: whoever lost the log may also have lost the
// tokens, and the decision belongs to someone with the host, who is named in the new chain.
int RestartAuditChain(Store& store, const std::string& reason) {
  const char* user = std::getenv("USER");
  const std::string who = absl::StrCat("主机管理员 ", user != nullptr ? user : "?",
                                       "（rectifyd --restart_audit_chain）/ host administrator");
  absl::Status restarted = audit::RestartChain(store, absl::Now(), who, reason);
  if (!restarted.ok()) return Fail(restarted);
  Say("audit_chain_restarted",
      "审计链已在现有台账上重新开始，原因已记入新链 / the audit chain was restarted on the "
      "existing ledger; the reason is recorded in it");
  return 0;
}

// --mint_admin_token: recovery when no root committee token works any more.
int MintAdminToken(Ledger& ledger, const std::string& file) {
  auto minted = auth::MintAdminToken(ledger, file, HostOperator());
  if (!minted.ok()) return Fail(minted.status());
  Say("admin_token_minted",
      absl::StrCat("已签发根单位党委令牌 ", minted->id, "（", minted->name, "）写入 ", file,
                   "（仅本用户可读），并记入审计日志 / issued root committee token ", minted->id,
                   " into ", file, " (owner-only), recorded in the audit trail"),
      {{"token_id", absl::StrCat(minted->id)}, {"file", file}});
  return 0;
}

// First start: no token yet, so nobody could call. Makes the root committee's token and hands it
// over in a file only this user can read.
absl::Status BootstrapFirstStart(Ledger& ledger, const ServerConfig& config) {
  std::string admin_token_file = config.admin_token_file;
  if (admin_token_file.empty() && IsPostgresDatabase(config.db)) {
    admin_token_file = "rectify-admin.token";  // in the working directory
  } else if (admin_token_file.empty()) {
    const size_t slash = config.db.rfind('/');
    admin_token_file =
        (slash == std::string::npos ? std::string() : config.db.substr(0, slash + 1)) +
        "rectify-admin.token";
  }
  auto bootstrap = auth::BootstrapAdmin(ledger, config.root_unit_name, admin_token_file);
  if (!bootstrap.ok()) return bootstrap.status();
  if (bootstrap->issued) {
    Say("first_start",
        absl::StrCat("首次启动：已为根单位“", bootstrap->root.name,
                     "”生成管理员令牌（党委），写入 ", admin_token_file,
                     "（仅本用户可读）。用法：export RECTIFY_TOKEN=$(cat ", admin_token_file,
                     ")\nfirst start: wrote the admin (committee) token of the root unit to ",
                     admin_token_file, " (owner-only)"),
        {{"token_file", admin_token_file}});
  }
  return absl::OkStatus();
}

void AnnounceListening(const ServerConfig& config, const api::ServerOptions& options, int port) {
  const bool tls = !options.tls_cert_file.empty();
  const bool mutual = !options.tls_client_ca_file.empty();
  std::string security = "未加密，仅限本机 / plaintext, loopback only";
  if (tls) {
    security = absl::StrCat("已启用 TLS", mutual ? "，要求客户端证书（双向 TLS）" : "", " / TLS on",
                            mutual ? ", client certificates required" : "");
  }
  Say("listening",
      absl::StrCat("已启动，监听 ", options.listen_address, "（端口 ", port, "），数据库 ",
                   DatabaseForLog(config.db), "，时区 ", config.time_zone, "\nlistening on port ",
                   port, "\n", security),
      {{"address", options.listen_address},
       {"port", absl::StrCat(port)},
       {"store", IsPostgresDatabase(config.db) ? "postgresql" : "sqlite"},
       {"tls", tls ? (mutual ? "mutual" : "on") : "off"}});
}

// The web console and HTTP/JSON API: every call goes in-process through the gRPC server just
// started, so it meets the same interceptors and handlers.
absl::StatusOr<std::unique_ptr<http::HttpServer>> StartHttp(
    const ServerConfig& config, const Ledger& ledger, const api::ServerOptions& options,
    api::RunningServer& server, std::function<bool()> healthy, std::string* web_url_out) {
  http::HttpOptions http_options;
  http_options.listen_address = config.http_listen;
  http_options.metrics = options.metrics;  // GET /metrics on this port
  http_options.healthy = std::move(healthy);
  http_options.tls_cert_file = options.tls_cert_file;
  http_options.tls_key_file = options.tls_key_file;
  // Evidence travels base64 in JSON: a third more than the same request in gRPC.
  http_options.max_body_bytes = static_cast<size_t>(options.max_message_bytes) * 4 / 3 + (1 << 20);
  // Open event streams hold a worker each: the pool keeps as many again for ordinary calls.
  http_options.worker_threads = std::max(http_options.worker_threads, 2 * options.max_watchers);
  auto started = http::HttpServer::Start(&ledger, server.server(), http_options);
  if (!started.ok()) return started.status();
  std::unique_ptr<http::HttpServer> http = std::move(started).value();
  std::string web_url = config.web_url;
  while (!web_url.empty() && web_url.back() == '/') web_url.pop_back();
  if (web_url.empty()) {
    web_url = DerivedWebUrl(config.http_listen, http->port(), !options.tls_cert_file.empty());
  }
  server.set_web_url(web_url);
  *web_url_out = web_url;
  Say("web_console", absl::StrCat("网页端 / web console: ", web_url, "/"),
      {{"url", web_url + "/"}});
  if (!config.http_port_file.empty() && !WritePortFile(config.http_port_file, http->port())) {
    return absl::InternalError("无法写入 --http_port_file / cannot write --http_port_file");
  }
  return http;
}

// The dispatcher's options from the notify flags; INVALID_ARGUMENT naming the flag.
absl::Status NotifyOptions(const ServerConfig& config, notify::Dispatcher::Options* out) {
  ASSIGN_OR_RETURN(out->quiet,
                   notify::ParseQuietHours("notify_quiet_hours", config.notify_quiet_hours));
  out->plan.lead_days.clear();
  for (absl::string_view part :
       absl::StrSplit(config.notify_remind_days, ',', absl::SkipWhitespace())) {
    int days = 0;
    if (!absl::SimpleAtoi(part, &days) || days < 1 || days > 365) {
      return InvalidField("notify_remind_days", "须为 1 到 365 的天数，用逗号分隔（如 7,3,1）",
                          "must be days from 1 to 365, comma-separated (e.g. 7,3,1)");
    }
    out->plan.lead_days.push_back(days);
  }
  if (config.notify_digest_time == "off") {
    out->plan.digest_at = absl::Minutes(-1);
  } else {
    absl::StatusOr<notify::QuietHours> at = notify::ParseQuietHours(
        "notify_digest_time", config.notify_digest_time + "-" + config.notify_digest_time);
    if (!at.ok() || config.notify_digest_time.empty()) {
      return InvalidField("notify_digest_time", "须为 HH:MM（如 08:30）或 off",
                          "must be HH:MM (e.g. 08:30) or off");
    }
    out->plan.digest_at = absl::Minutes(at->start_minute);
  }
  return absl::OkStatus();
}

}  // namespace

int RunServer(const ServerConfig& config) {
  // SIGINT and SIGTERM are blocked in every thread (threads inherit the mask) and taken by
  // sigwait at the end, where shutting down is ordinary code, not a signal handler.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  LedgerSettings settings;
  StoreChoice store_choice;
  SetJsonLog(config.log_format == "json");
  if (absl::Status s = CheckSettings(config, &settings, &store_choice); !s.ok()) return Fail(s);
  if (absl::Status s = InstallAuditKey(config.audit_key_file); !s.ok()) return Fail(s);
  absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(store_choice);
  if (!store.ok()) return Fail(store.status());
  if (!config.restart_audit_chain.empty()) {
    return RestartAuditChain(**store, config.restart_audit_chain);
  }

  RealClock clock;
  Ledger ledger(store->get(), &clock, settings);
  // Event watchers (rectify watch) sleep on the feed; every commit that may append events bumps
  // it: a mutation through the ledger's listener, a scheduler pass that raised or cleared flags.
  EventFeed event_feed;
  // The outbox's dispatcher is made once the web console's address is known (for links); until
  // then, and when this node does not send, the wake-ups below have nobody to wake.
  std::atomic<notify::Dispatcher*> dispatcher{nullptr};
  auto wake_dispatcher = [&dispatcher] {
    if (notify::Dispatcher* d = dispatcher.load()) d->Wake();
  };
  Scheduler::Options scheduler_options;
  scheduler_options.on_events = [&event_feed, &wake_dispatcher] {
    event_feed.Notify();
    wake_dispatcher();  // raised flags wrote notices
  };
  // Several nodes on one PostgreSQL database: only the leader runs the scheduler and delivers
  // notifications (leader_lock.h).
  std::unique_ptr<postgres::LeaderLock> leader;
  if (store_choice.postgres) {
    postgres::ConnectionOptions leader_options;
    leader_options.connect_timeout_s = store_choice.pg.connect_timeout_s;
    leader = std::make_unique<postgres::LeaderLock>(store_choice.pg.conninfo, leader_options);
    // Both background loops confirm leadership before each pass (one round trip, serialised
    // in the lock), so a node that lost it stops within one pass of either.
    scheduler_options.may_run = [&leader] {
      bool changed = false;
      const bool now = leader->Check(&changed);
      if (changed) {
        Say("leader",
            now ? "本节点成为主节点，运行调度与通知 / this node is the leader now: it runs the "
                  "scheduler and delivers notifications"
                : "本节点不再是主节点 / this node is no longer the leader",
            {{"leader", now ? "true" : "false"}});
      }
      return now;
    };
  }
  Scheduler scheduler(store->get(), &clock, settings, scheduler_options);
  // The dispatcher is not woken by every commit: almost none writes a notice, and each wake
  // would cost reads on the write path's CPU. It looks every dispatch_options.max_sleep (1 s)
  // instead, so an urge leaves within about a second.
  ledger.set_change_listener([&scheduler, &event_feed] {
    scheduler.Wake();
    event_feed.Notify();
  });
  notify::Dispatcher::Options dispatch_options;
  dispatch_options.max_sleep = absl::Seconds(1);
  if (absl::Status s = NotifyOptions(config, &dispatch_options); !s.ok()) return Fail(s);
  if (leader != nullptr) dispatch_options.may_run = scheduler_options.may_run;
  std::unique_ptr<notify::Sender> sender = notify::NewCurlSender();
  dispatch_options.web_url = config.web_url;  // StartHttp replaces it with the console's own
  while (!dispatch_options.web_url.empty() && dispatch_options.web_url.back() == '/') {
    dispatch_options.web_url.pop_back();
  }
  RequestPurger::Options purger_options;
  purger_options.retention = absl::Hours(24) * config.request_retention_days;
  RequestPurger purger(store->get(), &clock, purger_options);

  if (!config.mint_admin_token.empty()) return MintAdminToken(ledger, config.mint_admin_token);
  if (absl::Status s = BootstrapFirstStart(ledger, config); !s.ok()) return Fail(s);

  api::ServerOptions server_options;
  server_options.listen_address = config.listen;
  server_options.tls_cert_file = config.tls_cert;
  server_options.tls_key_file = config.tls_key;
  server_options.tls_client_ca_file = config.tls_client_ca;
  server_options.event_feed = &event_feed;
  server_options.notify_sender = sender.get();
  server_options.max_watchers = config.max_watchers;
  server_options.max_message_bytes =
      static_cast<int>(settings.max_evidence_bytes) * 10 / 8 + (4 << 20);
  // Prometheus metrics, served at GET /metrics on the HTTP port (docs/operations.md, "Metrics").
  // Before the servers, which record into it; its callbacks read the store, the leader lock and
  // the cluster watch at each scrape, and the only scraper (the HTTP server) stops before them.
  std::atomic<bool> database_up{true};  // ClusterWatch's verdict (PostgreSQL); always on SQLite
  metrics::Registry metrics_registry;
  metrics_registry.SetCallbackCounter(
      metrics::kGroupCommitWrites, "组提交写入数 / writes committed by group commit",
      [&store] { return static_cast<double>(CountCommits(**store).writes); });
  metrics_registry.SetCallbackCounter(
      metrics::kGroupCommitCommits, "组提交事务数 / transactions of group commit",
      [&store] { return static_cast<double>(CountCommits(**store).commits); });
  metrics_registry.SetCallbackCounter(
      metrics::kGroupCommitSynced, "写入了改动的事务数 / transactions that committed a change",
      [&store] { return static_cast<double>(CountCommits(**store).synced); });
  metrics_registry.SetCallbackCounter(
      metrics::kGroupCommitSeconds,
      "组提交事务耗时合计（秒） / time group-commit transactions took, in seconds",
      [&store] { return absl::ToDoubleSeconds(CountCommits(**store).commit_time); });
  metrics_registry.SetCallbackGauge(
      metrics::kSchedulerLeader, "本节点运行调度为 1 / 1 on the node that runs the scheduler",
      [&leader] { return leader == nullptr || leader->held() ? 1.0 : 0.0; });
  metrics_registry.SetCallbackGauge(
      metrics::kSchedulerLag,
      "到期未处理的最早任务已等待的秒数 / seconds the oldest due task has waited for the scheduler",
      [&store, &clock] {
        absl::optional<absl::Time> next;
        const absl::Status s = (*store)->Read([&next](ReadTxn& tx) -> absl::Status {
          ASSIGN_OR_RETURN(next, tx.NextCheckTime());
          return absl::OkStatus();
        });
        if (!s.ok() || !next.has_value()) return 0.0;
        return std::max(0.0, absl::ToDoubleSeconds(clock.Now() - *next));
      });
  metrics_registry.SetCallbackGauge("rectify_database_up",
                                    "数据库可读为 1 / 1 while the database answers",
                                    [&database_up] { return database_up.load() ? 1.0 : 0.0; });
  server_options.metrics = &metrics_registry;
  auto server = api::StartServer(&ledger, server_options);
  if (!server.ok()) return Fail(server.status());
  std::unique_ptr<ClusterWatch> cluster_watch;  // stops before the server it reports to
  if (store_choice.postgres) {
    cluster_watch = std::make_unique<ClusterWatch>(store->get(), (*server)->server(), &database_up,
                                                   [&event_feed, &scheduler, &wake_dispatcher] {
                                                     event_feed.Notify();
                                                     scheduler.Wake();
                                                     wake_dispatcher();
                                                   });
  }
  scheduler.Start();
  purger.Start();
  AnnounceListening(config, server_options, (*server)->port());

  std::unique_ptr<http::HttpServer> http;
  if (!config.http_listen.empty()) {
    auto started = StartHttp(
        config, ledger, server_options, **server, [&database_up] { return database_up.load(); },
        &dispatch_options.web_url);
    if (!started.ok()) return Fail(started.status());
    http = std::move(started).value();
  }
  std::unique_ptr<notify::Dispatcher> notifier;
  if (config.notify_send) {
    notifier = std::make_unique<notify::Dispatcher>(store->get(), &clock, settings, sender.get(),
                                                    dispatch_options);
    notifier->Start();
    dispatcher.store(notifier.get());
  }
  if (!config.port_file.empty() && !WritePortFile(config.port_file, (*server)->port())) {
    return Fail("无法写入 --port_file / cannot write --port_file");
  }

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);

  Say("stopping", "正在停止，等待进行中的请求完成 / shutting down, finishing calls in flight");
  // HTTP first: its calls go through the gRPC server, which must still be there to finish them.
  if (http != nullptr) http->Shutdown();
  (*server)->Shutdown(absl::Seconds(10));
  cluster_watch.reset();
  scheduler.Stop();
  purger.Stop();
  dispatcher.store(nullptr);
  if (notifier != nullptr) notifier->Stop();
  // What group commit saved, for the benchmark's commits per acknowledged write.
  const CommitCounts counts = CountCommits(**store);
  Say("commits",
      absl::StrCat("写入 ", counts.writes, " 次，提交 ", counts.commits, " 次（其中 ",
                   counts.synced, " 次写盘）/ ", counts.writes, " writes in ", counts.commits,
                   " commits, ", counts.synced, " synced"),
      {{"writes", absl::StrCat(counts.writes)},
       {"commits", absl::StrCat(counts.commits)},
       {"synced", absl::StrCat(counts.synced)}});
  store->reset();  // closes the database cleanly (SQLite: checkpoints the WAL)
  Say("stopped", "已停止 / stopped");
  return 0;
}

}  // namespace rectify::server
