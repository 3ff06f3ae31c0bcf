#include "services/store/postgres/connection.h"

#include <libpq-fe.h>
#include <poll.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "services/common/errors.h"

namespace rectify {
namespace postgres {

namespace {

// How much longer than the statement timeout a query waits for the server's answer: the server
// ends a statement at its timeout itself; this is for a server that answers nothing at all.
constexpr absl::Duration kAnswerMargin = absl::Seconds(2);

// Type OIDs of the three column types (pg_type.h; stable across PostgreSQL versions).
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kTextOid = 25;

std::string WithDetail(absl::string_view zh, absl::string_view en, absl::string_view detail) {
  if (detail.empty()) return Bilingual(zh, en);
  return absl::StrCat(Bilingual(zh, en), " (", detail, ")");
}

// PostgreSQL's message without its trailing newline.
std::string Trimmed(const char* message) {
  std::string m = message == nullptr ? "" : message;
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

}  // namespace

absl::Status StatusFromSqlState(absl::string_view state, absl::string_view detail) {
  if (state == "23505") {
    return absl::AlreadyExistsError(WithDetail("记录已存在", "the record already exists", detail));
  }
  if (state == "23503") {
    return absl::FailedPreconditionError(
        WithDetail("引用的记录不存在", "a referenced record does not exist", detail));
  }
  if (absl::StartsWith(state, "23")) {
    return absl::FailedPreconditionError(
        WithDetail("违反数据约束", "a data constraint was violated", detail));
  }
  if (state == "40001" || state == "40P01" || state == "55P03" || state == "57014") {
    return absl::UnavailableError(
        WithDetail("数据库繁忙，请稍后重试", "the database is busy, retry later", detail));
  }
  if (absl::StartsWith(state, "08") || absl::StartsWith(state, "57P") || state == "53300") {
    return absl::UnavailableError(
        WithDetail("无法连接数据库，请稍后重试", "cannot reach the database, retry later", detail));
  }
  if (absl::StartsWith(state, "53")) {
    return absl::ResourceExhaustedError(
        WithDetail("数据库或磁盘已满", "the database or disk is full", detail));
  }
  if (state == "XX001" || state == "XX002") {
    return absl::DataLossError(WithDetail("数据库已损坏", "the database is corrupt", detail));
  }
  if (absl::StartsWith(state, "22")) {
    return absl::InvalidArgumentError(
        WithDetail("数据无法存入数据库", "the database cannot store this value", detail));
  }
  return absl::InternalError(WithDetail("数据库错误", "database error", detail));
}

// ---------------------------------------------------------------------------------------------
// PgStatement

class PgStatement final : public sql::StatementImpl {
 public:
  // `in_use`: the cache's flag for this statement, or nullptr for one owned by its sql::Statement.
  PgStatement(PgConnection* db, std::string sql, bool* in_use)
      : db_(db), sql_(std::move(sql)), in_use_(in_use) {}
  ~PgStatement() override { Clear(); }

  void BindNull(int index) override { Slot(index) = Param{}; }
  void BindInt64(int index, int64_t value) override {
    Slot(index) = Param{kInt8Oid, absl::StrCat(value), 0, true};
  }
  void BindText(int index, absl::string_view value) override {
    // A text parameter travels NUL-terminated, and PostgreSQL's text cannot hold NUL at all:
    // refuse it instead of storing a shortened value.
    if (value.find('\0') != absl::string_view::npos) bind_error_ = index;
    Slot(index) = Param{kTextOid, std::string(value), 0, true};
  }
  void BindBlob(int index, absl::string_view value) override {
    Slot(index) = Param{kByteaOid, std::string(value), 1, true};
  }

  absl::StatusOr<bool> Step() override {
    if (result_ == nullptr) {
      absl::Status run = Execute();
      if (!run.ok()) return run;
    }
    ++row_;
    return row_ < PQntuples(result_);
  }

  void Reset() override { Clear(); }

