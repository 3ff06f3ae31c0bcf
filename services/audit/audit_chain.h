// The audit trail's hash chain (审计日志哈希链).
//
// Every change that commits appends one AuditEntry in the same store transaction, so an entry
// exists iff its change does. Entry n stores prev_hash = hash of entry n-1 (64 zeros for the
// first) and hash = SHA-256 of CanonicalEncoding(entry): a fixed tag, then each field as an
// 8-byte big-endian length and its bytes, in the order seq, time (unix microseconds), actor,
// token_id, method, target, request, before, after, prev_hash. Length prefixes make the encoding
// unambiguous: no two different entries encode alike, however their texts are split.
//
// The chain starts with a genesis entry (method kGenesisMethod, actor "system"), written by
// EnsureGenesis at server start or by the first Append, whichever comes first: a database
// migrated to schema step 6 starts its chain then.
//
// Usage, inside a Store::Write:
//   AuditEntry e;
//   e.time = now; e.actor = actor.name; e.token_id = actor.token_id;
//   e.method = "CreateTask"; e.target = "task/12"; e.request = ...; e.after = ...;
//   RETURN_IF_ERROR(audit::Append(tx, std::move(e)));
//
// Thread safety: free functions; Append must run inside a write transaction, which the store
// serialises, so two appends never read the same head.
#ifndef RECTIFY_SERVICES_AUDIT_AUDIT_CHAIN_H_
#define RECTIFY_SERVICES_AUDIT_AUDIT_CHAIN_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/store/store.h"

namespace rectify::audit {

inline constexpr char kGenesisMethod[] = "AuditGenesis";

// The prev_hash of the first entry: 64 zeros.
const std::string& ZeroHash();

// The bytes that `hash` covers: every field of `entry` except hash itself.
std::string CanonicalEncoding(const AuditEntry& entry);

// Lowercase hex SHA-256 of CanonicalEncoding(entry).
std::string ComputeHash(const AuditEntry& entry);

// Appends `entry` after the current head: sets its seq (head + 1), prev_hash and hash and writes
// it. On an empty log a genesis entry goes first. Returns the entry as written.
absl::StatusOr<AuditEntry> Append(WriteTxn& tx, AuditEntry entry);

// Writes the genesis entry if the log is empty; otherwise changes nothing.
absl::Status EnsureGenesis(Store& store, absl::Time now);

}  // namespace rectify::audit

#endif  // RECTIFY_SERVICES_AUDIT_AUDIT_CHAIN_H_
