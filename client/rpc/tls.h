// The client's transport security: TLS that verifies rectifyd with a CA file (--ca-file or
// RECTIFY_CA_FILE), with a client certificate for mutual TLS (--cert, --key); plain text when no
// CA file is given, which rectifyd accepts only on loopback.
//
// Thread safety: stateless functions.
#ifndef RECTIFY_CLIENT_RPC_TLS_H_
#define RECTIFY_CLIENT_RPC_TLS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/status.h"

namespace rectify::client {

struct TlsClientFiles {
  std::string ca_file;    // PEM CA that signed rectifyd's certificate; empty: plain text
  std::string cert_file;  // PEM client certificate (mutual TLS)
  std::string key_file;   // its PEM private key
};

// Reads the files and returns the channel credentials. INVALID_ARGUMENT naming the option when a
// file cannot be read, or --cert/--key is given without the other or without --ca-file.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsFor(
    const TlsClientFiles& files);

// Whether a failed call looks like a failed TLS handshake (wrong CA, missing client certificate,
// TLS against a plain-text server or the reverse), as gRPC reports it: UNAVAILABLE with an SSL
// or handshake message.
bool LooksLikeTlsFailure(const grpc::Status& status);

// "TLS 握手失败…" with what to check, for a status LooksLikeTlsFailure accepts.
std::string TlsFailureHint();

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_RPC_TLS_H_
