// LedgerTxn: notification channels, the outbox of notices and their deliveries.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"
#include "services/store/sql/ledger_txn.h"
#include "services/store/sql/row_codec.h"

namespace rectify {
namespace sql {
namespace {

constexpr char kChannelColumns[] =
    "c.id, c.unit_id, u.path, c.kind, c.name, c.url, c.secret, c.smtp_user, c.mail_from, "
    "c.mail_to, c.supervision, c.enabled, c.lang, c.version, c.create_time, "
    "c.consecutive_failures, c.last_error, c.last_success_time";

constexpr char kNoticeColumns[] =
    "n.id, n.key, n.topic, n.urgent, n.task_id, n.unit_id, n.unit_name, n.measure, n.person, "
    "n.deadline, n.days, n.actor, n.note, n.overdue, n.due_soon, n.submitted, n.items, "
    "n.create_time";

constexpr char kDeliveryColumns[] =
    "d.notice_id, d.channel_id, d.state, d.attempts, d.parts_sent, d.next_attempt_time, "
    "d.last_error, d.sent_time";

std::vector<std::string> SplitLines(const std::string& text) {
  if (text.empty()) return {};
  return absl::StrSplit(text, '\n');
}

void ReadChannel(RowReader& r, NotifyChannel& c) {
  c.id = r.Int64();
  c.unit_id = r.Int64();
  c.unit_path = r.Text();
  c.kind = r.Enum<ChannelKind>(1, kMaxChannelKind, "notify_channels.kind");
  c.name = r.Text();
  c.url = r.Text();
  c.secret = r.Text();
  c.user = r.Text();
  c.from = r.Text();
  c.to = SplitLines(r.Text());
  c.supervision = r.Int() != 0;
  c.enabled = r.Int() != 0;
  c.lang = r.Text();
  c.version = r.Int64();
  c.create_time = r.Time();
  c.consecutive_failures = r.Int();
  c.last_error = r.Text();
  c.last_success_time = r.OptionalTime();
}

void ReadNotice(RowReader& r, Notice& n) {
  n.id = r.Int64();
  n.key = r.Text();
  n.topic = r.Enum<NoticeTopic>(1, kMaxNoticeTopic, "notices.topic");
  n.urgent = r.Int() != 0;
  n.task_id = r.IdOrZero();
  n.unit_id = r.Int64();
  n.unit_name = r.Text();
  n.measure = r.Text();
  n.person = r.Text();
  n.deadline = r.OptionalDay("notices.deadline");
  n.days = r.Int();
  n.actor = r.Text();
  n.note = r.Text();
  n.overdue = r.Int64();
  n.due_soon = r.Int64();
  n.submitted = r.Int64();
  n.items = SplitLines(r.Text());
  n.create_time = r.Time();
}

void ReadDelivery(RowReader& r, Delivery& d) {
  d.notice_id = r.Int64();
  d.channel_id = r.Int64();
  d.state = r.Enum<DeliveryState>(1, 3, "notice_deliveries.state");
  d.attempts = r.Int();
  d.parts_sent = r.Int();
  d.next_attempt_time = r.Time();
  d.last_error = r.Text();
  d.sent_time = r.OptionalTime();
}

// The units-under-a-path condition on the channel's unit, or none for "".
absl::Status AddSubtree(Conditions& where, const std::string& subtree_path) {
  if (subtree_path.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(PathRange range, SubtreeRange(subtree_path, "subtree_path"));
  where.Add(absl::StrCat("u.path >= ", where.Value(range.lo)));
  where.Add(absl::StrCat("u.path < ", where.Value(range.hi)));
  return absl::OkStatus();
}

// The columns a channel's update writes, in the order BindChannelWritable binds them ($1..$13);
// an insert writes them and unit_id, kind and create_time after.
constexpr char kChannelWritable[] =
    "name, url, secret, smtp_user, mail_from, mail_to, supervision, enabled, lang, version, "
    "consecutive_failures, last_error, last_success_time";

Params BindChannelWritable(Statement& s, const NotifyChannel& c) {
  Params p(s);
  p.Text(c.name)
      .Text(c.url)
      .Text(c.secret)
      .Text(c.user)
      .Text(c.from)
      .Text(absl::StrJoin(c.to, "\n"))
      .Int(c.supervision ? 1 : 0)
      .Int(c.enabled ? 1 : 0)
      .Text(c.lang)
      .Int64(c.version)
      .Int(c.consecutive_failures)
      .Text(c.last_error)
      .OptionalTime(c.last_success_time);
  return p;
}

}  // namespace

absl::StatusOr<NotifyChannel> LedgerTxn::GetChannel(Id id) {
  ASSIGN_OR_RETURN(Statement s, Sql(absl::StrCat("SELECT ", kChannelColumns,
                                                 " FROM notify_channels c JOIN units u ON "
                                                 "u.id = c.unit_id WHERE c.id = $1")));
  s.BindInt64(1, id);
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return NotFound("通知渠道", "channel", id);
  RowReader r(s);
  NotifyChannel c;
  ReadChannel(r, c);
  RETURN_IF_ERROR(r.status());
  return c;
}

absl::StatusOr<std::vector<NotifyChannel>> LedgerTxn::ListChannels(
    const std::string& subtree_path) {
  Conditions where;
  RETURN_IF_ERROR(AddSubtree(where, subtree_path));
  ASSIGN_OR_RETURN(Statement s, Sql(absl::StrCat("SELECT ", kChannelColumns,
                                                 " FROM notify_channels c JOIN units u ON "
                                                 "u.id = c.unit_id",
                                                 where.Where(), " ORDER BY c.id")));
  where.BindAll(s);
  std::vector<NotifyChannel> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return out;
    RowReader r(s);
    NotifyChannel c;
    ReadChannel(r, c);
    RETURN_IF_ERROR(r.status());
    out.push_back(std::move(c));
  }
}

absl::StatusOr<std::vector<DueDelivery>> LedgerTxn::ListDueDeliveries(absl::Time now, int limit) {
  ASSIGN_OR_RETURN(
      Statement s,
      Sql(absl::StrCat("SELECT ", kDeliveryColumns, ", ", kNoticeColumns, ", ", kChannelColumns,
                       " FROM notice_deliveries d JOIN notices n ON n.id = d.notice_id"
                       " JOIN notify_channels c ON c.id = d.channel_id"
                       " JOIN units u ON u.id = c.unit_id"
                       " WHERE d.state = 1 AND d.next_attempt_time <= $1"
                       " ORDER BY d.next_attempt_time, d.notice_id, d.channel_id LIMIT $2")));
  Params(s).Time(now).Int64(limit);
  std::vector<DueDelivery> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return out;
    RowReader r(s);
    DueDelivery due;
    ReadDelivery(r, due.delivery);
    ReadNotice(r, due.notice);
    ReadChannel(r, due.channel);
    RETURN_IF_ERROR(r.status());
    out.push_back(std::move(due));
  }
}

absl::StatusOr<absl::optional<absl::Time>> LedgerTxn::NextDeliveryTime() {
  ASSIGN_OR_RETURN(Statement s,
                   Sql("SELECT MIN(next_attempt_time) FROM notice_deliveries WHERE state = 1"));
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row || s.ColumnIsNull(0)) return absl::optional<absl::Time>();
  RowReader r(s);
  absl::Time t = r.Time();
  RETURN_IF_ERROR(r.status());
  return absl::optional<absl::Time>(t);
}

