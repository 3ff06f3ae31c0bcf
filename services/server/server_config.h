// What rectifyd is told on its command line, as plain values: rectifyd's main fills it from its
// flags and hands it to RunServer (run_server.h), which checks it. The defaults are the flags'
// defaults. A value type; no thread-safety concerns.
#ifndef RECTIFY_SERVICES_SERVER_SERVER_CONFIG_H_
#define RECTIFY_SERVICES_SERVER_SERVER_CONFIG_H_

#include <cstdint>
#include <string>

namespace rectify::server {

struct ServerConfig {
  // gRPC listening address (host:port; port 0 picks a free one).
  std::string listen = "127.0.0.1:50051";
  std::string db = "rectify.db";
  // The organisation's time zone (IANA name): deadlines and lights are reckoned in it.
  std::string time_zone = "Asia/Shanghai";
  int warning_days = 3;              // 0 or more
  int behind_points = 20;            // 0-100
  int grace_days = 7;                // 0 or more
  int max_evidence_mb = 4;           // 1-48
  std::string synchronous = "FULL";  // FULL or NORMAL
  int request_retention_days = 7;    // 1 or more
  int64_t max_db_pages = 0;          // 0: no cap
  int write_batch = 128;             // 1 or more; 1 turns group commit off
  // First start: where the root committee's token goes; empty: rectify-admin.token beside db.
  std::string admin_token_file;
  std::string root_unit_name = "党委";
  std::string tls_cert;
  std::string tls_key;
  std::string tls_client_ca;
  // Recovery: issue a root committee token into this file and exit without serving.
  std::string mint_admin_token;
  std::string audit_key_file;
  // Recovery: start a new audit chain on a ledger with data, recording this reason, and exit.
  std::string restart_audit_chain;
  std::string port_file;
  // The web console and HTTP/JSON API; empty: off.
  std::string http_listen;
  std::string http_port_file;
  // The web console's public base URL; empty: derived from http_listen.
  std::string web_url;
  // Concurrent event streams (WatchEvents) at most, 1-256. Each open console tab holds one, and
  // each holds a gRPC handler thread and, over HTTP, a gateway worker while it is open.
  int max_watchers = 32;
  // How rectifyd writes its own events to stderr: "text" lines or "json", one object a line
  // (event_log.h).
  std::string log_format = "text";
  // Notifications (docs/notifications.md): whether this node delivers the outbox, the quiet
  // hours for non-urgent messages ("22:00-08:00", "off"), the reminder lead times in days
  // ("7,3,1", "" for none) and the daily digest's time ("08:30", "off"), in time_zone.
  bool notify_send = true;
  std::string notify_quiet_hours = "22:00-08:00";
  std::string notify_remind_days = "7,3,1";
  std::string notify_digest_time = "08:30";
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVICES_SERVER_SERVER_CONFIG_H_
