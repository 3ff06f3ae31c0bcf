// Row states for reconciliation (对账): a digest of each ledger row as the store holds it, so
// that the audit chain can record what a change left behind and a later check can compare the
// rows with the chain's latest record of each.
//
// A row is named "unit/3", "task/12", "progress/7" or "extension/4". Its digest is the lowercase
// hex SHA-256 of a length-prefixed encoding of every stored field, except a task's
// next_check_time: the scheduler moves that without an audit entry (it is bookkeeping, not
// something a user sees), so it must not count as a change. An audit entry's `rows` holds one
// line "<name> <digest>" per row the change wrote, sorted by name.
//
// Thread safety: stateless functions; the ReadTxn ones run on the transaction's thread.
#ifndef RECTIFY_SERVICES_AUDIT_ROW_STATE_H_
#define RECTIFY_SERVICES_AUDIT_ROW_STATE_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/model/model.h"
#include "services/store/store.h"

namespace rectify::audit {

std::string RowName(const RowRef& ref);

std::string RowDigest(const OrgUnit& unit);
std::string RowDigest(const Task& task);
std::string RowDigest(const ProgressReport& report);
std::string RowDigest(const ExtensionRequest& extension);

// What an entry records for a row its change deleted.
inline constexpr char kDeletedRow[] = "-";

// The `rows` text of an entry for `refs` as they are now in `tx` (duplicates collapse). A row
// that no longer exists (the change deleted it) is recorded as kDeletedRow.
absl::StatusOr<std::string> DescribeRows(ReadTxn& tx, const std::vector<RowRef>& refs);

// Parses an entry's `rows` text into name -> digest. Malformed lines are skipped: the hash
// covers the text, so a broken line means a broken entry, which the chain check reports.
std::map<std::string, std::string> ParseRows(absl::string_view rows);

// Calls `fn(name, digest)` for every unit, task, progress report and extension now in `tx`.
absl::Status ForEachRow(ReadTxn& tx,
                        const std::function<void(const std::string&, const std::string&)>& fn);

}  // namespace rectify::audit

#endif  // RECTIFY_SERVICES_AUDIT_ROW_STATE_H_