absl::StatusOr<std::vector<DeliveryView>> LedgerTxn::ListDeliveries(
    const std::string& subtree_path, absl::optional<DeliveryState> state, int limit) {
  Conditions where;
  RETURN_IF_ERROR(AddSubtree(where, subtree_path));
  if (state.has_value()) {
    where.Add(absl::StrCat("d.state = ", where.Value(static_cast<int64_t>(*state))));
  }
  const std::string limit_param = where.Value(static_cast<int64_t>(limit));
  ASSIGN_OR_RETURN(
      Statement s,
      Sql(absl::StrCat("SELECT ", kDeliveryColumns,
                       ", n.topic, n.task_id, c.name, n.create_time"
                       " FROM notice_deliveries d JOIN notices n ON n.id = d.notice_id"
                       " JOIN notify_channels c ON c.id = d.channel_id"
                       " JOIN units u ON u.id = c.unit_id",
                       where.Where(), " ORDER BY d.notice_id DESC, d.channel_id LIMIT ",
                       limit_param)));
  where.BindAll(s);
  std::vector<DeliveryView> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return out;
    RowReader r(s);
    DeliveryView v;
    ReadDelivery(r, v.delivery);
    v.topic = r.Enum<NoticeTopic>(1, kMaxNoticeTopic, "notices.topic");
    v.task_id = r.IdOrZero();
    v.channel_name = r.Text();
    v.notice_time = r.Time();
    RETURN_IF_ERROR(r.status());
    out.push_back(std::move(v));
  }
}

