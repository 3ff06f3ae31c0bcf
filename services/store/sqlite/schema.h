// The schema of the SQLite store and its migrations (after Chromium's sql/meta_table.h).
//
// A `meta` table holds two numbers: the schema version the database is at, and its "compatible
// version", the oldest schema version a binary may know and still use this database safely.
// A binary refuses a database whose compatible version is newer than kCurrentSchemaVersion; it
// opens one whose version alone is newer (the newer binary declared that it stayed compatible).
//
// Migrations go one step at a time, each in its own transaction, so a crash mid-way leaves the
// database at a whole step, and the next start continues from there.
//
// Thread safety: these functions use the given connection; the caller owns it exclusively.
#ifndef RECTIFY_SERVICES_STORE_SQLITE_SCHEMA_H_
#define RECTIFY_SERVICES_STORE_SQLITE_SCHEMA_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/store/sqlite/database.h"

namespace rectify {
namespace sqlite {

// The schema version this binary creates and migrates to.
//   1: the ledger (units, reviews, root causes, problems, tasks, progress, evidence, extensions,
//      events).
//   2: scheduler flags and idempotency records.
//   3: tasks.draft and reviews.source_sha256 (importing review reports).
//   4: tasks.close_day and the covering index tasks_statistics (statistics). Compatible
//      version 4: older binaries would close tasks without a close_day.
//   7: indexes tasks_status_deadline and tasks_status_checkpoint (the overdue listing).
//   8: task_counts and task_due_counts, kept by triggers, replace the scan of tasks_statistics
//      (dropped) for the statistics.
//   9: web_sessions and signin_links (the web console's sign-in).
//  10: extensions.requester_unit_id (separation of duties by unit; the withdrawn status).
//  11: audit_log.rows and audit_log.mac (reconciliation; keyed entries).
//  12: task_light_counts, kept by triggers: the active tasks' lights for the statistics.
inline constexpr int kCurrentSchemaVersion = 13;

struct SchemaVersion {
  int version = 0;             // 0: an empty database
  int compatible_version = 0;  // 0: an empty database
};

// Reads the meta table; {0, 0} when the database has none yet.
absl::StatusOr<SchemaVersion> ReadSchemaVersion(Database& db);

// Brings the schema up to `target_version` (1..kCurrentSchemaVersion), one step a transaction.
// A database already at or past the target is left as it is. Errors: FAILED_PRECONDITION when
// the database's compatible version is newer than this binary (upgrade rectifyd), or when the
// file holds tables of something other than Rectify; otherwise as the statements fail.
absl::Status MigrateSchema(Database& db, int target_version = kCurrentSchemaVersion);

}  // namespace sqlite
}  // namespace rectify

#endif  // RECTIFY_SERVICES_STORE_SQLITE_SCHEMA_H_
