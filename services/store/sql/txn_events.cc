// LedgerTxn: events, scheduler flags and idempotency records.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"
#include "services/store/sql/ledger_txn.h"
#include "services/store/sql/row_codec.h"

namespace rectify {
namespace sql {

namespace {

constexpr char kEventColumns[] =
    "seq, kind, task_id, unit_id, unit_path, actor, time, from_status, to_status, detail";

absl::StatusOr<std::vector<Event>> ReadEvents(Statement& s) {
  std::vector<Event> events;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return events;
    RowReader r(s);
    Event e;
    e.seq = r.Int64();
    e.kind = r.Enum<EventKind>(1, static_cast<int>(EventKind::kUpdated), "events.kind");
    e.task_id = r.IdOrZero();
    e.unit_id = r.IdOrZero();
    e.unit_path = r.Text();
    e.actor = r.Text();
    e.time = r.Time();
    e.from_status = r.OptionalEnum<TaskStatus>(1, kMaxTaskStatus, "events.from_status");
    e.to_status = r.OptionalEnum<TaskStatus>(1, kMaxTaskStatus, "events.to_status");
    e.detail = r.Text();
    RETURN_IF_ERROR(r.status());
    events.push_back(std::move(e));
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Events

absl::StatusOr<std::vector<Event>> LedgerTxn::ListTaskEvents(Id task_id) {
  ASSIGN_OR_RETURN(Statement s, Sql(absl::StrCat("SELECT ", kEventColumns,
                                                 " FROM events WHERE task_id = $1 "
                                                 "ORDER BY seq")));
  s.BindInt64(1, task_id);
  return ReadEvents(s);
}

absl::StatusOr<std::vector<Event>> LedgerTxn::ListEventsAfter(int64_t after_seq,
                                                              const std::string& subtree_path,
                                                              int limit) {
  Conditions where;
  where.Add(absl::StrCat("seq > ", where.Value(after_seq)));
  if (!subtree_path.empty()) {
    ASSIGN_OR_RETURN(PathRange range, SubtreeRange(subtree_path, "subtree_path"));
    where.Add(absl::StrCat("unit_path >= ", where.Value(range.lo)));
    where.Add(absl::StrCat("unit_path < ", where.Value(range.hi)));
  }
  const std::string limit_param = where.Value(ClampLimit(limit));
  // Walks the primary key from after_seq: a watcher that keeps up reads only the new tail.
  ASSIGN_OR_RETURN(Statement s,
                   Sql(absl::StrCat("SELECT ", kEventColumns, " FROM events", where.Where(),
                                    " ORDER BY seq LIMIT ", limit_param)));
  where.BindAll(s);
  return ReadEvents(s);
}

absl::StatusOr<int64_t> LedgerTxn::LastEventSeq() {
  ASSIGN_OR_RETURN(Statement s, Sql("SELECT COALESCE(MAX(seq), 0) FROM events"));
  ASSIGN_OR_RETURN(bool row, s.Step());
  return row ? s.ColumnInt64(0) : 0;
}

absl::Status LedgerTxn::AppendEvent(Event& event) {
  ASSIGN_OR_RETURN(Statement s,
                   Sql("INSERT INTO events (kind, task_id, unit_id, unit_path, actor, time, "
                       "from_status, to_status, detail) "
                       "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING seq"));
  Params(s)
      .Enum(event.kind)
      .IdOrNull(event.task_id)
      .IdOrNull(event.unit_id)
      .Text(event.unit_path)
      .Text(event.actor)
      .Time(event.time)
      .OptionalEnum(event.from_status)
      .OptionalEnum(event.to_status)
      .Text(event.detail);
  ASSIGN_OR_RETURN(event.seq, InsertReturningId(s));
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------------
// Flags

absl::StatusOr<std::vector<Flag>> LedgerTxn::ListFlags(Id task_id) {
  ASSIGN_OR_RETURN(Statement s,
                   Sql("SELECT task_id, deadline_version, kind, raised_time, cleared_time "
                       "FROM flags WHERE task_id = $1 ORDER BY id"));
  s.BindInt64(1, task_id);
  std::vector<Flag> flags;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return flags;
    RowReader r(s);
    Flag f;
    f.task_id = r.Int64();
    f.deadline_version = r.Int64();
    f.kind = r.Enum<FlagKind>(1, static_cast<int>(FlagKind::kCheckpointMissed), "flags.kind");
    f.raised_time = r.Time();
    f.cleared_time = r.OptionalTime();
    RETURN_IF_ERROR(r.status());
    flags.push_back(std::move(f));
  }
}

absl::StatusOr<bool> LedgerTxn::InsertFlag(const Flag& flag) {
  // ON CONFLICT DO NOTHING (SQLite and PostgreSQL alike): a second raise changes nothing and
  // returns no row, which is how the caller learns the flag was up already.
  ASSIGN_OR_RETURN(
      Statement s,
      Sql("INSERT INTO flags (task_id, deadline_version, kind, raised_time, cleared_time) "
          "VALUES ($1, $2, $3, $4, $5) "
          "ON CONFLICT (task_id, deadline_version, kind) DO NOTHING RETURNING id"));
  Params(s)
      .Int64(flag.task_id)
      .Int64(flag.deadline_version)
      .Enum(flag.kind)
      .Time(flag.raised_time)
      .OptionalTime(flag.cleared_time);
  ASSIGN_OR_RETURN(bool inserted, s.Step());
  RETURN_IF_ERROR(s.Run());
  return inserted;
}

absl::StatusOr<bool> LedgerTxn::ClearFlag(Id task_id, int64_t deadline_version, FlagKind kind,
                                          absl::Time when) {
  ASSIGN_OR_RETURN(Statement s,
                   Sql("UPDATE flags SET cleared_time = $1 WHERE task_id = $2 "
                       "AND deadline_version = $3 AND kind = $4 AND cleared_time IS NULL"));
  Params(s).Time(when).Int64(task_id).Int64(deadline_version).Enum(kind);
  RETURN_IF_ERROR(s.Run());
  return db_.ChangeCount() > 0;
}

// ---------------------------------------------------------------------------------------------
// Idempotency records

absl::StatusOr<absl::optional<StoredRequest>> LedgerTxn::FindRequest(
    const std::string& request_id) {
  ASSIGN_OR_RETURN(Statement s, Sql("SELECT request_id, fingerprint, response, time "
                                    "FROM requests WHERE request_id = $1"));
  s.BindText(1, request_id);
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return absl::optional<StoredRequest>();
  RowReader r(s);
  StoredRequest stored;
  stored.request_id = r.Text();
  stored.fingerprint = r.Text();
  stored.response = r.Blob();
  stored.time = r.Time();
  return absl::optional<StoredRequest>(std::move(stored));
}

absl::Status LedgerTxn::SaveRequest(const StoredRequest& request) {
  ASSIGN_OR_RETURN(Statement s, Sql("INSERT INTO requests (request_id, fingerprint, response, "
                                    "time) VALUES ($1, $2, $3, $4)"));
  Params(s)
      .Text(request.request_id)
      .Text(request.fingerprint)
      .Blob(request.response)
      .Time(request.time);
  absl::Status status = s.Run();
  if (absl::IsAlreadyExists(status)) {
    return absl::AlreadyExistsError(absl::StrCat("请求 ", request.request_id,
                                                 " 已处理过 / request ", request.request_id,
                                                 " was handled already"));
  }
  return status;
}

absl::StatusOr<int64_t> LedgerTxn::PurgeRequests(absl::Time before) {
  ASSIGN_OR_RETURN(Statement s, Sql("DELETE FROM requests WHERE time < $1"));
  Params(s).Time(before);
  RETURN_IF_ERROR(s.Run());
  return db_.ChangeCount();
}

}  // namespace sql
}  // namespace rectify
