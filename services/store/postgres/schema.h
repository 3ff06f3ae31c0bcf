// The schema of the PostgreSQL store and its migrations, numbered as the SQLite store's
// (services/store/sqlite/schema.h): version 13 here is the same ledger as version 13 there. The
// first PostgreSQL schema is 13; a later version adds one step here and one there.
//
// A `meta` table holds the version and the compatible version, as in SQLite: a node refuses a
// database whose compatible version is newer than it knows, naming both versions. Nodes starting
// at once on an empty database serialize on the write lock, and each re-reads the version inside
// its transaction, so no step runs twice.
//
// Thread safety: these functions use the given connection; the caller owns it exclusively.
#ifndef RECTIFY_SERVICES_STORE_POSTGRES_SCHEMA_H_
#define RECTIFY_SERVICES_STORE_POSTGRES_SCHEMA_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/store/postgres/connection.h"

namespace rectify {
namespace postgres {

inline constexpr int kCurrentSchemaVersion = 13;

struct SchemaVersion {
  int version = 0;             // 0: an empty database
  int compatible_version = 0;  // 0: an empty database
};

// Reads the meta table (in the connection's current schema); {0, 0} when there is none yet.
absl::StatusOr<SchemaVersion> ReadSchemaVersion(PgConnection& db);

// Creates the schema in an empty database or checks that an existing one is compatible.
// FAILED_PRECONDITION when the database is newer than this binary, or when it holds tables of
// something other than Rectify.
absl::Status MigrateSchema(PgConnection& db);

}  // namespace postgres
}  // namespace rectify

#endif  // RECTIFY_SERVICES_STORE_POSTGRES_SCHEMA_H_
