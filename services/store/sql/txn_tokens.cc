// LedgerTxn: API tokens. Each token is read with its unit's path, joined from units:
// units never move, so the path is as stable as the unit id.
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

constexpr char kTokenSelect[] =
    "SELECT t.id, t.secret_sha256, t.name, t.role, t.unit_id, u.path, t.created_by, "
    "t.create_time, t.expire_time, t.revoke_time FROM tokens t JOIN units u ON u.id = t.unit_id";

absl::StatusOr<ApiToken> ReadToken(const Statement& s) {
  RowReader r(s);
  ApiToken token;
  token.id = r.Int64();
  token.secret_sha256 = r.Text();
  token.name = r.Text();
  token.role = r.Enum<Role>(1, 3, "tokens.role");
  token.unit_id = r.Int64();
  token.unit_path = r.Text();
  token.created_by = r.Text();
  token.create_time = r.Time();
  token.expire_time = r.OptionalTime();
  token.revoke_time = r.OptionalTime();
  RETURN_IF_ERROR(r.status());
  return token;
}

}  // namespace

absl::StatusOr<ApiToken> LedgerTxn::GetToken(int64_t id) {
  ASSIGN_OR_RETURN(Statement s, Sql(absl::StrCat(kTokenSelect, " WHERE t.id = $1")));
  s.BindInt64(1, id);
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return NotFound("令牌", "token", id);
  return ReadToken(s);
}

absl::StatusOr<absl::optional<ApiToken>> LedgerTxn::FindTokenByHash(
    const std::string& secret_sha256) {
  ASSIGN_OR_RETURN(Statement s, Sql(absl::StrCat(kTokenSelect, " WHERE t.secret_sha256 = $1")));
  s.BindText(1, secret_sha256);
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return absl::optional<ApiToken>();
  ASSIGN_OR_RETURN(ApiToken token, ReadToken(s));
  return absl::optional<ApiToken>(std::move(token));
}

absl::StatusOr<std::vector<ApiToken>> LedgerTxn::ListTokens(const std::string& subtree_path,
                                                            int64_t after_id, int limit) {
  Conditions where;
  if (!subtree_path.empty()) {
    ASSIGN_OR_RETURN(PathRange range, SubtreeRange(subtree_path, "subtree_path"));
    where.Add(absl::StrCat("u.path >= ", where.Value(range.lo)));
    where.Add(absl::StrCat("u.path < ", where.Value(range.hi)));
  }
  where.Add(absl::StrCat("t.id > ", where.Value(after_id)));
  const std::string limit_param = where.Value(ClampLimit(limit));
  ASSIGN_OR_RETURN(Statement s, Sql(absl::StrCat(kTokenSelect, where.Where(),
                                                 " ORDER BY t.id LIMIT ", limit_param)));
  where.BindAll(s);
  std::vector<ApiToken> tokens;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    ASSIGN_OR_RETURN(ApiToken token, ReadToken(s));
    tokens.push_back(std::move(token));
  }
  return tokens;
}

absl::StatusOr<int64_t> LedgerTxn::CountTokens() {
  ASSIGN_OR_RETURN(Statement s, Sql("SELECT COUNT(*) FROM tokens"));
  ASSIGN_OR_RETURN(bool row, s.Step());
  return row ? s.ColumnInt64(0) : 0;
}

absl::Status LedgerTxn::InsertToken(ApiToken& token) {
  ASSIGN_OR_RETURN(Statement s,
                   Sql("INSERT INTO tokens (secret_sha256, name, role, unit_id, created_by, "
                       "create_time, expire_time, revoke_time) VALUES ($1, $2, $3, $4, $5, $6, "
                       "$7, $8) RETURNING id"));
  Params(s)
      .Text(token.secret_sha256)
      .Text(token.name)
      .Enum(token.role)
      .Int64(token.unit_id)
      .Text(token.created_by)
      .Time(token.create_time)
      .OptionalTime(token.expire_time)
      .OptionalTime(token.revoke_time);
  ASSIGN_OR_RETURN(token.id, InsertReturningId(s));
  return absl::OkStatus();
}

absl::Status LedgerTxn::RevokeToken(int64_t id, absl::Time when) {
  ASSIGN_OR_RETURN(Statement s, Sql("UPDATE tokens SET revoke_time = $1 "
                                    "WHERE id = $2 AND revoke_time IS NULL"));
  Params(s).Time(when).Int64(id);
  RETURN_IF_ERROR(s.Run());
  if (db_.ChangeCount() == 0) RETURN_IF_ERROR(GetToken(id).status());
  return absl::OkStatus();
}

}  // namespace sql
}  // namespace rectify