absl::StatusOr<std::vector<ChannelDeliveryCounts>> LedgerTxn::CountDeliveries(
    const std::string& subtree_path) {
  Conditions where;
  RETURN_IF_ERROR(AddSubtree(where, subtree_path));
  ASSIGN_OR_RETURN(Statement s,
                   Sql(absl::StrCat("SELECT c.id, "
                                    "COALESCE(SUM(CASE WHEN d.state = 1 THEN 1 ELSE 0 END), 0), "
                                    "COALESCE(SUM(CASE WHEN d.state = 2 THEN 1 ELSE 0 END), 0), "
                                    "COALESCE(SUM(CASE WHEN d.state = 3 THEN 1 ELSE 0 END), 0)"
                                    " FROM notify_channels c JOIN units u ON u.id = c.unit_id"
                                    " LEFT JOIN notice_deliveries d ON d.channel_id = c.id",
                                    where.Where(), " GROUP BY c.id ORDER BY c.id")));
  where.BindAll(s);
  std::vector<ChannelDeliveryCounts> out;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return out;
    ChannelDeliveryCounts c;
    c.channel_id = s.ColumnInt64(0);
    c.pending = s.ColumnInt64(1);
    c.sent = s.ColumnInt64(2);
    c.failed = s.ColumnInt64(3);
    out.push_back(c);
  }
}

absl::StatusOr<absl::optional<std::string>> LedgerTxn::GetNotifyMark(const std::string& key) {
  ASSIGN_OR_RETURN(Statement s, Sql("SELECT value FROM notify_marks WHERE key = $1"));
  s.BindText(1, key);
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return absl::optional<std::string>();
  return absl::optional<std::string>(s.ColumnText(0));
}

absl::StatusOr<absl::optional<Notice>> LedgerTxn::FindNotice(const std::string& key) {
  ASSIGN_OR_RETURN(Statement s, Sql(absl::StrCat("SELECT ", kNoticeColumns,
                                                 " FROM notices n WHERE n.key = $1")));
  s.BindText(1, key);
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return absl::optional<Notice>();
  RowReader r(s);
  Notice n;
  ReadNotice(r, n);
  RETURN_IF_ERROR(r.status());
  return absl::optional<Notice>(std::move(n));
}

absl::Status LedgerTxn::InsertChannel(NotifyChannel& c) {
  ASSIGN_OR_RETURN(
      Statement s,
      Sql(absl::StrCat("INSERT INTO notify_channels (", kChannelWritable,
                       ", unit_id, kind, create_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
                       "$10, $11, $12, $13, $14, $15, $16) RETURNING id")));
  BindChannelWritable(s, c).Int64(c.unit_id).Enum(c.kind).Time(c.create_time);
  ASSIGN_OR_RETURN(c.id, InsertReturningId(s));
  return absl::OkStatus();
}

absl::Status LedgerTxn::UpdateChannel(const NotifyChannel& c) {
  ASSIGN_OR_RETURN(Statement s,
                   Sql(absl::StrCat("UPDATE notify_channels SET (", kChannelWritable,
                                    ") = ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
                                    "$13) WHERE id = $14")));
  BindChannelWritable(s, c).Int64(c.id);
  RETURN_IF_ERROR(s.Run());
  if (db_.ChangeCount() == 0) return NotFound("通知渠道", "channel", c.id);
  return absl::OkStatus();
}