  bool ColumnIsNull(int column) const override { return PQgetisnull(result_, row_, column) != 0; }
  int64_t ColumnInt64(int column) const override {
    const char* text = PQgetvalue(result_, row_, column);
    if (PQftype(result_, column) == kBoolOid) return text[0] == 't' ? 1 : 0;
    return std::strtoll(text, nullptr, 10);
  }
  std::string ColumnText(int column) const override {
    return std::string(PQgetvalue(result_, row_, column),
                       static_cast<size_t>(PQgetlength(result_, row_, column)));
  }
  std::string ColumnBlob(int column) const override {
    if (PQftype(result_, column) != kByteaOid) return ColumnText(column);
    size_t length = 0;
    unsigned char* bytes = PQunescapeBytea(
        reinterpret_cast<const unsigned char*>(PQgetvalue(result_, row_, column)), &length);
    if (bytes == nullptr) return std::string();
    std::string out(reinterpret_cast<const char*>(bytes), length);
    PQfreemem(bytes);
    return out;
  }
  const char* sql() const override { return sql_.c_str(); }

  void Recycle() override {
    Clear();
    params_.clear();
    bind_error_ = 0;
    *in_use_ = false;
  }

 private:
  struct Param {
    Oid type = 0;  // 0: NULL, its type inferred by the server
    std::string value;
    int format = 0;  // 0 text, 1 binary (bytea)
    bool present = false;
  };

  Param& Slot(int index) {
    if (index < 1) index = 1;
    if (params_.size() < static_cast<size_t>(index)) params_.resize(static_cast<size_t>(index));
    return params_[static_cast<size_t>(index) - 1];
  }

  void Clear() {
    if (result_ != nullptr) PQclear(result_);
    result_ = nullptr;
    row_ = -1;
  }

  absl::Status Execute() {
    if (bind_error_ != 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "文本含有空字符（NUL），无法保存 / text contains a NUL character and cannot be stored "
          "(parameter $",
          bind_error_, ")"));
    }
    const int n = static_cast<int>(params_.size());
    std::vector<Oid> types(params_.size());
    std::vector<const char*> values(params_.size());
    std::vector<int> lengths(params_.size());
    std::vector<int> formats(params_.size());
    for (size_t i = 0; i < params_.size(); ++i) {
      const Param& p = params_[i];
      types[i] = p.type;
      values[i] = p.present ? p.value.c_str() : nullptr;
      lengths[i] = static_cast<int>(p.value.size());
      formats[i] = p.format;
    }
    result_ =
        db_->Run(sql_.c_str(), n, types.data(), values.data(), lengths.data(), formats.data());
    row_ = -1;
    const ExecStatusType status = result_ == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(result_);
    if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
      db_->NoteChanges(PQcmdStatus(result_), PQcmdTuples(result_));
      return absl::OkStatus();
    }
    absl::Status error = db_->ResultError(result_, sql_);
    Clear();
    return error;
  }

  PgConnection* const db_;
  const std::string sql_;
  bool* const in_use_;
  std::vector<Param> params_;
  int bind_error_ = 0;  // the index of a text parameter that holds a NUL, or 0
  PGresult* result_ = nullptr;
  int row_ = -1;
};

struct PgConnection::CachedStatement {
  std::unique_ptr<PgStatement> statement;
  bool in_use = false;
};

// ---------------------------------------------------------------------------------------------
// PgConnection

absl::StatusOr<std::unique_ptr<PgConnection>> PgConnection::Open(const std::string& conninfo,
                                                                 const ConnectionOptions& options) {
  // connect_timeout as a keyword after the caller's: libpq takes the first occurrence of a
  // keyword from a conninfo string, so expand_dbname with arrays lets ours only fill a gap.
  const std::string timeout = absl::StrCat(options.connect_timeout_s);
  const char* keywords[] = {"dbname", "connect_timeout", "application_name", nullptr};
  const char* values[] = {conninfo.c_str(), timeout.c_str(), "rectifyd", nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) {
    return absl::ResourceExhaustedError("无法分配数据库连接 / cannot allocate a connection");
  }
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string detail = Trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    return absl::UnavailableError(WithDetail("无法连接 PostgreSQL 数据库",
                                             "cannot connect to the PostgreSQL database", detail));
  }
  std::unique_ptr<PgConnection> db(new PgConnection(conn, options));
  absl::Status configured = db->Configure();
  if (!configured.ok()) return configured;
  return db;
}

