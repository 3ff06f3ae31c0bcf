#include "client/rpc/tls.h"

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace rectify::client {
namespace {

absl::StatusOr<std::string> ReadFile(const std::string& path, const char* option) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  if (in) buffer << in.rdbuf();
  if (!in || buffer.str().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(option, "：无法读取文件 ", path, " / ", option, ": cannot read file ", path));
  }
  return buffer.str();
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsFor(
    const TlsClientFiles& files) {
  if (files.cert_file.empty() != files.key_file.empty()) {
    return absl::InvalidArgumentError(
        "--cert 与 --key 必须同时给出 / --cert and --key go together");
  }
  if (files.ca_file.empty()) {
    if (!files.cert_file.empty()) {
      return absl::InvalidArgumentError(
          "--cert/--key 需要同时给出 --ca-file（或 RECTIFY_CA_FILE） / --cert and --key need "
          "--ca-file (or RECTIFY_CA_FILE)");
    }
    return grpc::InsecureChannelCredentials();
  }
  grpc::SslCredentialsOptions options;
  auto ca = ReadFile(files.ca_file, "--ca-file");
  if (!ca.ok()) return ca.status();
  options.pem_root_certs = *ca;
  if (!files.cert_file.empty()) {
    auto cert = ReadFile(files.cert_file, "--cert");
    if (!cert.ok()) return cert.status();
    auto key = ReadFile(files.key_file, "--key");
    if (!key.ok()) return key.status();
    options.pem_cert_chain = *cert;
    options.pem_private_key = *key;
  }
  return grpc::SslCredentials(options);
}

bool LooksLikeTlsFailure(const grpc::Status& status) {
  if (status.error_code() != grpc::StatusCode::UNAVAILABLE) return false;
  const std::string m = absl::AsciiStrToLower(status.error_message());
  return absl::StrContains(m, "handshake") || absl::StrContains(m, "ssl") ||
         absl::StrContains(m, "certificate") || absl::StrContains(m, "tls");
}

std::string TlsFailureHint() {
  return "TLS 握手失败：请确认 --ca-file（RECTIFY_CA_FILE）是签发服务器证书的 CA、服务器地址与证书"
         "相符；服务器要求客户端证书时用 --cert 与 --key；服务器未启用 TLS 时不要给 --ca-file / "
         "TLS handshake failed: check that --ca-file (RECTIFY_CA_FILE) is the CA that signed the "
         "server's certificate and that the address matches it; give --cert and --key when the "
         "server requires client certificates; leave out --ca-file for a plain-text server";
}

}  // namespace rectify::client