absl::Status LedgerTxn::DeleteChannel(Id id) {
  // Sent and failed deliveries go with the channel too: they name a channel that no longer
  // exists. The notices stay (their keys keep a re-run from making them again).
  ASSIGN_OR_RETURN(Statement d, Sql("DELETE FROM notice_deliveries WHERE channel_id = $1"));
  d.BindInt64(1, id);
  RETURN_IF_ERROR(d.Run());
  ASSIGN_OR_RETURN(Statement s, Sql("DELETE FROM notify_channels WHERE id = $1"));
  s.BindInt64(1, id);
  RETURN_IF_ERROR(s.Run());
  if (db_.ChangeCount() == 0) return NotFound("通知渠道", "channel", id);
  return absl::OkStatus();
}

absl::StatusOr<bool> LedgerTxn::EnqueueNotice(Notice& n, const std::vector<Id>& unit_ids,
                                              bool supervision) {
  ASSIGN_OR_RETURN(
      Statement s,
      Sql("INSERT INTO notices (key, topic, urgent, task_id, unit_id, unit_name, measure, person, "
          "deadline, days, actor, note, overdue, due_soon, submitted, items, create_time) VALUES "
          "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) "
          "ON CONFLICT (key) DO NOTHING RETURNING id"));
  Params(s)
      .Text(n.key)
      .Enum(n.topic)
      .Int(n.urgent ? 1 : 0)
      .IdOrNull(n.task_id)
      .Int64(n.unit_id)
      .Text(n.unit_name)
      .Text(n.measure)
      .Text(n.person)
      .OptionalDay(n.deadline)
      .Int(n.days)
      .Text(n.actor)
      .Text(n.note)
      .Int64(n.overdue)
      .Int64(n.due_soon)
      .Int64(n.submitted)
      .Text(absl::StrJoin(n.items, "\n"))
      .Time(n.create_time);
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return false;  // the key exists: this notice was written before
  n.id = s.ColumnInt64(0);
  // Finishes the INSERT before the deliveries' statement runs.
  ASSIGN_OR_RETURN(bool more, s.Step());
  if (more) return absl::InternalError("INSERT ... RETURNING gave two rows");
  Conditions where;
  const std::string notice = where.Value(n.id);
  const std::string due = where.Value(absl::ToUnixMicros(n.create_time));
  std::vector<std::string> ids;
  for (Id unit : unit_ids) ids.push_back(where.Value(unit));
  std::string who =
      ids.empty() ? "1 = 0" : absl::StrCat("c.unit_id IN (", absl::StrJoin(ids, ", "), ")");
  if (supervision) absl::StrAppend(&who, " OR c.supervision = 1");
  ASSIGN_OR_RETURN(Statement d,
                   Sql(absl::StrCat("INSERT INTO notice_deliveries (notice_id, channel_id, "
                                    "state, next_attempt_time) SELECT ",
                                    notice, ", c.id, 1, ", due,
                                    " FROM notify_channels c WHERE c.enabled = 1 AND (", who,
                                    ") ON CONFLICT DO NOTHING")));
  where.BindAll(d);
  RETURN_IF_ERROR(d.Run());
  return true;
}

absl::Status LedgerTxn::UpdateDelivery(const Delivery& d) {
  ASSIGN_OR_RETURN(Statement s,
                   Sql("UPDATE notice_deliveries SET state = $1, attempts = $2, parts_sent = $3, "
                       "next_attempt_time = $4, last_error = $5, sent_time = $6 "
                       "WHERE notice_id = $7 AND channel_id = $8"));
  Params(s)
      .Enum(d.state)
      .Int(d.attempts)
      .Int(d.parts_sent)
      .Time(d.next_attempt_time)
      .Text(d.last_error)
      .OptionalTime(d.sent_time)
      .Int64(d.notice_id)
      .Int64(d.channel_id);
  RETURN_IF_ERROR(s.Run());
  if (db_.ChangeCount() == 0) {
    return absl::NotFoundError(
        absl::StrCat("投递记录不存在 / delivery ", d.notice_id, "/", d.channel_id, " not found"));
  }
  return absl::OkStatus();
}

absl::Status LedgerTxn::SetNotifyMark(const std::string& key, const std::string& value) {
  ASSIGN_OR_RETURN(Statement s, Sql("INSERT INTO notify_marks (key, value) VALUES ($1, $2) "
                                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
  Params(s).Text(key).Text(value);
  return s.Run();
}

}  // namespace sql
}  // namespace rectify
