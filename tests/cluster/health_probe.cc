// health_probe: asks a server's grpc.health.v1 Health/Check (the whole server: service ""), for
// the cluster tests (db_restart_test.sh); grpc_health_probe is not packaged in Debian.
//
//   health_probe --server 127.0.0.1:50051
//       one Check; prints SERVING, NOT_SERVING, UNKNOWN, SERVICE_UNKNOWN, or the failed call's
//       code and message; exit 0 when SERVING, 1 when another answer, 2 when the call failed.
//   health_probe --server 127.0.0.1:50051 --until NOT_SERVING --within_ms 3000
//       asks every --interval_ms until the answer is the one wanted and prints it with the
//       milliseconds it took ("NOT_SERVING 412"); exit 0, or 1 with the last answer when it did
//       not come within --within_ms.
// Every Check has a deadline of --deadline_ms: a server that hangs counts as a failed call.
// --ca_file speaks TLS and checks the server's certificate against that CA (PEM), for the name
// --tls_server_name when it is not the one in --server. haproxy's health check of the nodes
// (deploy/cluster/rectify-health-check) runs this probe too.
#include <chrono>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "proto/grpc/health/v1/health.grpc.pb.h"

ABSL_FLAG(std::string, server, "127.0.0.1:50051", "rectifyd address (HOST:PORT)");
ABSL_FLAG(std::string, until, "",
          "SERVING or NOT_SERVING: ask until this is the answer (empty: ask once)");
ABSL_FLAG(int, within_ms, 5000, "with --until: give up after this long");
ABSL_FLAG(int, interval_ms, 50, "with --until: pause between Checks");
ABSL_FLAG(int, deadline_ms, 1000, "deadline of each Check");
ABSL_FLAG(std::string, ca_file, "", "TLS: the CA (PEM) the server's certificate must chain to");
ABSL_FLAG(std::string, tls_server_name, "", "TLS: the name the certificate must carry");

namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

struct Answer {
  bool called = false;  // the call itself succeeded
  std::string text;     // the status's name, or the failed call's code and message
};

Answer Check(Health::Stub& stub) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(absl::GetFlag(FLAGS_deadline_ms)));
  HealthCheckRequest request;  // service "": the server as a whole
  HealthCheckResponse response;
  const grpc::Status status = stub.Check(&context, request, &response);
  if (!status.ok()) {
    return {false, absl::StrCat("CALL_FAILED code ", static_cast<int>(status.error_code()), ": ",
                                status.error_message())};
  }
  return {true, HealthCheckResponse::ServingStatus_Name(response.status())};
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string until = absl::GetFlag(FLAGS_until);
  if (!until.empty() && until != "SERVING" && until != "NOT_SERVING") {
    std::cerr << "health_probe: --until 只能是 SERVING 或 NOT_SERVING / --until must be SERVING "
                 "or NOT_SERVING\n";
    return 2;
  }
  grpc::ChannelArguments args;
  // Redial quickly: the probe is used while servers and their database come and go.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 50);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 200);
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (const std::string ca_file = absl::GetFlag(FLAGS_ca_file); !ca_file.empty()) {
    std::ifstream in(ca_file);
    const std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.is_open() || pem.empty()) {
      std::cerr << "health_probe: 无法读取 / cannot read --ca_file " << ca_file << "\n";
      return 2;
    }
    grpc::SslCredentialsOptions tls;
    tls.pem_root_certs = pem;
    credentials = grpc::SslCredentials(tls);
    if (const std::string name = absl::GetFlag(FLAGS_tls_server_name); !name.empty()) {
      args.SetSslTargetNameOverride(name);
    }
  }
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateCustomChannel(absl::GetFlag(FLAGS_server), credentials, args);
  std::unique_ptr<Health::Stub> stub = Health::NewStub(channel);

  const absl::Time start = absl::Now();
  if (until.empty()) {
    const Answer answer = Check(*stub);
    std::cout << answer.text << "\n";
    if (!answer.called) return 2;
    return answer.text == "SERVING" ? 0 : 1;
  }
  const absl::Time give_up = start + absl::Milliseconds(absl::GetFlag(FLAGS_within_ms));
  for (;;) {
    const Answer answer = Check(*stub);
    const int64_t elapsed_ms = absl::ToInt64Milliseconds(absl::Now() - start);
    if (answer.called && answer.text == until) {
      std::cout << answer.text << " " << elapsed_ms << "\n";
      return 0;
    }
    if (absl::Now() >= give_up) {
      std::cout << answer.text << " " << elapsed_ms << "\n";
      std::cerr << "health_probe: " << absl::GetFlag(FLAGS_server) << " 在 "
                << absl::GetFlag(FLAGS_within_ms) << " ms 内没有答 " << until
                << " / did not answer " << until << " within " << absl::GetFlag(FLAGS_within_ms)
                << " ms\n";
      return 1;
    }
    absl::SleepFor(absl::Milliseconds(absl::GetFlag(FLAGS_interval_ms)));
  }
}
