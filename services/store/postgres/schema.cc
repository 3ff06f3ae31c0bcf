#include "services/store/postgres/schema.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"
#include "services/store/postgres/schema_ddl.h"

namespace rectify {
namespace postgres {

namespace {

using sql::Statement;
using sql::Transaction;

// Steps, as in SQLite's schema.cc; the first creates everything at version 13.
struct MigrationStep {
  int version;
  int compatible_version;
  const char* sql;
};
constexpr MigrationStep kFirstStep = {13, 13, kSchemaDdl};

absl::StatusOr<int64_t> QueryInt(PgConnection& db, absl::string_view sql) {
  ASSIGN_OR_RETURN(Statement s, db.GetUniqueStatement(sql));
  ASSIGN_OR_RETURN(bool row, s.Step());
  return row ? s.ColumnInt64(0) : 0;
}

absl::Status CheckCompatible(const SchemaVersion& v) {
  if (v.compatible_version <= kCurrentSchemaVersion) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "数据库结构版本为 ", v.version, "，需要更新版本的 rectifyd（本程序最高支持版本 ",
      kCurrentSchemaVersion, "），请升级 rectifyd / the database schema is at version ", v.version,
      " and needs a newer rectifyd (this binary supports up to version ", kCurrentSchemaVersion,
      "); upgrade rectifyd"));
}

absl::Status WriteMeta(PgConnection& db, const MigrationStep& step) {
  constexpr char kUpsert[] =
      "INSERT INTO meta (key, value) VALUES ($1, $2) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value";
  for (const auto& [key, value] : {std::pair<const char*, int>{"version", step.version},
                                   {"last_compatible_version", step.compatible_version}}) {
    ASSIGN_OR_RETURN(Statement s, db.GetUniqueStatement(kUpsert));
    s.BindText(1, key);
    s.BindInt(2, value);
    RETURN_IF_ERROR(s.Run());
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SchemaVersion> ReadSchemaVersion(PgConnection& db) {
  SchemaVersion v;
  ASSIGN_OR_RETURN(int64_t has_meta,
                   QueryInt(db,
                            "SELECT COUNT(*) FROM information_schema.tables "
                            "WHERE table_schema = current_schema() AND table_name = 'meta'"));
  if (has_meta == 0) return v;
  ASSIGN_OR_RETURN(Statement s, db.GetUniqueStatement("SELECT key, value FROM meta"));
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    const std::string key = s.ColumnText(0);
    if (key == "version") v.version = s.ColumnInt(1);
    if (key == "last_compatible_version") v.compatible_version = s.ColumnInt(1);
  }
  if (v.version <= 0 || v.compatible_version <= 0) {
    return absl::DataLossError(Bilingual("数据库的结构版本记录缺失或无效",
                                         "the schema version record is missing or invalid"));
  }
  return v;
}

absl::Status MigrateSchema(PgConnection& db) {
  // The write lock: nodes starting together on an empty database take turns here.
  Transaction txn(db, Transaction::Mode::kWrite);
  RETURN_IF_ERROR(txn.Begin());
  ASSIGN_OR_RETURN(SchemaVersion v, ReadSchemaVersion(db));
  RETURN_IF_ERROR(CheckCompatible(v));
  if (v.version >= kCurrentSchemaVersion) return txn.Commit();
  if (v.version != 0) {
    // There is no PostgreSQL schema older than the first one.
    return absl::DataLossError(absl::StrCat("数据库结构版本 ", v.version, " 无效 / schema version ",
                                            v.version, " is not valid"));
  }
  ASSIGN_OR_RETURN(int64_t foreign, QueryInt(db,
                                             "SELECT COUNT(*) FROM information_schema.tables "
                                             "WHERE table_schema = current_schema()"));
  if (foreign > 0) {
    return absl::FailedPreconditionError(
        "数据库中已有其他表，不是 Rectify 数据库 / the database holds other tables and is not a "
        "Rectify database");
  }
  RETURN_IF_ERROR(
      db.Execute("CREATE TABLE meta (key TEXT COLLATE \"C\" PRIMARY KEY, "
                 "value BIGINT NOT NULL)"));
  RETURN_IF_ERROR(db.Execute(kFirstStep.sql));
  RETURN_IF_ERROR(WriteMeta(db, kFirstStep));
  return txn.Commit();
}

}  // namespace postgres
}  // namespace rectify
