// TLS between the client and rectifyd, with certificates made at run time by the openssl command
// (tests/support/make_test_certs.sh): the right CA verifies the server, a wrong CA fails the
// handshake, mutual TLS refuses a client without a certificate and takes one with; plain text is
// refused on a non-loopback address, by StartServer and by the rectifyd binary.
#include "client/rpc/tls.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "proto/grpc/health/v1/health.grpc.pb.h"
#include "services/api/server.h"
#include "services/api/tls_config.h"
#include "tests/support/ledger_fixture.h"

namespace rectify {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class TlsTest : public testing_support::LedgerTest {
 protected:
  void SetUp() override {
    LedgerTest::SetUp();
    certs_ = dir_ + "/certs";
    const std::string cmd =
        std::string("bash ") + RECTIFY_SOURCE_DIR + "/tests/support/make_test_certs.sh " + certs_;
    ASSERT_EQ(std::system(cmd.c_str()), 0) << "openssl failed: " << cmd;
  }

  void TearDown() override {
    server_.reset();
    LedgerTest::TearDown();
  }

  std::string Cert(const std::string& name) { return certs_ + "/" + name; }

  absl::Status Start(bool mutual) {
    api::ServerOptions options;
    options.listen_address = "127.0.0.1:0";
    options.tls_cert_file = Cert("server.pem");
    options.tls_key_file = Cert("server.key");
    if (mutual) options.tls_client_ca_file = Cert("ca.pem");
    auto server = api::StartServer(ledger_.get(), options);
    if (!server.ok()) return server.status();
    server_ = std::move(server).value();
    return absl::OkStatus();
  }

  // A health check (open to everyone, so only the transport decides) over `credentials`.
  grpc::Status Check(const std::shared_ptr<grpc::ChannelCredentials>& credentials,
                     const std::string& host = "127.0.0.1") {
    auto channel = grpc::CreateChannel(absl::StrCat(host, ":", server_->port()), credentials);
    auto stub = grpc::health::v1::Health::NewStub(channel);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    grpc::health::v1::HealthCheckRequest req;
    grpc::health::v1::HealthCheckResponse resp;
    return stub->Check(&ctx, req, &resp);
  }

  std::shared_ptr<grpc::ChannelCredentials> Client(const std::string& ca, bool with_cert = false) {
    client::TlsClientFiles files;
    files.ca_file = Cert(ca);
    if (with_cert) {
      files.cert_file = Cert("client.pem");
      files.key_file = Cert("client.key");
    }
    auto credentials = client::ChannelCredentialsFor(files);
    EXPECT_TRUE(credentials.ok()) << credentials.status();
    return *credentials;
  }

  std::string certs_;
  std::unique_ptr<api::RunningServer> server_;
};

TEST_F(TlsTest, ClientWithTheRightCaReachesTheServer) {
  ASSERT_TRUE(Start(false).ok());
  grpc::Status s = Check(Client("ca.pem"));
  EXPECT_TRUE(s.ok()) << s.error_message();
  s = Check(Client("ca.pem"), "localhost");
  EXPECT_TRUE(s.ok()) << s.error_message();
}

TEST_F(TlsTest, ClientWithAWrongCaFailsTheHandshake) {
  ASSERT_TRUE(Start(false).ok());
  const grpc::Status s = Check(Client("other_ca.pem"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_TRUE(client::LooksLikeTlsFailure(s)) << s.error_message();
}

TEST_F(TlsTest, PlainTextClientCannotTalkToATlsServer) {
  ASSERT_TRUE(Start(false).ok());
  EXPECT_FALSE(Check(grpc::InsecureChannelCredentials()).ok());
}

TEST_F(TlsTest, MutualTlsRefusesAClientWithoutACertificate) {
  ASSERT_TRUE(Start(true).ok());
  const grpc::Status s = Check(Client("ca.pem"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
}

TEST_F(TlsTest, MutualTlsAcceptsAClientWithACertificate) {
  ASSERT_TRUE(Start(true).ok());
  const grpc::Status s = Check(Client("ca.pem", /*with_cert=*/true));
  EXPECT_TRUE(s.ok()) << s.error_message();
}

TEST_F(TlsTest, MismatchedKeyIsRefusedAtStartNamingTheFlag) {
  api::ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.tls_cert_file = Cert("server.pem");
  options.tls_key_file = Cert("client.key");
  auto server = api::StartServer(ledger_.get(), options);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(server.status().message().find("--tls_key"), std::string::npos) << server.status();
}

TEST_F(TlsTest, UnreadableCertificateIsRefusedAtStartNamingTheFlag) {
  api::ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.tls_cert_file = Cert("missing.pem");
  options.tls_key_file = Cert("server.key");
  auto server = api::StartServer(ledger_.get(), options);
  ASSERT_FALSE(server.ok());
  EXPECT_NE(server.status().message().find("--tls_cert"), std::string::npos) << server.status();
}

TEST_F(TlsTest, PlainTextOnANonLoopbackAddressIsRefused) {
  api::ServerOptions options;
  options.listen_address = "0.0.0.0:0";
  auto server = api::StartServer(ledger_.get(), options);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(server.status().message().find("--tls_cert"), std::string::npos) << server.status();
}

TEST_F(TlsTest, TlsOnANonLoopbackAddressIsAllowed) {
  api::ServerOptions options;
  options.listen_address = "0.0.0.0:0";
  options.tls_cert_file = Cert("server.pem");
  options.tls_key_file = Cert("server.key");
  auto server = api::StartServer(ledger_.get(), options);
  EXPECT_TRUE(server.ok()) << server.status();
}

TEST(LoopbackTest, OnlyLoopbackHostsCount) {
  for (const char* a :
       {"127.0.0.1:50051", "127.1.2.3:1", "localhost:50051", "[::1]:50051", "LOCALHOST:1"}) {
    EXPECT_TRUE(api::IsLoopbackAddress(a)) << a;
  }
  for (const char* a : {"0.0.0.0:50051", "[::]:50051", "10.0.0.5:50051", "127.0.0.1.evil:1",
                        "example.com:50051", ":50051"}) {
    EXPECT_FALSE(api::IsLoopbackAddress(a)) << a;
  }
}

TEST(RectifydTest, RefusesPlainTextOnANonLoopbackAddress) {
  std::string dir = ::testing::TempDir() + "rectify_tls_XXXXXX";
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  const std::string cmd = absl::StrCat(RECTIFYD_PATH, " --listen 0.0.0.0:0 --db ", dir,
                                       "/rectify.db 2>", dir, "/stderr.txt");
  const int rc = std::system(cmd.c_str());
  EXPECT_NE(rc, 0);
  const std::string err = ReadAll(dir + "/stderr.txt");
  EXPECT_NE(err.find("非本机"), std::string::npos) << err;
  EXPECT_NE(err.find("--tls_cert"), std::string::npos) << err;
  std::system(absl::StrCat("rm -rf ", dir).c_str());
}

}  // namespace
}  // namespace rectify
