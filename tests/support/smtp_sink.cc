#include "tests/support/smtp_sink.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace rectify::testing_support {
namespace {

// How long the sink waits for a client's next line before it hangs up.
constexpr int kIdleMillis = 10000;
// How often a waiting sink looks whether it is being stopped.
constexpr int kPollMillis = 50;

void Reply(int fd, const std::string& text) {
  const std::string line = text + "\r\n";
  size_t sent = 0;
  while (sent < line.size()) {
    const ssize_t n = ::send(fd, line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<size_t>(n);
  }
}

std::string Decode(absl::string_view base64) {
  std::string out;
  absl::Base64Unescape(base64, &out);
  return out;
}

// The address inside "<...>" of "MAIL FROM:<a@b> SIZE=12".
std::string AngleAddress(absl::string_view argument) {
  const size_t open = argument.find('<');
  const size_t close = argument.find('>', open);
  if (open == absl::string_view::npos || close == absl::string_view::npos) return "";
  return std::string(argument.substr(open + 1, close - open - 1));
}

}  // namespace

SmtpSink::~SmtpSink() { Stop(); }

void SmtpSink::Start() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      ::listen(listen_fd_, 8) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    std::fprintf(stderr, "SmtpSink: cannot listen on 127.0.0.1\n");
    std::abort();
  }
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

void SmtpSink::Stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  listen_fd_ = -1;
}

std::string SmtpSink::url() const { return absl::StrCat("smtp://127.0.0.1:", port_); }

void SmtpSink::SetAuthMechanisms(std::string mechanisms) {
  absl::MutexLock lock(&mu_);
  mechanisms_ = std::move(mechanisms);
}

void SmtpSink::FailNextMail(int code) {
  absl::MutexLock lock(&mu_);
  mail_failures_.push_back(code);
}

std::vector<SmtpMessage> SmtpSink::messages() const {
  absl::MutexLock lock(&mu_);
  return messages_;
}

std::vector<std::string> SmtpSink::commands() const {
  absl::MutexLock lock(&mu_);
  return commands_;
}

int SmtpSink::refused_mails() const {
  absl::MutexLock lock(&mu_);
  return refused_mails_;
}

bool SmtpSink::WaitForMessages(size_t n, absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return messages_.size() >= n; };
  return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
}

void SmtpSink::Serve() {
  while (!stopping_) {
    pollfd waiting{listen_fd_, POLLIN, 0};
    if (::poll(&waiting, 1, kPollMillis) <= 0) continue;
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    Converse(fd);
    ::close(fd);
  }
}

bool SmtpSink::ReadLine(int fd, std::string& buffer, std::string& line) {
  int idle = 0;
  while (true) {
    const size_t end = buffer.find('\n');
    if (end != std::string::npos) {
      line = buffer.substr(0, end);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      buffer.erase(0, end + 1);
      return true;
    }
    if (stopping_ || idle >= kIdleMillis) return false;
    pollfd readable{fd, POLLIN, 0};
    const int ready = ::poll(&readable, 1, kPollMillis);
    if (ready == 0) {
      idle += kPollMillis;
      continue;
    }
    char chunk[4096];
    const ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
    idle = 0;
  }
}

