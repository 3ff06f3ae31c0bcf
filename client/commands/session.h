// Session: what a running command needs — the connection to the server, stdout for results,
// stderr for errors, the language and time zone for people, and the CLI's error conventions
// ("错误: <message>" on stderr, exit codes from client/rpc/exit_codes.h).
//
// Results go to out() and nothing else does: with --json, stdout holds exactly one JSON document
// (or nothing when the command failed), so that scripts can parse it.
//
// Thread safety: none; one command runs on one thread.
#ifndef RECTIFY_CLIENT_COMMANDS_SESSION_H_
#define RECTIFY_CLIENT_COMMANDS_SESSION_H_

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "absl/time/time.h"
#include "client/rpc/connection.h"
#include "google/protobuf/message.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"
#include "services/common/labels.h"

namespace rectify::client {

// The options every command takes (see root.cc for their flags and defaults).
struct GlobalOptions {
  std::string server;           // HOST:PORT
  bool json = false;            // print responses as JSON
  std::string lang = "zh";      // "zh" or "en"
  std::string token_file;       // --token_file (token_source.h)
  std::string token;            // the API token found by RunCli; sent as authorization metadata
  double timeout_seconds = 30;  // deadline of each call
  std::string ca_file;          // TLS: the CA that signed rectifyd's certificate; empty: plain
  std::string cert_file;        // mutual TLS: the client's certificate and key
  std::string key_file;
};

class Session {
 public:
  Session(GlobalOptions options, std::ostream& out, std::ostream& err);

  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const GlobalOptions& options() const { return options_; }
  Lang lang() const { return lang_; }
  bool json() const { return options_.json; }
  // The zone instants are shown in: RECTIFY_TZ, else Asia/Shanghai.
  absl::TimeZone zone() const { return zone_; }
  std::ostream& out() { return out_; }
  // stderr: errors, hints and progress lines ("\r已导出 1200 行"), never results.
  std::ostream& err() { return err_; }

  // The connection, made on first use.
  const Connection& rpc();

  // Runs one call with a fresh context (deadline and actor set): `fn(context)`. UNAVAILABLE,
  // DEADLINE_EXCEEDED and CANCELLED (a stopping server cut the call off) are retried with backoff
  // (IsRetryable in client/rpc/retry.h), saying "重试中…" on stderr, so `fn` must send the same
  // request (the same request_id) each time it is called, and a call without a request_id must
  // be safe to repeat (a read; `notify test` may send its test message twice).
  grpc::Status Call(const std::function<grpc::Status(grpc::ClientContext*)>& fn);

  // Prints "错误: ..." for a failed call and returns its exit code.
  int Fail(const grpc::Status& status);
  // Prints "错误: <message>" for a problem found before anything was sent; returns kExitUsage.
  // Messages are "中文 / English"; with --lang en only the English is printed.
  int FailUsage(const std::string& message);
  // "错误: ", or "error: " with --lang en.
  const char* ErrorPrefix() const;

  // A hint for people on stderr (never on stdout, which belongs to results).
  void Note(const std::string& text);

  // With --json prints `message` as JSON, otherwise prints human(); returns kExitOk.
  int Show(const google::protobuf::Message& message, const std::function<std::string()>& human);

 private:
  const GlobalOptions options_;
  std::ostream& out_;
  std::ostream& err_;
  Lang lang_;
  absl::TimeZone zone_;
  std::unique_ptr<Connection> connection_;
};

// Checks the TLS options (client/rpc/tls.h) before a command runs: "" when they are usable,
// else the message to print.
std::string CheckTlsOptions(const GlobalOptions& options);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_COMMANDS_SESSION_H_
