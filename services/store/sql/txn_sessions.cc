// LedgerTxn: web console sessions and one-time sign-in links, each kept as the SHA-256 of its
// secret beside the token it stands for.
#include <string>
#include <utility>

#include "services/common/status_macros.h"
#include "services/store/sql/ledger_txn.h"
#include "services/store/sql/row_codec.h"

namespace rectify {
namespace sql {
namespace {

absl::StatusOr<WebSession> ReadSession(const Statement& s) {
  RowReader r(s);
  WebSession session;
  session.id = r.Int64();
  session.secret_sha256 = r.Text();
  session.token_id = r.Int64();
  session.create_time = r.Time();
  session.expire_time = r.Time();
  RETURN_IF_ERROR(r.status());
  return session;
}

absl::StatusOr<SigninLink> ReadLink(const Statement& s) {
  RowReader r(s);
  SigninLink link;
  link.id = r.Int64();
  link.code_sha256 = r.Text();
  link.token_id = r.Int64();
  link.create_time = r.Time();
  link.expire_time = r.Time();
  link.use_time = r.OptionalTime();
  RETURN_IF_ERROR(r.status());
  return link;
}

}  // namespace

absl::StatusOr<absl::optional<WebSession>> LedgerTxn::FindSessionByHash(
    const std::string& secret_sha256) {
  ASSIGN_OR_RETURN(Statement s, Sql("SELECT id, secret_sha256, token_id, create_time, "
                                    "expire_time FROM web_sessions WHERE secret_sha256 = $1"));
  s.BindText(1, secret_sha256);
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return absl::optional<WebSession>();
  ASSIGN_OR_RETURN(WebSession session, ReadSession(s));
  return absl::optional<WebSession>(std::move(session));
}

absl::StatusOr<absl::optional<SigninLink>> LedgerTxn::FindSigninLinkByHash(
    const std::string& code_sha256) {
  ASSIGN_OR_RETURN(Statement s, Sql("SELECT id, code_sha256, token_id, create_time, expire_time, "
                                    "use_time FROM signin_links WHERE code_sha256 = $1"));
  s.BindText(1, code_sha256);
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return absl::optional<SigninLink>();
  ASSIGN_OR_RETURN(SigninLink link, ReadLink(s));
  return absl::optional<SigninLink>(std::move(link));
}

absl::Status LedgerTxn::InsertSession(WebSession& session) {
  ASSIGN_OR_RETURN(Statement s,
                   Sql("INSERT INTO web_sessions (secret_sha256, token_id, create_time, "
                       "expire_time) VALUES ($1, $2, $3, $4) RETURNING id"));
  Params(s)
      .Text(session.secret_sha256)
      .Int64(session.token_id)
      .Time(session.create_time)
      .Time(session.expire_time);
  ASSIGN_OR_RETURN(session.id, InsertReturningId(s));
  return absl::OkStatus();
}

absl::Status LedgerTxn::DeleteSession(const std::string& secret_sha256) {
  ASSIGN_OR_RETURN(Statement s, Sql("DELETE FROM web_sessions WHERE secret_sha256 = $1"));
  s.BindText(1, secret_sha256);
  return s.Run();
}

absl::StatusOr<int64_t> LedgerTxn::PurgeSessions(absl::Time before) {
  ASSIGN_OR_RETURN(Statement s, Sql("DELETE FROM web_sessions WHERE expire_time < $1"));
  Params(s).Time(before);
  RETURN_IF_ERROR(s.Run());
  return db_.ChangeCount();
}

absl::Status LedgerTxn::InsertSigninLink(SigninLink& link) {
  ASSIGN_OR_RETURN(Statement s,
                   Sql("INSERT INTO signin_links (code_sha256, token_id, create_time, "
                       "expire_time, use_time) VALUES ($1, $2, $3, $4, $5) RETURNING id"));
  Params(s)
      .Text(link.code_sha256)
      .Int64(link.token_id)
      .Time(link.create_time)
      .Time(link.expire_time)
      .OptionalTime(link.use_time);
  ASSIGN_OR_RETURN(link.id, InsertReturningId(s));
  return absl::OkStatus();
}

absl::StatusOr<bool> LedgerTxn::UseSigninLink(int64_t id, absl::Time when) {
  ASSIGN_OR_RETURN(Statement s, Sql("UPDATE signin_links SET use_time = $1 "
                                    "WHERE id = $2 AND use_time IS NULL"));
  Params(s).Time(when).Int64(id);
  RETURN_IF_ERROR(s.Run());
  return db_.ChangeCount() == 1;
}

}  // namespace sql
}  // namespace rectify
