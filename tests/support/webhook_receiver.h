// A local HTTP receiver standing in for the group robots' webhooks in tests: a cpp-httplib
// server on 127.0.0.1 (an ephemeral port) that records every request and answers from a
// scripted queue, then from a default answer ({"errcode":0,"errmsg":"ok"}).
//
//   WebhookReceiver receiver;
//   receiver.Start();
//   channel.url = receiver.url("/cgi-bin/webhook/send?key=abc");
//   receiver.Script({{503, "busy"}, {200, R"({"errcode":0})"}});
//   ... send ...
//   ASSERT_TRUE(receiver.WaitForRequests(2, absl::Seconds(5)));
//   receiver.requests()[0].body ...
//
// Thread-safe: the server answers on its own threads while the test reads and scripts.
#ifndef RECTIFY_TESTS_SUPPORT_WEBHOOK_RECEIVER_H_
#define RECTIFY_TESTS_SUPPORT_WEBHOOK_RECEIVER_H_

#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace httplib {
class Server;
}

namespace rectify::testing_support {

struct ReceivedRequest {
  std::string method;
  std::string path;                                 // without the query
  std::string target;                               // path and query as sent
  std::multimap<std::string, std::string> query;    // decoded parameters
  std::multimap<std::string, std::string> headers;  // names as sent
  std::string body;
  absl::Time received;

  // The first value of a query parameter or header ("" when absent; header names ignore case).
  std::string Param(const std::string& name) const;
  std::string Header(const std::string& name) const;
};

struct ScriptedAnswer {
  ScriptedAnswer() = default;
  ScriptedAnswer(int status_code, std::string answer_body,
                 std::vector<std::pair<std::string, std::string>> answer_headers = {},
                 absl::Duration answer_delay = absl::ZeroDuration())
      : status(status_code),
        body(std::move(answer_body)),
        headers(std::move(answer_headers)),
        delay(answer_delay) {}

  int status = 200;
  std::string body = R"({"errcode":0,"errmsg":"ok"})";
  std::vector<std::pair<std::string, std::string>> headers;
  absl::Duration delay = absl::ZeroDuration();  // before answering: for timeouts
};

class WebhookReceiver {
 public:
  WebhookReceiver();
  ~WebhookReceiver();  // stops the server
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  // Binds 127.0.0.1 on an ephemeral port and serves on a thread. Aborts the test program when
  // the port cannot be bound.
  void Start();
  void Stop();

  int port() const { return port_; }
  // "http://127.0.0.1:<port>" + path_and_query.
  std::string url(const std::string& path_and_query) const;

  // Answers for the next requests, in order, after those already queued.
  void Script(std::vector<ScriptedAnswer> answers);
  // The answer once the script is used up.
  void SetDefault(ScriptedAnswer answer);

  std::vector<ReceivedRequest> requests() const;
  size_t request_count() const;
  // Waits until at least `n` requests have been received; false on timeout.
  bool WaitForRequests(size_t n, absl::Duration timeout) const;
  // Forgets the requests received so far (the script is kept).
  void ClearRequests();

 private:
  ScriptedAnswer Record(ReceivedRequest request);

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;

  mutable absl::Mutex mu_;
  std::vector<ReceivedRequest> requests_ ABSL_GUARDED_BY(mu_);
  std::deque<ScriptedAnswer> script_ ABSL_GUARDED_BY(mu_);
  ScriptedAnswer default_answer_ ABSL_GUARDED_BY(mu_);
};

}  // namespace rectify::testing_support

#endif  // RECTIFY_TESTS_SUPPORT_WEBHOOK_RECEIVER_H_