void SmtpSink::Converse(int fd) {
  std::string buffer;
  std::string line;
  SmtpMessage session;  // helo and auth last the session; the envelope one message
  auto reset_envelope = [&session] {
    session.mail_from.clear();
    session.rcpt_to.clear();
    session.data.clear();
  };
  Reply(fd, "220 127.0.0.1 rectify test sink ESMTP");
  while (ReadLine(fd, buffer, line)) {
    {
      absl::MutexLock lock(&mu_);
      commands_.push_back(line);
    }
    const std::vector<std::string> words = absl::StrSplit(line, absl::MaxSplits(' ', 2));
    const std::string verb = absl::AsciiStrToUpper(words[0]);
    const std::string argument = line.size() > verb.size() ? line.substr(verb.size() + 1) : "";
    if (verb == "EHLO") {
      session.helo = argument;
      std::string mechanisms;
      {
        absl::MutexLock lock(&mu_);
        mechanisms = mechanisms_;
      }
      Reply(fd, "250-127.0.0.1 greets " + argument);
      if (!mechanisms.empty()) Reply(fd, "250-AUTH " + mechanisms);
      Reply(fd, "250 8BITMIME");
    } else if (verb == "HELO") {
      session.helo = argument;
      Reply(fd, "250 127.0.0.1");
    } else if (verb == "AUTH" && words.size() >= 2) {
      const std::string mechanism = absl::AsciiStrToUpper(words[1]);
      std::string response = words.size() == 3 ? words[2] : "";
      if (mechanism == "PLAIN") {
        if (response.empty()) {
          Reply(fd, "334 ");
          if (!ReadLine(fd, buffer, response)) return;
        }
        // authzid NUL authcid NUL passwd (RFC 4616)
        const std::vector<std::string> fields = absl::StrSplit(Decode(response), '\0');
        if (fields.size() != 3) {
          Reply(fd, "501 5.5.2 bad PLAIN response");
          continue;
        }
        session.auth_user = fields[1];
        session.auth_password = fields[2];
      } else if (mechanism == "LOGIN") {
        if (response.empty()) {
          Reply(fd, "334 VXNlcm5hbWU6");  // "Username:"
          if (!ReadLine(fd, buffer, response)) return;
        }
        session.auth_user = Decode(response);
        Reply(fd, "334 UGFzc3dvcmQ6");  // "Password:"
        if (!ReadLine(fd, buffer, response)) return;
        session.auth_password = Decode(response);
      } else {
        Reply(fd, "504 5.5.4 mechanism not supported");
        continue;
      }
      session.auth_mechanism = mechanism;
      Reply(fd, "235 2.7.0 authenticated");
    } else if (verb == "MAIL") {
      int failure = 0;
      {
        absl::MutexLock lock(&mu_);
        if (!mail_failures_.empty()) {
          failure = mail_failures_.front();
          mail_failures_.pop_front();
          ++refused_mails_;
        }
      }
      if (failure != 0) {
        Reply(fd, absl::StrCat(failure, failure < 500 ? " 4.3.0 try again later"
                                                      : " 5.7.1 refused by policy"));
        continue;
      }
      reset_envelope();
      session.mail_from = AngleAddress(argument);
      Reply(fd, "250 2.1.0 ok");
    } else if (verb == "RCPT") {
      session.rcpt_to.push_back(AngleAddress(argument));
      Reply(fd, "250 2.1.5 ok");
    } else if (verb == "DATA") {
      Reply(fd, "354 end data with <CR><LF>.<CR><LF>");
      std::string data;
      std::string data_line;
      bool ended = false;
      while (ReadLine(fd, buffer, data_line)) {
        if (data_line == ".") {
          ended = true;
          break;
        }
        // RFC 5321 section 4.5.2: a leading dot was doubled by the client.
        if (absl::StartsWith(data_line, ".")) data_line.erase(0, 1);
        absl::StrAppend(&data, data_line, "\r\n");
      }
      if (!ended) return;
      session.data = std::move(data);
      {
        absl::MutexLock lock(&mu_);
        messages_.push_back(session);
      }
      reset_envelope();
      Reply(fd, "250 2.0.0 queued");
    } else if (verb == "RSET") {
      reset_envelope();
      Reply(fd, "250 2.0.0 ok");
    } else if (verb == "NOOP") {
      Reply(fd, "250 2.0.0 ok");
    } else if (verb == "QUIT") {
      Reply(fd, "221 2.0.0 bye");
      return;
    } else {
      Reply(fd, "502 5.5.2 command not recognised");
    }
  }
}

}  // namespace rectify::testing_support
