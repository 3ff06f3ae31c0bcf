// The audit key (审计密钥): keyed entries for the audit chain.
//
// With a key installed, every entry the server appends carries mac = HMAC-SHA256(key,
// CanonicalEncoding(entry)) in hex. Whoever can write the database but cannot read the key
// file cannot append, insert or rewrite an entry that verifies against the key: the chain
// alone (a plain SHA-256) can be recomputed by anyone. The verifier holds its own copy of the
// key (rectify audit verify --key_file) and checks the MACs on its side, so a server that lies
// about the key gains nothing. docs/audit.md says what each mode proves.
//
// The key file holds at least 32 bytes (e.g. `openssl rand -hex 32`); one trailing newline is
// not part of the key. It must not be readable by group or others.
//
// Thread safety: InstallKey before the server serves (or in tests between uses); the other
// functions are safe from any thread.
#ifndef RECTIFY_SERVICES_AUDIT_AUDIT_KEY_H_
#define RECTIFY_SERVICES_AUDIT_AUDIT_KEY_H_

#include <string>

#include "absl/status/statusor.h"
#include "services/store/store.h"

namespace rectify::audit {

// Reads and checks a key file.
absl::StatusOr<std::string> LoadKeyFile(const std::string& path);

// The key Append uses from now on; "" for none.
void InstallKey(const std::string& key);
// The installed key, "" for none.
std::string InstalledKey();

// Lowercase hex HMAC-SHA256 of CanonicalEncoding(entry) under `key`.
std::string EntryMac(const std::string& key, const AuditEntry& entry);

// A short name of the key ("k:" and 16 hex digits of a hash of it), safe to print and log.
std::string KeyId(const std::string& key);

}  // namespace rectify::audit

#endif  // RECTIFY_SERVICES_AUDIT_AUDIT_KEY_H_
