#include "services/api/tls_config.h"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/status_macros.h"

namespace rectify::api {
namespace {

absl::Status FlagError(absl::string_view flag, absl::string_view zh, absl::string_view en) {
  return absl::InvalidArgumentError(absl::StrCat("--", flag, "：", zh, " / --", flag, ": ", en));
}

// Parses the PEM certificate and key and checks that the key belongs to the certificate, so that
// a mix-up is a clear message at start rather than failed handshakes later.
absl::Status CheckCertAndKey(const std::string& cert_pem, const std::string& key_pem) {
  BIO* cert_bio = BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size()));
  X509* cert = PEM_read_bio_X509(cert_bio, nullptr, nullptr, nullptr);
  BIO_free(cert_bio);
  if (cert == nullptr) {
    return FlagError("tls_cert", "不是 PEM 格式的证书", "is not a PEM certificate");
  }
  BIO* key_bio = BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio, nullptr, nullptr, nullptr);
  BIO_free(key_bio);
  if (key == nullptr) {
    X509_free(cert);
    return FlagError("tls_key", "不是 PEM 格式的私钥（或有口令保护）",
                     "is not a PEM private key (or is passphrase-protected)");
  }
  const bool match = X509_check_private_key(cert, key) == 1;
  EVP_PKEY_free(key);
  X509_free(cert);
  if (!match) {
    return FlagError("tls_key", "与 --tls_cert 的证书不匹配",
                     "does not match the certificate of --tls_cert");
  }
  return absl::OkStatus();
}

}  // namespace

bool IsLoopbackAddress(absl::string_view listen_address) {
  absl::string_view host = listen_address;
  if (absl::ConsumePrefix(&host, "[")) {
    const size_t end = host.find(']');
    if (end == absl::string_view::npos) return false;
    host = host.substr(0, end);
  } else {
    const size_t colon = host.rfind(':');
    if (colon != absl::string_view::npos) host = host.substr(0, colon);
  }
  const std::string h = absl::AsciiStrToLower(host);
  if (h == "localhost" || h == "::1") return true;
  // 127.0.0.0/8: four dotted numbers, the first 127.
  if (!absl::StartsWith(h, "127.")) return false;
  int dots = 0;
  for (char c : h) {
    if (c == '.') {
      ++dots;
    } else if (!absl::ascii_isdigit(c)) {
      return false;
    }
  }
  return dots == 3;
}

absl::StatusOr<std::string> ReadPemFile(const std::string& path, absl::string_view flag) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  if (in) buffer << in.rdbuf();
  if (!in || buffer.str().empty()) {
    return FlagError(flag, absl::StrCat("无法读取文件 ", path),
                     absl::StrCat("cannot read file ", path));
  }
  return buffer.str();
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const TlsFiles& files, absl::string_view listen_address) {
  if (files.cert_file.empty() != files.key_file.empty()) {
    return absl::InvalidArgumentError(
        "--tls_cert 与 --tls_key 必须同时设置 / --tls_cert and --tls_key go together");
  }
  if (files.cert_file.empty()) {
    if (!files.client_ca_file.empty()) {
      return absl::InvalidArgumentError(
          "--tls_client_ca 需要同时设置 --tls_cert 与 --tls_key / --tls_client_ca needs "
          "--tls_cert and --tls_key");
    }
    if (!IsLoopbackAddress(listen_address)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "拒绝在非本机地址 ", listen_address,
          " 上以明文监听：请用 --tls_cert 与 --tls_key 启用 TLS，或监听 127.0.0.1 / refusing "
          "plaintext on non-loopback address ",
          listen_address, ": enable TLS with --tls_cert and --tls_key, or listen on 127.0.0.1"));
    }
    return grpc::InsecureServerCredentials();
  }
  ASSIGN_OR_RETURN(std::string cert, ReadPemFile(files.cert_file, "tls_cert"));
  ASSIGN_OR_RETURN(std::string key, ReadPemFile(files.key_file, "tls_key"));
  RETURN_IF_ERROR(CheckCertAndKey(cert, key));
  grpc::SslServerCredentialsOptions options;
  options.pem_key_cert_pairs.push_back({key, cert});
  if (!files.client_ca_file.empty()) {
    ASSIGN_OR_RETURN(options.pem_root_certs, ReadPemFile(files.client_ca_file, "tls_client_ca"));
    options.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(options);
}

}  // namespace rectify::api
