// ServerTest plus the HTTP gateway (services/http) on a free port, forwarding in-process to the
// same gRPC server, and helpers to call it with httplib::Client the way a script or a page does.
#ifndef RECTIFY_TESTS_SUPPORT_HTTP_FIXTURE_H_
#define RECTIFY_TESTS_SUPPORT_HTTP_FIXTURE_H_

#include <httplib.h>

#include <map>
#include <memory>
#include <string>

#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "services/http/http_server.h"
#include "services/http/json_error.h"
#include "tests/support/server_fixture.h"

namespace rectify {
namespace testing_support {

// The gRPC status an HTTP answer stands for: OK for 2xx, else the code named in the JSON error
// body. Fails the test when the HTTP status is not the one the mapping gives for that code
// (unless the error came inside a stream, after a 200).
inline grpc::Status StatusOfHttp(int http_status, const std::string& body,
                                 bool check_http_status = true) {
  if (http_status >= 200 && http_status < 300) return grpc::Status::OK;
  google::protobuf::Struct error;
  if (!google::protobuf::util::JsonStringToMessage(body, &error).ok()) {
    ADD_FAILURE() << "HTTP " << http_status << " without a JSON error body: " << body;
    return grpc::Status(grpc::StatusCode::UNKNOWN, body);
  }
  const std::string name = error.fields().at("code").string_value();
  grpc::StatusCode code = grpc::StatusCode::UNKNOWN;
  for (int c = 0; c <= 16; ++c) {
    if (name == http::CodeName(static_cast<grpc::StatusCode>(c))) {
      code = static_cast<grpc::StatusCode>(c);
    }
  }
  if (check_http_status) {
    EXPECT_EQ(http_status, http::HttpStatusOf(code)) << name << ": " << body;
  }
  return grpc::Status(code, error.fields().at("message").string_value());
}

class HttpServerTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    StartHttp();
  }
  void TearDown() override {
    http_.reset();
    ServerTest::TearDown();
  }

  void StartHttp() {
    http_.reset();
    auto http = http::HttpServer::Start(ledger_.get(), server_->server(), http_options_);
    ASSERT_TRUE(http.ok()) << http.status();
    http_ = std::move(http).value();
    server_->set_web_url(BaseUrl());
  }

  std::string BaseUrl() const { return absl::StrCat("http://127.0.0.1:", http_->port()); }

  std::unique_ptr<httplib::Client> Client() const {
    auto client = std::make_unique<httplib::Client>("127.0.0.1", http_->port());
    client->set_read_timeout(30, 0);
    return client;
  }

  // POST /api/<method> with `json` and a bearer `secret` (none when empty).
  httplib::Result Api(const std::string& method, const std::string& json,
                      const std::string& secret = admin_secret_) const {
    httplib::Headers headers;
    if (!secret.empty()) headers.emplace("Authorization", "Bearer " + secret);
    return Client()->Post(("/api/rectify.v1." + method).c_str(), headers, json, "application/json");
  }

  http::HttpOptions http_options_ = [] {
    http::HttpOptions o;
    o.listen_address = "127.0.0.1:0";
    o.worker_threads = 8;
    return o;
  }();
  std::unique_ptr<http::HttpServer> http_;
};

}  // namespace testing_support
}  // namespace rectify

#endif  // RECTIFY_TESTS_SUPPORT_HTTP_FIXTURE_H_
