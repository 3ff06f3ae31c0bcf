// Transport security of rectifyd: TLS from PEM files, optional mutual TLS, and the rule that
// plain text is allowed only on a loopback address (127.0.0.0/8, ::1, localhost).
//
// Thread safety: stateless functions.
#ifndef RECTIFY_SERVICES_API_TLS_CONFIG_H_
#define RECTIFY_SERVICES_API_TLS_CONFIG_H_

#include <grpcpp/security/server_credentials.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rectify::api {

struct TlsFiles {
  std::string cert_file;       // --tls_cert: the server's certificate chain, PEM
  std::string key_file;        // --tls_key: its private key, PEM
  std::string client_ca_file;  // --tls_client_ca: when set, client certificates are required
};

// Whether `listen_address` ("host:port", "[v6]:port") names a loopback host.
bool IsLoopbackAddress(absl::string_view listen_address);

// Credentials for `listen_address`: TLS when cert and key are given (mutual when a client CA is
// given too), plain text otherwise, which only a loopback address may use. Errors name the flag:
// INVALID_ARGUMENT for a missing half or an unreadable, unparsable or mismatched file;
// FAILED_PRECONDITION for plain text on a non-loopback address.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const TlsFiles& files, absl::string_view listen_address);

// Reads a whole file. INVALID_ARGUMENT naming `flag` when it cannot be read or is empty.
absl::StatusOr<std::string> ReadPemFile(const std::string& path, absl::string_view flag);

}  // namespace rectify::api

#endif  // RECTIFY_SERVICES_API_TLS_CONFIG_H_
