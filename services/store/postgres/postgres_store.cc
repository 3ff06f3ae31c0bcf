#include "services/store/postgres/postgres_store.h"

#include <utility>

#include "services/common/errors.h"
#include "services/common/status_macros.h"
#include "services/store/postgres/schema.h"
#include "services/store/sql/group_commit.h"
#include "services/store/sql/ledger_txn.h"

namespace rectify {

using postgres::PgConnection;
using sql::Transaction;

namespace {

absl::Status ValidateOptions(const PostgresOptions& options) {
  if (options.conninfo.empty()) {
    return InvalidField("conninfo", "须指定 PostgreSQL 连接串",
                        "a PostgreSQL conninfo is required");
  }
  if (options.read_connections < 1) {
    return InvalidField("read_connections", "至少为 1", "must be at least 1");
  }
  if (options.max_write_batch < 1) {
    return InvalidField("max_write_batch", "至少为 1", "must be at least 1");
  }
  if (options.lock_timeout_ms < 1 || options.statement_timeout_ms < 1 ||
      options.idle_in_transaction_timeout_ms < 1 || options.connect_timeout_s < 1) {
    return InvalidField("timeouts", "须为正数", "must be positive");
  }
  return absl::OkStatus();
}

postgres::ConnectionOptions ConnectionOptionsOf(const PostgresOptions& options) {
  postgres::ConnectionOptions c;
  c.lock_timeout_ms = options.lock_timeout_ms;
  c.statement_timeout_ms = options.statement_timeout_ms;
  c.idle_in_transaction_timeout_ms = options.idle_in_transaction_timeout_ms;
  c.connect_timeout_s = options.connect_timeout_s;
  return c;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresStore>> PostgresStore::Open(const PostgresOptions& options) {
  RETURN_IF_ERROR(ValidateOptions(options));
  const postgres::ConnectionOptions c = ConnectionOptionsOf(options);
  ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> writer, PgConnection::Open(options.conninfo, c));
  RETURN_IF_ERROR(postgres::MigrateSchema(*writer));
  std::vector<std::unique_ptr<PgConnection>> readers;
  for (int i = 0; i < options.read_connections; ++i) {
    ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> reader, PgConnection::Open(options.conninfo, c));
    readers.push_back(std::move(reader));
  }
  return std::unique_ptr<PostgresStore>(
      new PostgresStore(options, std::move(writer), std::move(readers)));
}

PostgresStore::PostgresStore(const PostgresOptions& options, std::unique_ptr<PgConnection> writer,
                             std::vector<std::unique_ptr<PgConnection>> readers)
    : options_(options), writer_(std::move(writer)), idle_readers_(std::move(readers)) {
  absl::MutexLock lock(&write_mu_);
  committer_ =
      std::make_unique<sql::GroupCommitter>(writer_.get(), &write_mu_, options_.max_write_batch);
}

PostgresStore::~PostgresStore() = default;

std::unique_ptr<PgConnection> PostgresStore::AcquireReader() {
  absl::MutexLock lock(&pool_mu_);
  pool_mu_.Await(absl::Condition(
      +[](std::vector<std::unique_ptr<PgConnection>>* idle) { return !idle->empty(); },
      &idle_readers_));
  std::unique_ptr<PgConnection> reader = std::move(idle_readers_.back());
  idle_readers_.pop_back();
  return reader;
}

void PostgresStore::ReleaseReader(std::unique_ptr<PgConnection> reader) {
  absl::MutexLock lock(&pool_mu_);
  idle_readers_.push_back(std::move(reader));
}

absl::Status PostgresStore::Read(const std::function<absl::Status(ReadTxn&)>& fn) {
  std::unique_ptr<PgConnection> reader = AcquireReader();
  absl::Status status;
  {
    Transaction txn(*reader, Transaction::Mode::kRead);
    status = txn.Begin();
    if (status.ok()) {
      sql::LedgerTxn tx(*reader);
      status = fn(tx);
      if (status.ok()) status = txn.Commit();
    }
  }
  ReleaseReader(std::move(reader));
  return status;
}

absl::Status PostgresStore::Write(const std::function<absl::Status(WriteTxn&)>& fn) {
  return committer_->Run(fn);
}

absl::Status PostgresStore::Backup(const std::string& dest_path) {
  (void)dest_path;
  return absl::FailedPreconditionError(
      "PostgreSQL 账本请用 pg_dump 或 pg_basebackup 备份（见 docs/postgresql.md） / back up a "
      "PostgreSQL ledger with pg_dump or pg_basebackup (see docs/postgresql.md)");
}

absl::Status PostgresStore::Ping() {
  std::unique_ptr<PgConnection> reader = AcquireReader();
  absl::Status status = reader->EnsureConnected();
  if (status.ok()) status = reader->Execute("SELECT 1");
  ReleaseReader(std::move(reader));
  return status;
}

PostgresStore::CommitCounts PostgresStore::commit_counts() const { return committer_->counters(); }

}  // namespace rectify
