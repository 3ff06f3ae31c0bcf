// Ledger: org units, reviews, root causes and problems.
#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/civil.h"
#include "services/common/errors.h"
#include "services/common/page_token.h"
#include "services/common/status_macros.h"
#include "services/common/text.h"
#include "services/domain/ledger.h"
#include "services/domain/limits.h"

namespace rectify {
namespace {

absl::Status CheckId(absl::string_view field, Id id) {
  if (id <= 0) {
    return InvalidField(field, "必须是正整数编号", "must be a positive id");
  }
  return absl::OkStatus();
}

absl::Status UnitEvent(WriteTxn& tx, const Actor& actor, const OrgUnit& unit, EventKind kind,
                       const std::string& detail, absl::Time now) {
  Event ev;
  ev.kind = kind;
  ev.unit_id = unit.id;
  ev.unit_path = unit.path;
  ev.actor = actor.name;
  ev.time = now;
  ev.detail = detail;
  return tx.AppendEvent(ev);
}

}  // namespace

Ledger::Ledger(Store* store, const Clock* clock, LedgerSettings settings)
    : store_(store), clock_(clock), settings_(std::move(settings)) {}

absl::CivilDay Ledger::Today() const { return DayOf(Now(), settings_.time_zone); }

absl::StatusOr<int> EffectivePageSize(int requested, int default_size) {
  if (requested < 0) {
    return InvalidField("page_size", "不能为负数", "must not be negative");
  }
  if (requested == 0) return default_size;
  return std::min(requested, limits::kMaxPageSize);
}

absl::StatusOr<std::string> Ledger::SubtreePath(ReadTxn& tx, Id unit_id) const {
  if (unit_id == 0) return std::string();
  if (unit_id < 0) return InvalidField("unit_id", "必须是正整数编号", "must be a positive id");
  ASSIGN_OR_RETURN(OrgUnit unit, tx.GetUnit(unit_id));
  return unit.path;
}

absl::StatusOr<OrgUnit> Ledger::CreateUnit(WriteTxn& tx, const Actor& actor, Id parent_id,
                                           const std::string& name) const {
  RETURN_IF_ERROR(CheckText("name", name, 1, limits::kUnitName, /*multiline=*/false));
  if (parent_id < 0) {
    return InvalidField("parent_id", "必须是单位编号，或 0 表示根单位",
                        "must be a unit id, or 0 for the root");
  }
  OrgUnit unit;
  unit.name = name;
  unit.parent_id = parent_id;
  unit.create_time = Now();
  if (parent_id == 0) {
    ASSIGN_OR_RETURN(int64_t roots, tx.CountRoots());
    if (roots > 0) {
      return absl::AlreadyExistsError(
          "根单位已存在，请用 parent_id 指定上级单位 / a root unit exists already; give "
          "parent_id");
    }
    unit.path = "/";
    unit.depth = 0;
  } else {
    ASSIGN_OR_RETURN(OrgUnit parent, tx.GetUnit(parent_id));
    unit.path = parent.path;
    unit.depth = parent.depth + 1;
  }
  ASSIGN_OR_RETURN(absl::optional<OrgUnit> twin, tx.FindUnitByName(parent_id, name));
  if (twin.has_value()) {
    return absl::AlreadyExistsError(absl::StrCat("同一上级下已有名为“", name, "”的单位（编号 ",
                                                 twin->id, "） / a sibling unit named \"", name,
                                                 "\" exists already (id ", twin->id, ")"));
  }
  RETURN_IF_ERROR(tx.InsertUnit(unit));
  RETURN_IF_ERROR(UnitEvent(tx, actor, unit, EventKind::kCreated,
                            absl::StrCat("创建单位“", unit.name, "”"), unit.create_time));
  return unit;
}

absl::StatusOr<OrgUnit> Ledger::RenameUnit(WriteTxn& tx, const Actor& actor, Id id,
                                           const std::string& name,
                                           int64_t expected_version) const {
  RETURN_IF_ERROR(CheckId("id", id));
  RETURN_IF_ERROR(CheckText("name", name, 1, limits::kUnitName, /*multiline=*/false));
  ASSIGN_OR_RETURN(OrgUnit unit, tx.GetUnit(id));
  if (expected_version != 0 && expected_version != unit.version) {
    return absl::AbortedError(absl::StrCat(
        "单位 ", id, " 已被他人修改（当前版本 ", unit.version, "，你提交的是 ", expected_version,
        "），请刷新后重试 / unit ", id, " was changed by someone else (version ", unit.version,
        ", you sent ", expected_version, "); reload and retry"));
  }
  if (unit.name == name) return unit;
  ASSIGN_OR_RETURN(absl::optional<OrgUnit> twin, tx.FindUnitByName(unit.parent_id, name));
  if (twin.has_value()) {
    return absl::AlreadyExistsError(absl::StrCat("同一上级下已有名为“", name,
                                                 "”的单位 / a sibling unit named \"", name,
                                                 "\" exists already"));
  }
  const std::string old_name = unit.name;
  unit.name = name;
  ++unit.version;
  RETURN_IF_ERROR(tx.UpdateUnit(unit));
  RETURN_IF_ERROR(UnitEvent(tx, actor, unit, EventKind::kUpdated,
                            absl::StrCat("单位更名：", old_name, " → ", name), Now()));
  return unit;
}

absl::StatusOr<Review> Ledger::CreateReview(WriteTxn& tx, const Actor& actor,
                                            const std::string& title, int kind,
                                            const std::string& held_on, Id unit_id,
                                            const std::string& source_document,
                                            const std::string& source_sha256) const {
  RETURN_IF_ERROR(CheckText("title", title, 1, limits::kReviewTitle, /*multiline=*/false));
  if (kind < 1 || kind > kMaxReviewKind) {
    return InvalidField(
        "kind", "请选择检视类型（专题组织生活会、民主生活会、巡视巡察、审计、专项检查、其他）",
        "choose a review kind");
  }
  ASSIGN_OR_RETURN(absl::CivilDay held, ParseDay("held_on", held_on));
  RETURN_IF_ERROR(CheckId("unit_id", unit_id));
  RETURN_IF_ERROR(CheckText("source_document", source_document, 0, limits::kSourceDocument,
                            /*multiline=*/false));
  ASSIGN_OR_RETURN(OrgUnit unit, tx.GetUnit(unit_id));
  Review review;
  review.title = title;
  review.kind = static_cast<ReviewKind>(kind);
  review.held_on = held;
  review.unit_id = unit_id;
  review.source_document = source_document;
  review.source_sha256 = source_sha256;
  review.create_time = Now();
  RETURN_IF_ERROR(tx.InsertReview(review));
  RETURN_IF_ERROR(UnitEvent(tx, actor, unit, EventKind::kCreated,
                            absl::StrCat("登记检视“", title, "”（编号 ", review.id, "）"),
                            review.create_time));
  return review;
}

absl::StatusOr<RootCause> Ledger::CreateRootCause(WriteTxn& tx, const Actor& /*actor*/,
                                                  Id review_id, const std::string& text) const {
  RETURN_IF_ERROR(CheckId("review_id", review_id));
  RETURN_IF_ERROR(CheckText("text", text, 1, limits::kLongText));
  ASSIGN_OR_RETURN(Review review, tx.GetReview(review_id));
  RootCause cause;
  cause.review_id = review.id;
  cause.text = text;
  RETURN_IF_ERROR(tx.InsertRootCause(cause));
  return cause;
}

absl::StatusOr<Problem> Ledger::CreateProblem(WriteTxn& tx, const Actor& /*actor*/, Id review_id,
                                              const std::string& area, const std::string& text,
                                              const std::vector<Id>& root_cause_ids) const {
  RETURN_IF_ERROR(CheckId("review_id", review_id));
  RETURN_IF_ERROR(CheckText("area", area, 1, limits::kArea, /*multiline=*/false));
  RETURN_IF_ERROR(CheckText("text", text, 1, limits::kLongText));
  if (root_cause_ids.size() > static_cast<size_t>(limits::kMaxRootCauseLinks)) {
    return InvalidField("root_cause_ids", "关联的根源过多", "too many root causes");
  }
  ASSIGN_OR_RETURN(Review review, tx.GetReview(review_id));
  for (size_t i = 0; i < root_cause_ids.size(); ++i) {
    const Id cause_id = root_cause_ids[i];
    RETURN_IF_ERROR(CheckId("root_cause_ids", cause_id));
    if (std::find(root_cause_ids.begin(), root_cause_ids.begin() + i, cause_id) !=
        root_cause_ids.begin() + i) {
      return InvalidField("root_cause_ids", absl::StrCat("根源 ", cause_id, " 重复"),
                          absl::StrCat("root cause ", cause_id, " is listed twice"));
    }
    ASSIGN_OR_RETURN(RootCause cause, tx.GetRootCause(cause_id));
    if (cause.review_id != review.id) {
      return InvalidField("root_cause_ids",
                          absl::StrCat("根源 ", cause_id, " 不属于检视 ", review.id),
                          absl::StrCat("root cause ", cause_id, " belongs to another review"));
    }
  }
  Problem problem;
  problem.review_id = review.id;
  problem.area = area;
  problem.text = text;
  problem.root_cause_ids = root_cause_ids;
  ASSIGN_OR_RETURN(int max_seq, tx.MaxProblemSeq(review.id));
  problem.seq = max_seq + 1;
  RETURN_IF_ERROR(tx.InsertProblem(problem));
  return problem;
}

absl::StatusOr<OrgUnit> Ledger::GetUnit(Id id) const {
  RETURN_IF_ERROR(CheckId("id", id));
  OrgUnit unit;
  RETURN_IF_ERROR(store_->Read([&](ReadTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(unit, tx.GetUnit(id));
    return absl::OkStatus();
  }));
  return unit;
}

absl::StatusOr<std::pair<std::vector<OrgUnit>, std::string>> Ledger::ListUnits(
    Id subtree_of, int page_size, const std::string& page_token) const {
  ASSIGN_OR_RETURN(int limit, EffectivePageSize(page_size, 100));
  ASSIGN_OR_RETURN(std::vector<std::string> cursor, DecodePageToken("units", page_token, 1));
  std::vector<OrgUnit> units;
  RETURN_IF_ERROR(store_->Read([&](ReadTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(std::string prefix, SubtreePath(tx, subtree_of));
    ASSIGN_OR_RETURN(units, tx.ListUnits(prefix, cursor.empty() ? "" : cursor[0], limit + 1));
    return absl::OkStatus();
  }));
  std::string next;
  if (static_cast<int>(units.size()) > limit) {
    units.resize(limit);
    next = EncodePageToken("units", {units.back().path});
  }
  return std::make_pair(std::move(units), next);
}

absl::StatusOr<Review> Ledger::GetReview(Id id) const {
  RETURN_IF_ERROR(CheckId("id", id));
  Review review;
  RETURN_IF_ERROR(store_->Read([&](ReadTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(review, tx.GetReview(id));
    return absl::OkStatus();
  }));
  return review;
}

absl::StatusOr<std::pair<std::vector<Review>, std::string>> Ledger::ListReviews(
    Id unit_id, int page_size, const std::string& page_token) const {
  ASSIGN_OR_RETURN(int limit, EffectivePageSize(page_size, limits::kDefaultPageSize));
  ASSIGN_OR_RETURN(std::vector<std::string> cursor, DecodePageToken("reviews", page_token, 1));
  Id before = 0;
  if (!cursor.empty() && !absl::SimpleAtoi(cursor[0], &before)) {
    return InvalidField("page_token", "分页标记无效", "invalid page token");
  }
  std::vector<Review> reviews;
  RETURN_IF_ERROR(store_->Read([&](ReadTxn& tx) -> absl::Status {
    ASSIGN_OR_RETURN(std::string prefix, SubtreePath(tx, unit_id));
    ASSIGN_OR_RETURN(reviews, tx.ListReviews(prefix, before, limit + 1));
    return absl::OkStatus();
  }));
  std::string next;
  if (static_cast<int>(reviews.size()) > limit) {
    reviews.resize(limit);
    next = EncodePageToken("reviews", {absl::StrCat(reviews.back().id)});
  }
  return std::make_pair(std::move(reviews), next);
}

absl::StatusOr<Ledger::ProblemPage> Ledger::ListProblems(Id review_id, int page_size,
                                                         const std::string& page_token) const {
  RETURN_IF_ERROR(CheckId("review_id", review_id));
  ASSIGN_OR_RETURN(int limit, EffectivePageSize(page_size, 100));
  ASSIGN_OR_RETURN(std::vector<std::string> cursor, DecodePageToken("problems", page_token, 1));
  int after_seq = 0;
  if (!cursor.empty() && !absl::SimpleAtoi(cursor[0], &after_seq)) {
    return InvalidField("page_token", "分页标记无效", "invalid page token");
  }
  ProblemPage page;
  RETURN_IF_ERROR(store_->Read([&](ReadTxn& tx) -> absl::Status {
    RETURN_IF_ERROR(tx.GetReview(review_id).status());
    ASSIGN_OR_RETURN(page.problems, tx.ListProblems(review_id, after_seq, limit + 1));
    ASSIGN_OR_RETURN(page.causes, tx.ListRootCauses(review_id));
    return absl::OkStatus();
  }));
  if (static_cast<int>(page.problems.size()) > limit) {
    page.problems.resize(limit);
    page.next_page_token = EncodePageToken("problems", {absl::StrCat(page.problems.back().seq)});
  }
  return page;
}

}  // namespace rectify
