// The PostgreSQL store's schema as one DDL script: the tables, indexes and triggers of the SQLite
// store's schema version 13 (services/store/sqlite/schema.cc), in PostgreSQL 15 terms. It leaves
// out the `meta` table, which the migration code creates and writes.
#ifndef RECTIFY_SERVICES_STORE_POSTGRES_SCHEMA_DDL_H_
#define RECTIFY_SERVICES_STORE_POSTGRES_SCHEMA_DDL_H_

namespace rectify {
namespace postgres {

// Creates the whole schema in an empty database. Several statements: run it with PQexec (simple
// query protocol), inside the caller's transaction. UTF-8 text (the audit log's message).
extern const char kSchemaDdl[];

}  // namespace postgres
}  // namespace rectify

#endif  // RECTIFY_SERVICES_STORE_POSTGRES_SCHEMA_DDL_H_