PgConnection::PgConnection(PGconn* conn, const ConnectionOptions& options)
    : conn_(conn), options_(options) {}

PgConnection::~PgConnection() {
  cache_.clear();
  PQfinish(conn_);
}

absl::Status PgConnection::Configure() {
  // UTC and ISO dates so that nothing the server formats depends on its settings; UTF8 since the
  // ledger is Chinese text. The timeouts turn a stuck peer into UNAVAILABLE instead of a hang,
  // and end a paused node's transaction so that it frees the write lock.
  const std::string settings = absl::StrCat(
      "SET client_encoding = 'UTF8'; SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; "
      "SET lock_timeout = ",
      options_.lock_timeout_ms, "; SET statement_timeout = ", options_.statement_timeout_ms,
      "; SET idle_in_transaction_session_timeout = ", options_.idle_in_transaction_timeout_ms,
      "; SET client_min_messages = WARNING");
  return Execute(settings.c_str());
}

bool PgConnection::Healthy() const { return PQstatus(conn_) == CONNECTION_OK; }

absl::Status PgConnection::EnsureConnected() {
  if (!broken_ && PQstatus(conn_) == CONNECTION_OK) return absl::OkStatus();
  broken_ = false;
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    return absl::UnavailableError(WithDetail("无法连接 PostgreSQL 数据库",
                                             "cannot connect to the PostgreSQL database",
                                             Trimmed(PQerrorMessage(conn_))));
  }
  return Configure();
}

absl::Status PgConnection::ResultError(const PGresult* result, absl::string_view sql) const {
  if (broken_) {
    return absl::UnavailableError(absl::StrCat(
        "数据库在 ",
        absl::FormatDuration(absl::Milliseconds(options_.statement_timeout_ms) + kAnswerMargin),
        " 内没有应答，请重试 / the database did not answer in time; retry"));
  }
  if (PQstatus(conn_) != CONNECTION_OK) {
    return absl::UnavailableError(WithDetail("与数据库的连接已断开，请重试",
                                             "the connection to the database was lost, retry",
                                             Trimmed(PQerrorMessage(conn_))));
  }
  const char* state = result == nullptr ? nullptr : PQresultErrorField(result, PG_DIAG_SQLSTATE);
  std::string detail =
      Trimmed(result == nullptr ? PQerrorMessage(conn_) : PQresultErrorMessage(result));
  if (!sql.empty()) absl::StrAppend(&detail, "; ", sql.substr(0, 200));
  return StatusFromSqlState(state == nullptr ? "" : state, detail);
}

void PgConnection::NoteChanges(const char* command_status, const char* tuples) {
  const absl::string_view tag(command_status);
  if (!absl::StartsWith(tag, "INSERT") && !absl::StartsWith(tag, "UPDATE") &&
      !absl::StartsWith(tag, "DELETE")) {
    return;
  }
  int64_t n = 0;
  if (!absl::SimpleAtoi(tuples, &n)) n = 0;
  last_changes_ = n;
  total_changes_ += n;
}

absl::StatusOr<sql::Statement> PgConnection::GetCachedStatement(absl::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it == cache_.end()) {
    auto entry = std::make_unique<CachedStatement>();
    entry->statement = std::make_unique<PgStatement>(this, std::string(sql), &entry->in_use);
    it = cache_.emplace(std::string(sql), std::move(entry)).first;
  }
  CachedStatement& entry = *it->second;
  if (entry.in_use) return GetUniqueStatement(sql);
  entry.in_use = true;
  return sql::Statement(entry.statement.get(), /*owned=*/false);
}

