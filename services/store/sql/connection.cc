#include "services/store/sql/connection.h"

#include <utility>

namespace rectify {
namespace sql {

Statement::Statement(Statement&& other) noexcept
    : impl_(std::exchange(other.impl_, nullptr)), owned_(other.owned_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    Release();
    impl_ = std::exchange(other.impl_, nullptr);
    owned_ = other.owned_;
  }
  return *this;
}

void Statement::Release() {
  if (impl_ == nullptr) return;
  if (owned_) {
    delete impl_;
  } else {
    impl_->Recycle();
  }
  impl_ = nullptr;
}

absl::Status Statement::Run() {
  for (;;) {
    absl::StatusOr<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
  }
}

absl::StatusOr<std::string> Connection::QueryText(const char* sql) {
  absl::StatusOr<Statement> stmt = GetUniqueStatement(sql);
  if (!stmt.ok()) return stmt.status();
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  return *row ? stmt->ColumnText(0) : std::string();
}

Transaction::~Transaction() { Rollback(); }

absl::Status Transaction::Begin() {
  absl::Status status = db_.BeginTransaction(mode_);
  open_ = status.ok();
  return status;
}

absl::Status Transaction::Commit() {
  if (!open_) return absl::InternalError("commit without an open transaction");
  absl::Status status = db_.CommitTransaction();
  if (!status.ok()) {
    Rollback();
    return status;
  }
  open_ = false;
  return absl::OkStatus();
}

void Transaction::Rollback() {
  if (!open_) return;
  open_ = false;
  // After a disk-full, I/O or busy error SQLite may have rolled back already, and a lost
  // PostgreSQL connection has no transaction left: a second ROLLBACK would only fail.
  if (!db_.InAutocommit()) db_.Execute("ROLLBACK").IgnoreError();
}

}  // namespace sql
}  // namespace rectify
