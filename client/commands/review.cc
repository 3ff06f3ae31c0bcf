// review create | list | show, cause add, problem add | list: where problems come from
// (LedgerService).
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/commands/commands.h"
#include "client/commands/paging.h"
#include "client/commands/unit_ref.h"
#include "client/commands/validators.h"
#include "client/output/format.h"
#include "client/output/views.h"
#include "client/rpc/request_id.h"
#include "rectify/v1/ledger.pb.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

struct ReviewCreateOptions {
  std::string title;
  std::string kind;
  std::string held_on;
  int64_t unit_id = 0;
  std::string source;
};

struct ReviewListOptions {
  int64_t unit_id = 0;
};

struct IdOptions {
  int64_t id = 0;
};

struct CauseAddOptions {
  int64_t review_id = 0;
  std::string text;
};

struct ProblemAddOptions {
  int64_t review_id = 0;
  std::string area;
  std::string text;
  std::vector<int64_t> cause_ids;
};

// Unit names for people; empty (ids are shown) when they cannot be read.
UnitNames VisibleUnitNames(Session& s) {
  UnitNames names;
  std::vector<v1::OrgUnit> units;
  if (!ListVisibleUnits(s, &units).ok()) return names;
  for (const v1::OrgUnit& u : units) names[u.id()] = u.name();
  return names;
}

int ReviewCreate(Session& s, const ReviewCreateOptions& o) {
  v1::CreateReviewRequest request;
  request.set_request_id(NewRequestId());
  request.set_title(o.title);
  request.set_kind(ReviewKindFlags().at(o.kind));
  request.set_held_on(o.held_on);
  request.set_unit_id(o.unit_id);
  request.set_source_document(o.source);
  v1::Review review;
  auto status = s.Call(
      [&](grpc::ClientContext* c) { return s.rpc().ledger().CreateReview(c, request, &review); });
  if (!status.ok()) return s.Fail(status);
  return s.Show(review,
                [&] { return ReviewDetailText(review, s.lang(), s.zone(), VisibleUnitNames(s)); });
}

int ReviewList(Session& s, const ReviewListOptions& o) {
  v1::ListReviewsRequest request;
  request.set_unit_id(o.unit_id);
  request.set_page_size(1000);
  v1::ListReviewsResponse all;
  auto status = FetchAllPages(
      s, request,
      [&](grpc::ClientContext* c, const v1::ListReviewsRequest& r, v1::ListReviewsResponse* page) {
        return s.rpc().ledger().ListReviews(c, r, page);
      },
      [](const v1::ListReviewsResponse& page, v1::ListReviewsResponse* into) {
        into->mutable_reviews()->MergeFrom(page.reviews());
      },
      &all);
  if (!status.ok()) return s.Fail(status);
  return s.Show(all, [&] { return ReviewListText(all.reviews(), s.lang(), VisibleUnitNames(s)); });
}

int ReviewShow(Session& s, const IdOptions& o) {
  v1::GetReviewRequest request;
  request.set_id(o.id);
  v1::Review review;
  auto status = s.Call(
      [&](grpc::ClientContext* c) { return s.rpc().ledger().GetReview(c, request, &review); });
  if (!status.ok()) return s.Fail(status);
  return s.Show(review,
                [&] { return ReviewDetailText(review, s.lang(), s.zone(), VisibleUnitNames(s)); });
}

int CauseAdd(Session& s, const CauseAddOptions& o) {
  v1::CreateRootCauseRequest request;
  request.set_request_id(NewRequestId());
  request.set_review_id(o.review_id);
  request.set_text(o.text);
  v1::RootCause cause;
  auto status = s.Call(
      [&](grpc::ClientContext* c) { return s.rpc().ledger().CreateRootCause(c, request, &cause); });
  if (!status.ok()) return s.Fail(status);
  return s.Show(cause, [&] {
    return absl::StrCat(Tr(s.lang(), "根源 ", "root cause "), cause.id(),
                        Tr(s.lang(), " 已登记（检视 ", " registered (review "), cause.review_id(),
                        Tr(s.lang(), "）", ")"), "\n");
  });
}

int ProblemAdd(Session& s, const ProblemAddOptions& o) {
  v1::CreateProblemRequest request;
  request.set_request_id(NewRequestId());
  request.set_review_id(o.review_id);
  request.set_area(o.area);
  request.set_text(o.text);
  for (int64_t id : o.cause_ids) request.add_root_cause_ids(id);
  v1::Problem problem;
  auto status = s.Call(
      [&](grpc::ClientContext* c) { return s.rpc().ledger().CreateProblem(c, request, &problem); });
  if (!status.ok()) return s.Fail(status);
  return s.Show(problem, [&] {
    return absl::StrCat(Tr(s.lang(), "问题 ", "problem "), problem.id(),
                        Tr(s.lang(), " 已登记（检视 ", " registered (review "), problem.review_id(),
                        Tr(s.lang(), "，序号 ", ", no. "), problem.seq(), Tr(s.lang(), "）", ")"),
                        "\n");
  });
}

int ProblemList(Session& s, const IdOptions& o) {
  v1::ListProblemsRequest request;
  request.set_review_id(o.id);
  request.set_page_size(1000);
  v1::ListProblemsResponse all;
  std::set<int64_t> causes_seen;  // pages may repeat the review's root causes
  auto status = FetchAllPages(
      s, request,
      [&](grpc::ClientContext* c, const v1::ListProblemsRequest& r,
          v1::ListProblemsResponse* page) { return s.rpc().ledger().ListProblems(c, r, page); },
      [&](const v1::ListProblemsResponse& page, v1::ListProblemsResponse* into) {
        into->mutable_problems()->MergeFrom(page.problems());
        for (const v1::RootCause& cause : page.root_causes()) {
          if (causes_seen.insert(cause.id()).second) *into->add_root_causes() = cause;
        }
      },
      &all);
  if (!status.ok()) return s.Fail(status);
  return s.Show(all, [&] { return ProblemListText(all, s.lang()); });
}

