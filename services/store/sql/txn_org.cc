// LedgerTxn: org units, reviews, root causes, problems.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/errors.h"
#include "services/common/status_macros.h"
#include "services/store/sql/ledger_txn.h"
#include "services/store/sql/row_codec.h"

namespace rectify {
namespace sql {

namespace {

constexpr char kUnitColumns[] = "id, name, parent_id, path, depth, version, create_time";
// source_sha256 comes last: schema step 3 added it.
constexpr char kReviewColumns[] =
    "id, title, kind, held_on, unit_id, source_document, create_time, source_sha256";

absl::StatusOr<OrgUnit> ReadUnit(const Statement& s) {
  RowReader r(s);
  OrgUnit u;
  u.id = r.Int64();
  u.name = r.Text();
  u.parent_id = r.IdOrZero();
  u.path = r.Text();
  u.depth = r.Int();
  u.version = r.Int64();
  u.create_time = r.Time();
  RETURN_IF_ERROR(r.status());
  return u;
}

absl::StatusOr<std::vector<OrgUnit>> ReadUnits(Statement& s) {
  std::vector<OrgUnit> units;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return units;
    ASSIGN_OR_RETURN(OrgUnit u, ReadUnit(s));
    units.push_back(std::move(u));
  }
}

absl::StatusOr<Review> ReadReview(const Statement& s) {
  RowReader r(s);
  Review v;
  v.id = r.Int64();
  v.title = r.Text();
  v.kind = r.Enum<ReviewKind>(1, kMaxReviewKind, "reviews.kind");
  v.held_on = r.Day("reviews.held_on");
  v.unit_id = r.Int64();
  v.source_document = r.Text();
  v.create_time = r.Time();
  v.source_sha256 = r.Text();  // NULL (entered by hand) reads as ""
  RETURN_IF_ERROR(r.status());
  return v;
}

RootCause ReadRootCause(const Statement& s) {
  RowReader r(s);
  RootCause c;
  c.id = r.Int64();
  c.review_id = r.Int64();
  c.text = r.Text();
  return c;
}

absl::StatusOr<Problem> ReadProblem(const Statement& s) {
  RowReader r(s);
  Problem p;
  p.id = r.Int64();
  p.review_id = r.Int64();
  p.seq = r.Int();
  p.area = r.Text();
  p.text = r.Text();
  return p;
}

// The depth of a unit from its path: "/1/" is 0 (the root), "/1/5/" is 1.
int DepthOf(const std::string& path) {
  return static_cast<int>(std::count(path.begin(), path.end(), '/')) - 2;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Units

absl::StatusOr<OrgUnit> LedgerTxn::GetUnit(Id id) {
  ASSIGN_OR_RETURN(Statement s,
                   Sql(absl::StrCat("SELECT ", kUnitColumns, " FROM units WHERE id = $1")));
  s.BindInt64(1, id);
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return NotFound("单位", "unit", id);
  return ReadUnit(s);
}

absl::StatusOr<std::vector<OrgUnit>> LedgerTxn::ListUnits(const std::string& subtree_path,
                                                          const std::string& after_path,
                                                          int limit) {
  Conditions where;
  if (!subtree_path.empty()) {
    ASSIGN_OR_RETURN(PathRange range, SubtreeRange(subtree_path, "subtree_path"));
    where.Add(absl::StrCat("path >= ", where.Value(range.lo)));
    where.Add(absl::StrCat("path < ", where.Value(range.hi)));
  }
  if (!after_path.empty()) where.Add(absl::StrCat("path > ", where.Value(after_path)));
  const std::string limit_param = where.Value(ClampLimit(limit));
  ASSIGN_OR_RETURN(Statement s,
                   Sql(absl::StrCat("SELECT ", kUnitColumns, " FROM units", where.Where(),
                                    " ORDER BY path LIMIT ", limit_param)));
  where.BindAll(s);
  return ReadUnits(s);
}

absl::StatusOr<absl::optional<OrgUnit>> LedgerTxn::FindUnitByName(Id parent_id,
                                                                  const std::string& name) {
  // "parent_id = NULL" is never true, so roots need their own query.
  absl::StatusOr<Statement> s =
      parent_id == 0 ? Sql(absl::StrCat("SELECT ", kUnitColumns,
                                        " FROM units WHERE parent_id IS NULL AND name = $1"))
                     : Sql(absl::StrCat("SELECT ", kUnitColumns,
                                        " FROM units WHERE name = $1 AND parent_id = $2"));
  if (!s.ok()) return s.status();
  s->BindText(1, name);
  if (parent_id != 0) s->BindInt64(2, parent_id);
  ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return absl::optional<OrgUnit>();
  ASSIGN_OR_RETURN(OrgUnit u, ReadUnit(*s));
  return absl::optional<OrgUnit>(std::move(u));
}

absl::StatusOr<int64_t> LedgerTxn::CountRoots() {
  ASSIGN_OR_RETURN(Statement s, Sql("SELECT COUNT(*) FROM units WHERE parent_id IS NULL"));
  ASSIGN_OR_RETURN(bool row, s.Step());
  return row ? s.ColumnInt64(0) : 0;
}

absl::Status LedgerTxn::InsertUnit(OrgUnit& unit) {
  // unit.path holds the parent's path on the way in.
  const std::string parent_path = unit.path;
  if (unit.parent_id == 0) {
    if (parent_path != "/") {
      return InvalidField("unit.path", "根单位的上级路径须为 /", "a root's parent path must be /");
    }
  } else {
    ASSIGN_OR_RETURN(OrgUnit parent, GetUnit(unit.parent_id));
    if (parent.path != parent_path) {
      return InvalidField("unit.path", "上级路径与上级单位不符",
                          "the parent path does not match the parent unit");
    }
  }
  // The id is known only after the insert, so the row starts with a path no real unit can have
  // (real paths hold digits and '/') and gets its own at once, in the same transaction.
  ASSIGN_OR_RETURN(Statement insert,
                   Sql("INSERT INTO units (name, parent_id, path, depth, version, create_time) "
                       "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"));
  Params(insert)
      .Text(unit.name)
      .IdOrNull(unit.parent_id)
      .Text(absl::StrCat(parent_path, "+"))
      .Int(0)
      .Int64(unit.version)
      .Time(unit.create_time);
  absl::StatusOr<int64_t> id = InsertReturningId(insert);
  if (absl::IsAlreadyExists(id.status())) {
    return absl::AlreadyExistsError(absl::StrCat("同级已有名为“", unit.name,
                                                 "”的单位 / a sibling unit named \"", unit.name,
                                                 "\" exists already"));
  }
  if (!id.ok()) return id.status();

  // Ids are zero-padded so that ordering paths as text is tree order with siblings in creation
  // order ("/0000000002/" sorts before "/0000000010/").
  const std::string path = absl::StrFormat("%s%010d/", parent_path, *id);
  ASSIGN_OR_RETURN(Statement update, Sql("UPDATE units SET path = $1, depth = $2 WHERE id = $3"));
  Params(update).Text(path).Int(DepthOf(path)).Int64(*id);
  RETURN_IF_ERROR(update.Run());
  unit.id = *id;
  unit.path = path;
  unit.depth = DepthOf(path);
  changed_.push_back(RowRef{RowRef::Kind::kUnit, unit.id, 0});
  return absl::OkStatus();
}

absl::Status LedgerTxn::UpdateUnit(const OrgUnit& unit) {
  ASSIGN_OR_RETURN(Statement s, Sql("UPDATE units SET name = $1, version = $2 WHERE id = $3"));
  Params(s).Text(unit.name).Int64(unit.version).Int64(unit.id);
  absl::Status status = s.Run();
  if (absl::IsAlreadyExists(status)) {
    return absl::AlreadyExistsError(absl::StrCat("同级已有名为“", unit.name,
                                                 "”的单位 / a sibling unit named \"", unit.name,
                                                 "\" exists already"));
  }
  RETURN_IF_ERROR(status);
  if (db_.ChangeCount() == 0) return NotFound("单位", "unit", unit.id);
  changed_.push_back(RowRef{RowRef::Kind::kUnit, unit.id, 0});
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------------
// Reviews

absl::StatusOr<Review> LedgerTxn::GetReview(Id id) {
  ASSIGN_OR_RETURN(Statement s,
                   Sql(absl::StrCat("SELECT ", kReviewColumns, " FROM reviews WHERE id = $1")));
  s.BindInt64(1, id);
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return NotFound("检视", "review", id);
  return ReadReview(s);
}

absl::StatusOr<std::vector<Review>> LedgerTxn::ListReviews(const std::string& subtree_path,
                                                           Id before_id, int limit) {
  Conditions where;
  std::string join;
  if (!subtree_path.empty()) {
    ASSIGN_OR_RETURN(PathRange range, SubtreeRange(subtree_path, "subtree_path"));
    join = " JOIN units u ON u.id = r.unit_id";
    where.Add(absl::StrCat("u.path >= ", where.Value(range.lo)));
    where.Add(absl::StrCat("u.path < ", where.Value(range.hi)));
  }
  if (before_id != 0) where.Add(absl::StrCat("r.id < ", where.Value(before_id)));
  const std::string limit_param = where.Value(ClampLimit(limit));
  ASSIGN_OR_RETURN(
      Statement s,
      Sql(absl::StrCat("SELECT r.id, r.title, r.kind, r.held_on, r.unit_id, r.source_document, "
                       "r.create_time, r.source_sha256 FROM reviews r",
                       join, where.Where(), " ORDER BY r.id DESC LIMIT ", limit_param)));
  where.BindAll(s);
  std::vector<Review> reviews;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return reviews;
    ASSIGN_OR_RETURN(Review v, ReadReview(s));
    reviews.push_back(std::move(v));
  }
}

absl::Status LedgerTxn::InsertReview(Review& review) {
  ASSIGN_OR_RETURN(Statement s, Sql("INSERT INTO reviews (title, kind, held_on, unit_id, "
                                    "source_document, create_time, source_sha256) "
                                    "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"));
  Params p(s);
  p.Text(review.title)
      .Enum(review.kind)
      .Day(review.held_on)
      .Int64(review.unit_id)
      .Text(review.source_document)
      .Time(review.create_time);
  // NULL, not "", for a review entered by hand: the unique index only covers imported ones.
  if (review.source_sha256.empty()) {
    p.Null();
  } else {
    p.Text(review.source_sha256);
  }
  ASSIGN_OR_RETURN(review.id, InsertReturningId(s));
  return absl::OkStatus();
}

absl::StatusOr<absl::optional<Review>> LedgerTxn::FindReviewBySource(
    Id unit_id, const std::string& source_sha256) {
  ASSIGN_OR_RETURN(Statement s, Sql(absl::StrCat("SELECT ", kReviewColumns,
                                                 " FROM reviews WHERE unit_id = $1 AND "
                                                 "source_sha256 = $2")));
  Params(s).Int64(unit_id).Text(source_sha256);
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return absl::optional<Review>();
  ASSIGN_OR_RETURN(Review review, ReadReview(s));
  return absl::optional<Review>(std::move(review));
}

// ---------------------------------------------------------------------------------------------
// Root causes

absl::StatusOr<RootCause> LedgerTxn::GetRootCause(Id id) {
  ASSIGN_OR_RETURN(Statement s, Sql("SELECT id, review_id, text FROM root_causes WHERE id = $1"));
  s.BindInt64(1, id);
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return NotFound("根源", "root cause", id);
  return ReadRootCause(s);
}

absl::StatusOr<std::vector<RootCause>> LedgerTxn::ListRootCauses(Id review_id) {
  ASSIGN_OR_RETURN(Statement s, Sql("SELECT id, review_id, text FROM root_causes "
                                    "WHERE review_id = $1 ORDER BY id"));
  s.BindInt64(1, review_id);
  std::vector<RootCause> causes;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return causes;
    causes.push_back(ReadRootCause(s));
  }
}

absl::Status LedgerTxn::InsertRootCause(RootCause& cause) {
  ASSIGN_OR_RETURN(Statement s, Sql("INSERT INTO root_causes (review_id, text) "
                                    "VALUES ($1, $2) RETURNING id"));
  Params(s).Int64(cause.review_id).Text(cause.text);
  ASSIGN_OR_RETURN(cause.id, InsertReturningId(s));
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------------
// Problems

absl::Status LedgerTxn::LoadRootCauseIds(Problem& problem) {
  ASSIGN_OR_RETURN(Statement s, Sql("SELECT root_cause_id FROM problem_causes "
                                    "WHERE problem_id = $1 ORDER BY position"));
  s.BindInt64(1, problem.id);
  problem.root_cause_ids.clear();
  for (;;) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return absl::OkStatus();
    problem.root_cause_ids.push_back(s.ColumnInt64(0));
  }
}

absl::StatusOr<Problem> LedgerTxn::GetProblem(Id id) {
  Problem problem;
  {
    ASSIGN_OR_RETURN(Statement s,
                     Sql("SELECT id, review_id, seq, area, text FROM problems WHERE id = $1"));
    s.BindInt64(1, id);
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return NotFound("问题", "problem", id);
    ASSIGN_OR_RETURN(problem, ReadProblem(s));
  }
  RETURN_IF_ERROR(LoadRootCauseIds(problem));
  return problem;
}

absl::StatusOr<std::vector<Problem>> LedgerTxn::ListProblems(Id review_id, int after_seq,
                                                             int limit) {
  std::vector<Problem> problems;
  {
    ASSIGN_OR_RETURN(Statement s, Sql("SELECT id, review_id, seq, area, text FROM problems "
                                      "WHERE review_id = $1 AND seq > $2 ORDER BY seq LIMIT $3"));
    Params(s).Int64(review_id).Int(after_seq).Int64(ClampLimit(limit));
    for (;;) {
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      ASSIGN_OR_RETURN(Problem p, ReadProblem(s));
      problems.push_back(std::move(p));
    }
  }
  for (Problem& p : problems) RETURN_IF_ERROR(LoadRootCauseIds(p));
  return problems;
}

absl::StatusOr<int> LedgerTxn::MaxProblemSeq(Id review_id) {
  ASSIGN_OR_RETURN(Statement s,
                   Sql("SELECT COALESCE(MAX(seq), 0) FROM problems WHERE review_id = $1"));
  s.BindInt64(1, review_id);
  ASSIGN_OR_RETURN(bool row, s.Step());
  return row ? s.ColumnInt(0) : 0;
}

absl::Status LedgerTxn::InsertProblem(Problem& problem) {
  ASSIGN_OR_RETURN(Statement s, Sql("INSERT INTO problems (review_id, seq, area, text) "
                                    "VALUES ($1, $2, $3, $4) RETURNING id"));
  Params(s).Int64(problem.review_id).Int(problem.seq).Text(problem.area).Text(problem.text);
  ASSIGN_OR_RETURN(problem.id, InsertReturningId(s));
  ASSIGN_OR_RETURN(Statement link, Sql("INSERT INTO problem_causes (problem_id, root_cause_id, "
                                       "position) VALUES ($1, $2, $3)"));
  for (size_t i = 0; i < problem.root_cause_ids.size(); ++i) {
    Params(link).Int64(problem.id).Int64(problem.root_cause_ids[i]).Int(static_cast<int>(i));
    RETURN_IF_ERROR(link.Run());
    link.Reset();
  }
  return absl::OkStatus();
}

absl::Status LedgerTxn::UpdateProblemText(Id problem_id, const std::string& text) {
  ASSIGN_OR_RETURN(Statement s, Sql("UPDATE problems SET text = $1 WHERE id = $2"));
  Params(s).Text(text).Int64(problem_id);
  RETURN_IF_ERROR(s.Run());
  if (db_.ChangeCount() == 0) return NotFound("问题", "problem", problem_id);
  return absl::OkStatus();
}

absl::Status LedgerTxn::WithdrawReviewSource(Id review_id, const std::string& title) {
  ASSIGN_OR_RETURN(Statement s,
                   Sql("UPDATE reviews SET title = $1, source_sha256 = NULL WHERE id = $2"));
  Params(s).Text(title).Int64(review_id);
  RETURN_IF_ERROR(s.Run());
  if (db_.ChangeCount() == 0) return NotFound("检视", "review", review_id);
  return absl::OkStatus();
}

}  // namespace sql
}  // namespace rectify
