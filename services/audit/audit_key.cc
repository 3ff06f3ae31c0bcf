#include "services/audit/audit_key.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>

#include "absl/base/attributes.h"
#include "absl/base/const_init.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/audit/audit_chain.h"
#include "services/common/sha256.h"

namespace rectify::audit {
namespace {

ABSL_CONST_INIT absl::Mutex key_mu(absl::kConstInit);
std::string* installed_key ABSL_GUARDED_BY(key_mu) = nullptr;

}  // namespace

absl::StatusOr<std::string> LoadKeyFile(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return absl::NotFoundError(
        absl::StrCat("无法读取审计密钥文件 ", path, " / cannot read the audit key file ", path));
  }
  if ((st.st_mode & 077) != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "审计密钥文件 ", path, " 不能让同组或其他用户读取（chmod 600）/ the audit key file ", path,
        " must not be readable by group or others (chmod 600)"));
  }
  std::ifstream in(path, std::ios::binary);
  std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) {
    return absl::NotFoundError(
        absl::StrCat("无法读取审计密钥文件 ", path, " / cannot read the audit key file ", path));
  }
  if (!key.empty() && key.back() == '\n') key.pop_back();
  if (key.size() < 32) {
    return absl::InvalidArgumentError(
        absl::StrCat("审计密钥文件 ", path,
                     " 太短：至少 32 字节（例如 openssl rand -hex 32）/ the audit key file ", path,
                     " is too short: at least 32 bytes (e.g. openssl rand -hex 32)"));
  }
  return key;
}

void InstallKey(const std::string& key) {
  absl::MutexLock lock(&key_mu);
  delete installed_key;
  installed_key = key.empty() ? nullptr : new std::string(key);
}

std::string InstalledKey() {
  absl::MutexLock lock(&key_mu);
  return installed_key == nullptr ? std::string() : *installed_key;
}

std::string EntryMac(const std::string& key, const AuditEntry& entry) {
  const std::string data = CanonicalEncoding(entry);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(out), len));
}

std::string KeyId(const std::string& key) {
  return absl::StrCat("k:", Sha256Hex(absl::StrCat("rectify.audit.key-id\n", key)).substr(0, 16));
}

}  // namespace rectify::audit
