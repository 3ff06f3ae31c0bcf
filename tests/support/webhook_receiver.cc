#include "tests/support/webhook_receiver.h"

#include <httplib.h>

#include <cstdio>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace rectify::testing_support {

std::string ReceivedRequest::Param(const std::string& name) const {
  auto it = query.find(name);
  return it == query.end() ? "" : it->second;
}

std::string ReceivedRequest::Header(const std::string& name) const {
  for (const auto& [key, value] : headers) {
    if (absl::AsciiStrToLower(key) == absl::AsciiStrToLower(name)) return value;
  }
  return "";
}

WebhookReceiver::WebhookReceiver() : server_(std::make_unique<httplib::Server>()) {}

WebhookReceiver::~WebhookReceiver() { Stop(); }

void WebhookReceiver::Start() {
  // The robots' bodies are a few kilobytes: a bound keeps a runaway test from eating memory.
  server_->set_payload_max_length(1 << 20);
  server_->Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
    ReceivedRequest request;
    request.method = req.method;
    request.path = req.path;
    request.target = req.target;
    for (const auto& [key, value] : req.params) request.query.emplace(key, value);
    for (const auto& [key, value] : req.headers) request.headers.emplace(key, value);
    request.body = req.body;
    request.received = absl::Now();
    const ScriptedAnswer answer = Record(std::move(request));
    if (answer.delay > absl::ZeroDuration()) absl::SleepFor(answer.delay);
    res.status = answer.status;
    for (const auto& [key, value] : answer.headers) res.set_header(key, value);
    res.set_content(answer.body, "application/json");
  });
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) {
    std::fprintf(stderr, "WebhookReceiver: cannot bind 127.0.0.1\n");
    std::abort();
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // listen_after_bind() runs on the thread: wait until it accepts before the test sends.
  while (!server_->is_running()) absl::SleepFor(absl::Milliseconds(1));
}

void WebhookReceiver::Stop() {
  if (thread_.joinable()) {
    server_->stop();
    thread_.join();
  }
}

std::string WebhookReceiver::url(const std::string& path_and_query) const {
  return absl::StrCat("http://127.0.0.1:", port_, path_and_query);
}

void WebhookReceiver::Script(std::vector<ScriptedAnswer> answers) {
  absl::MutexLock lock(&mu_);
  for (ScriptedAnswer& answer : answers) script_.push_back(std::move(answer));
}

void WebhookReceiver::SetDefault(ScriptedAnswer answer) {
  absl::MutexLock lock(&mu_);
  default_answer_ = std::move(answer);
}

std::vector<ReceivedRequest> WebhookReceiver::requests() const {
  absl::MutexLock lock(&mu_);
  return requests_;
}

size_t WebhookReceiver::request_count() const {
  absl::MutexLock lock(&mu_);
  return requests_.size();
}

bool WebhookReceiver::WaitForRequests(size_t n, absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return requests_.size() >= n; };
  return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
}

void WebhookReceiver::ClearRequests() {
  absl::MutexLock lock(&mu_);
  requests_.clear();
}

ScriptedAnswer WebhookReceiver::Record(ReceivedRequest request) {
  absl::MutexLock lock(&mu_);
  requests_.push_back(std::move(request));
  if (script_.empty()) return default_answer_;
  ScriptedAnswer answer = std::move(script_.front());
  script_.pop_front();
  return answer;
}

}  // namespace rectify::testing_support