std::vector<std::string> KindFlagNames() {
  std::vector<std::string> names;
  for (const auto& [name, kind] : ReviewKindFlags()) names.push_back(name);
  return names;
}

void AddReview(CLI::App& app, Action* action) {
  CLI::App* review = app.add_subcommand("review", "检视（问题来源）/ reviews that find problems");
  review->require_subcommand(1);
  review->footer(Examples({"rectify review list --unit 1"}));
  {
    auto o = std::make_shared<ReviewCreateOptions>();
    CLI::App* cmd = review->add_subcommand("create", "登记检视 / register a review");
    cmd->add_option("TITLE", o->title, "标题 / title")->required()->check(Utf8Validator());
    cmd->add_option(
           "--kind", o->kind,
           "类型：org-life 专题组织生活会, democratic-life 民主生活会, inspection 巡视巡察, "
           "audit 审计, special-check 专项检查, other 其他 / kind of review")
        ->required()
        ->check(ChoiceValidator(KindFlagNames()));
    cmd->add_option("--held-on", o->held_on, "召开日期 / date held")
        ->required()
        ->type_name("DATE")
        ->transform(DateValidator());
    AddUnitOption(cmd, "--unit", &o->unit_id, "召开单位 / unit that held it")->required();
    cmd->add_option("--source", o->source, "来源文件名 / name of the source document")
        ->type_name("FILE_NAME")
        ->check(Utf8Validator());
    cmd->footer(
        Examples({"rectify review create \"2021年党史学习教育专题组织生活会\" --kind "
                  "org-life --held-on 2021-12-20 --unit 3 --source branch-self-review.txt"}));
    OnRun(cmd, action, [o](Session& s) { return ReviewCreate(s, *o); });
  }
  {
    auto o = std::make_shared<ReviewListOptions>();
    CLI::App* cmd =
        review->add_subcommand("list", "列出检视，新的在前 / list reviews, newest first");
    AddUnitOption(cmd, "--unit", &o->unit_id, "只列此单位及其下级的 / only this unit's subtree");
    cmd->footer(Examples({"rectify review list --unit 3"}));
    OnRun(cmd, action, [o](Session& s) { return ReviewList(s, *o); });
  }
  {
    auto o = std::make_shared<IdOptions>();
    CLI::App* cmd = review->add_subcommand("show", "查看检视 / show a review");
    cmd->add_option("ID", o->id, "检视 ID / review id")->required()->check(IdValidator());
    cmd->footer(Examples({"rectify review show 5"}));
    OnRun(cmd, action, [o](Session& s) { return ReviewShow(s, *o); });
  }
}

void AddCause(CLI::App& app, Action* action) {
  CLI::App* cause = app.add_subcommand("cause", "根源剖析 / root causes");
  cause->require_subcommand(1);
  cause->footer(Examples({"rectify cause add 5 \"理论学习不够深入\""}));
  auto o = std::make_shared<CauseAddOptions>();
  CLI::App* cmd = cause->add_subcommand("add", "登记根源 / register a root cause");
  cmd->add_option("REVIEW_ID", o->review_id, "检视 ID / review id")
      ->required()
      ->check(IdValidator());
  cmd->add_option("TEXT", o->text, "根源内容 / the cause")->required()->check(Utf8Validator());
  cmd->footer(Examples({"rectify cause add 5 \"理论学习不够深入，思想认识有差距\""}));
  OnRun(cmd, action, [o](Session& s) { return CauseAdd(s, *o); });
}

void AddProblem(CLI::App& app, Action* action) {
  CLI::App* problem = app.add_subcommand("problem", "问题清单 / problems found by a review");
  problem->require_subcommand(1);
  problem->footer(Examples({"rectify problem list 5"}));
  {
    auto o = std::make_shared<ProblemAddOptions>();
    CLI::App* cmd = problem->add_subcommand("add", "登记问题 / register a problem");
    cmd->add_option("REVIEW_ID", o->review_id, "检视 ID / review id")
        ->required()
        ->check(IdValidator());
    cmd->add_option("TEXT", o->text, "问题内容 / the problem")->required()->check(Utf8Validator());
    cmd->add_option("--area", o->area, "方面，如“在联系服务群众方面” / area")
        ->required()
        ->check(Utf8Validator());
    // One value per flag (repeat it, or use commas) so that TEXT after it is not swallowed.
    cmd->add_option("--cause", o->cause_ids,
                    "关联的根源 ID，可重复 / linked root cause id, repeatable")
        ->type_name("ID")
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->delimiter(',')
        ->check(IdValidator());
    cmd->footer(
        Examples({"rectify problem add 5 --area 在联系服务群众方面 "
                  "\"深入基层调研不够\" --cause 1 --cause 2"}));
    OnRun(cmd, action, [o](Session& s) { return ProblemAdd(s, *o); });
  }
  {
    auto o = std::make_shared<IdOptions>();
    CLI::App* cmd = problem->add_subcommand(
        "list", "列出检视的问题和根源 / list a review's problems and causes");
    cmd->add_option("REVIEW_ID", o->id, "检视 ID / review id")->required()->check(IdValidator());
    cmd->footer(Examples({"rectify problem list 5"}));
    OnRun(cmd, action, [o](Session& s) { return ProblemList(s, *o); });
  }
}

}  // namespace

void AddReviewCommands(CLI::App& app, Action* action) {
  AddReview(app, action);
  AddCause(app, action);
  AddProblem(app, action);
}

}  // namespace rectify::client
