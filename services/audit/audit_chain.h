// The audit trail's hash chain (审计日志哈希链).
//
// Every change that commits appends one AuditEntry in the same store transaction, so an entry
// exists iff its change does. Entry n stores prev_hash = hash of entry n-1 (64 zeros for the
// first) and hash = SHA-256 of CanonicalEncoding(entry): a fixed tag, then each field as an
// 8-byte big-endian length and its bytes, in the order seq, time (unix microseconds), actor,
// token_id, method, target, request, before, after, prev_hash. Length prefixes make the encoding
// unambiguous: no two different entries encode alike, however their texts are split.
//
// Entries that record row states (`rows` not empty, see row_state.h) are encoded under the tag
// "rectify.audit.v2" with `rows` as one more field after prev_hash; entries without (written
// before reconciliation existed) keep the v1 encoding, so old chains still verify.
//
// The chain starts with a genesis entry (method kGenesisMethod, actor "system") and a baseline
// (kBaselineMethod entries recording the state of every row there is), written by EnsureChain at
// server start. EnsureChain refuses to start a chain on a ledger that already holds reviews or
// tasks (its entries were lost, or deleted): that takes RestartChain, an explicit command run on
// the host, which records itself in the new chain. A chain written before row states existed
// gets a baseline at the first start of this version. Append refuses an empty log: a write never
// starts a chain by itself.
//
// With a key installed (audit_key.h), Append also sets each entry's mac.
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
inline constexpr char kBaselineMethod[] = "AuditBaseline";
inline constexpr char kRestartMethod[] = "AuditChainRestarted";

// The prev_hash of the first entry: 64 zeros.
const std::string& ZeroHash();

// The bytes that `hash` covers: every field of `entry` except hash itself.
std::string CanonicalEncoding(const AuditEntry& entry);

// Lowercase hex SHA-256 of CanonicalEncoding(entry).
std::string ComputeHash(const AuditEntry& entry);

// Appends `entry` after the current head: sets its seq (head + 1), prev_hash, rows (the rows the
// transaction wrote since the last append), hash and, with a key, mac, and writes it. Returns
// the entry as written. FAILED_PRECONDITION on an empty log.
absl::StatusOr<AuditEntry> Append(WriteTxn& tx, AuditEntry entry);

// At server start. On an empty log: starts the chain (genesis and baseline) when the ledger holds
// no review or task and at most one unit (a new installation: the root unit made at first
// start), else FAILED_PRECONDITION naming RestartChain's command. On a chain without a baseline
// (written by an older version): appends one. Otherwise changes nothing.
absl::Status EnsureChain(Store& store, absl::Time now);

// The explicit way to start a new chain on a ledger with data, for when the log was lost: only
// on an empty log (FAILED_PRECONDITION otherwise: entries are never deleted), writes genesis, an
// entry saying who restarted it and why, and a baseline. Everything before is unprovable, and
// the restart entry says so to every later verification.
absl::Status RestartChain(Store& store, absl::Time now, const std::string& who,
                          const std::string& reason);

}  // namespace rectify::audit

#endif  // RECTIFY_SERVICES_AUDIT_AUDIT_CHAIN_H_
