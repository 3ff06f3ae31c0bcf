// A local SMTP server standing in for a mail relay in tests: one thread on 127.0.0.1 (an
// ephemeral port), plain sockets, one connection at a time. It speaks EHLO/HELO, AUTH PLAIN and
// AUTH LOGIN (any credentials are accepted and recorded), MAIL, RCPT, DATA (dot-unstuffed),
// RSET, NOOP and QUIT, records every accepted message, and can be scripted to refuse the next
// MAIL with 451 (try later) or 550 (refused).
//
//   SmtpSink sink;
//   sink.Start();
//   channel.url = sink.url();
//   sink.FailNextMail(451);
//   ... send ...
//   ASSERT_TRUE(sink.WaitForMessages(1, absl::Seconds(5)));
//   sink.messages()[0].data ...
//
// Thread-safe: the server thread records while the test reads and scripts.
#ifndef RECTIFY_TESTS_SUPPORT_SMTP_SINK_H_
#define RECTIFY_TESTS_SUPPORT_SMTP_SINK_H_

#include <atomic>
#include <cstddef>
#include <deque>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace rectify::testing_support {

struct SmtpMessage {
  std::string helo;            // the EHLO or HELO argument
  std::string auth_mechanism;  // "PLAIN" or "LOGIN"; "" without AUTH
  std::string auth_user;
  std::string auth_password;
  std::string mail_from;  // the address inside <>
  std::vector<std::string> rcpt_to;
  std::string data;  // the message as sent after DATA, dot-unstuffed, CRLF line ends
};

class SmtpSink {
 public:
  SmtpSink() = default;
  ~SmtpSink();  // stops the server
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  // Binds 127.0.0.1 on an ephemeral port and serves on a thread. Aborts the test program when
  // the port cannot be bound.
  void Start();
  void Stop();

  int port() const { return port_; }
  // "smtp://127.0.0.1:<port>".
  std::string url() const;

  // The mechanisms EHLO advertises, e.g. "PLAIN LOGIN" (the default), "LOGIN", or "" for none.
  void SetAuthMechanisms(std::string mechanisms);
  // The next MAIL command (of any session) is answered with `code` (e.g. 451 or 550).
  void FailNextMail(int code);

  std::vector<SmtpMessage> messages() const;
  // Every command line received, in order (AUTH payloads included): for failure messages.
  std::vector<std::string> commands() const;
  // MAIL commands refused by FailNextMail.
  int refused_mails() const;
  // Waits until at least `n` messages have been accepted; false on timeout.
  bool WaitForMessages(size_t n, absl::Duration timeout) const;

 private:
  void Serve();
  void Converse(int fd);
  // One line without its CRLF; false when the peer closed, went quiet or the sink stops.
  bool ReadLine(int fd, std::string& buffer, std::string& line);

  int listen_fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::atomic<bool> stopping_{false};

  mutable absl::Mutex mu_;
  std::string mechanisms_ ABSL_GUARDED_BY(mu_) = "PLAIN LOGIN";
  std::deque<int> mail_failures_ ABSL_GUARDED_BY(mu_);
  int refused_mails_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<SmtpMessage> messages_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> commands_ ABSL_GUARDED_BY(mu_);
};

}  // namespace rectify::testing_support

#endif  // RECTIFY_TESTS_SUPPORT_SMTP_SINK_H_