absl::StatusOr<sql::Statement> PgConnection::GetUniqueStatement(absl::string_view sql) {
  return sql::Statement(new PgStatement(this, std::string(sql), nullptr), /*owned=*/true);
}

PGresult* PgConnection::Run(const char* sql, int n, const unsigned int* types,
                            const char* const* values, const int* lengths, const int* formats) {
  if (broken_) return nullptr;
  const int sent = n >= 0 ? PQsendQueryParams(conn_, sql, n, types, values, lengths, formats,
                                              /*resultFormat=*/0)
                          : PQsendQuery(conn_, sql);
  if (sent != 1) return nullptr;
  const absl::Time deadline =
      absl::Now() + absl::Milliseconds(options_.statement_timeout_ms) + kAnswerMargin;
  PGresult* last = nullptr;
  for (;;) {
    while (PQisBusy(conn_) == 0) {
      PGresult* next = PQgetResult(conn_);
      if (next == nullptr) return last;
      const ExecStatusType status = PQresultStatus(next);
      const bool failed = last != nullptr && PQresultStatus(last) == PGRES_FATAL_ERROR;
      if (failed || status == PGRES_COPY_IN || status == PGRES_COPY_OUT) {
        PQclear(next);  // keep the first error
      } else {
        PQclear(last);
        last = next;
      }
    }
    const absl::Duration left = deadline - absl::Now();
    pollfd fd{PQsocket(conn_), POLLIN, 0};
    const int ready = left <= absl::ZeroDuration()
                          ? 0
                          : ::poll(&fd, 1, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
    if (ready == 0) {
      broken_ = true;  // the answer may still come; the connection is reset before reuse
      PQclear(last);
      return nullptr;
    }
    if ((ready < 0 && errno != EINTR) || (ready > 0 && PQconsumeInput(conn_) == 0)) {
      PQclear(last);
      return nullptr;
    }
  }
}

absl::Status PgConnection::Execute(const char* sql) {
  PGresult* result = Run(sql, -1, nullptr, nullptr, nullptr, nullptr);
  const ExecStatusType status = result == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(result);
  absl::Status out;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
    NoteChanges(PQcmdStatus(result), PQcmdTuples(result));
  } else {
    out = ResultError(result, sql);
  }
  PQclear(result);
  return out;
}

bool PgConnection::InAutocommit() const {
  const PGTransactionStatusType s = PQtransactionStatus(conn_);
  return s == PQTRANS_IDLE || s == PQTRANS_UNKNOWN;
}

absl::Status PgConnection::BeginTransaction(TransactionMode mode) {
  static const std::string kBeginWrite = absl::StrCat(
      "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(", kWriteLockKey, ")");
  const char* begin = mode == TransactionMode::kRead
                          ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                          : kBeginWrite.c_str();
  // A connection the server closed (a restart, a failover) is only noticed when it is used:
  // then nothing of the transaction ran yet, so it is reset and begun once more.
  for (int attempt = 0;; ++attempt) {
    absl::Status connected = EnsureConnected();
    if (!connected.ok()) return connected;
    absl::Status begun = Execute(begin);
    if (begun.ok()) return begun;
    if (PQstatus(conn_) != CONNECTION_OK && attempt == 0) continue;
    if (!InAutocommit()) Execute("ROLLBACK").IgnoreError();
    return begun;
  }
}

absl::Status PgConnection::CommitTransaction() {
  PGresult* result = Run("COMMIT", -1, nullptr, nullptr, nullptr, nullptr);
  const ExecStatusType status = result == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(result);
  absl::Status out;
  if (status != PGRES_COMMAND_OK) {
    out = ResultError(result, "COMMIT");
  } else if (std::strcmp(PQcmdStatus(result), "ROLLBACK") == 0) {
    out = absl::AbortedError(
        "事务失败已回滚，请重试 / the transaction had failed and was rolled back; retry");
  }
  PQclear(result);
  return out;
}

}  // namespace postgres
}  // namespace rectify
