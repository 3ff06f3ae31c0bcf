// LedgerService: reviews, root causes and problems.
#include "services/api/handler.h"
#include "services/api/services.h"

namespace rectify::api {

grpc::Status LedgerServiceImpl::CreateReview(grpc::ServerContext* ctx,
                                             const v1::CreateReviewRequest* req, v1::Review* resp) {
  return Handle(ctx, [&](const Actor& actor) {
    return RunMutation(*ledger_, actor, "CreateReview", req->request_id(), *req, resp,
                       [&](WriteTxn& tx) -> absl::Status {
                         RETURN_IF_ERROR(CheckUnitArg(tx, actor, req->unit_id()));
                         ASSIGN_OR_RETURN(Review review,
                                          ledger_->CreateReview(
                                              tx, actor, req->title(), req->kind(), req->held_on(),
                                              req->unit_id(), req->source_document()));
                         ToProto(review, resp);
                         return absl::OkStatus();
                       });
  });
}

grpc::Status LedgerServiceImpl::GetReview(grpc::ServerContext* ctx, const v1::GetReviewRequest* req,
                                          v1::Review* resp) {
  return Handle(ctx, [&](const Actor& actor) -> absl::Status {
    RETURN_IF_ERROR(
        InReach(*ledger_, [&](ReadTxn& tx) { return ReviewInReach(tx, actor, req->id()); }));
    ASSIGN_OR_RETURN(Review review, ledger_->GetReview(req->id()));
    ToProto(review, resp);
    return absl::OkStatus();
  });
}

grpc::Status LedgerServiceImpl::ListReviews(grpc::ServerContext* ctx,
                                            const v1::ListReviewsRequest* req,
                                            v1::ListReviewsResponse* resp) {
  return Handle(ctx, [&](const Actor& actor) -> absl::Status {
    ASSIGN_OR_RETURN(Id scope, ScopeUnit(*ledger_, actor, req->unit_id()));
    ASSIGN_OR_RETURN(auto page, ledger_->ListReviews(scope, req->page_size(), req->page_token()));
    for (const Review& review : page.first) ToProto(review, resp->add_reviews());
    resp->set_next_page_token(page.second);
    return absl::OkStatus();
  });
}

grpc::Status LedgerServiceImpl::CreateRootCause(grpc::ServerContext* ctx,
                                                const v1::CreateRootCauseRequest* req,
                                                v1::RootCause* resp) {
  return Handle(ctx, [&](const Actor& actor) {
    return RunMutation(*ledger_, actor, "CreateRootCause", req->request_id(), *req, resp,
                       [&](WriteTxn& tx) -> absl::Status {
                         RETURN_IF_ERROR(CheckReviewArg(tx, actor, req->review_id()));
                         ASSIGN_OR_RETURN(
                             RootCause cause,
                             ledger_->CreateRootCause(tx, actor, req->review_id(), req->text()));
                         ToProto(cause, resp);
                         return absl::OkStatus();
                       });
  });
}

grpc::Status LedgerServiceImpl::CreateProblem(grpc::ServerContext* ctx,
                                              const v1::CreateProblemRequest* req,
                                              v1::Problem* resp) {
  return Handle(ctx, [&](const Actor& actor) {
    return RunMutation(*ledger_, actor, "CreateProblem", req->request_id(), *req, resp,
                       [&](WriteTxn& tx) -> absl::Status {
                         RETURN_IF_ERROR(CheckReviewArg(tx, actor, req->review_id()));
                         std::vector<Id> causes(req->root_cause_ids().begin(),
                                                req->root_cause_ids().end());
                         RETURN_IF_ERROR(CheckRootCauseArgs(tx, actor, causes));
                         ASSIGN_OR_RETURN(Problem problem,
                                          ledger_->CreateProblem(tx, actor, req->review_id(),
                                                                 req->area(), req->text(), causes));
                         ToProto(problem, resp);
                         return absl::OkStatus();
                       });
  });
}

grpc::Status LedgerServiceImpl::ListProblems(grpc::ServerContext* ctx,
                                             const v1::ListProblemsRequest* req,
                                             v1::ListProblemsResponse* resp) {
  return Handle(ctx, [&](const Actor& actor) -> absl::Status {
    RETURN_IF_ERROR(InReach(*ledger_, [&](ReadTxn& tx) -> absl::StatusOr<Id> {
      RETURN_IF_ERROR(CheckReviewArg(tx, actor, req->review_id()));
      return req->review_id();
    }));
    ASSIGN_OR_RETURN(Ledger::ProblemPage page,
                     ledger_->ListProblems(req->review_id(), req->page_size(), req->page_token()));
    for (const Problem& problem : page.problems) ToProto(problem, resp->add_problems());
    for (const RootCause& cause : page.causes) ToProto(cause, resp->add_root_causes());
    resp->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

}  // namespace rectify::api
