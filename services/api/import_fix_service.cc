// ImportService: correcting an import while its tasks are drafts (withdraw it, fix a text, add a
// measure). Each call: the ids in the caller's reach (else NOT_FOUND, as for a missing id), then
// the Ledger decides.
#include "services/api/convert.h"
#include "services/api/handler.h"
#include "services/api/import_service.h"

namespace rectify::api {

grpc::Status ImportServiceImpl::WithdrawImport(grpc::ServerContext* ctx,
                                               const v1::WithdrawImportRequest* req,
                                               v1::WithdrawImportResponse* resp) {
  return Handle(ctx, [&](const Actor& actor) {
    return RunMutation(*ledger_, actor, "WithdrawImport", req->request_id(), *req, resp,
                       [&](WriteTxn& tx) -> absl::Status {
                         RETURN_IF_ERROR(CheckReviewArg(tx, actor, req->review_id()));
                         ASSIGN_OR_RETURN(
                             WithdrawnImport done,
                             ledger_->WithdrawImport(tx, actor, req->review_id(), req->reason()));
                         ToProto(done.review, resp->mutable_review());
                         for (const Id id : done.cancelled_task_ids)
                           resp->add_cancelled_task_ids(id);
                         return absl::OkStatus();
                       });
  });
}

grpc::Status ImportServiceImpl::CorrectProblem(grpc::ServerContext* ctx,
                                               const v1::CorrectProblemRequest* req,
                                               v1::Problem* resp) {
  return Handle(ctx, [&](const Actor& actor) {
    return RunMutation(*ledger_, actor, "CorrectProblem", req->request_id(), *req, resp,
                       [&](WriteTxn& tx) -> absl::Status {
                         RETURN_IF_ERROR(CheckProblemArg(tx, actor, req->problem_id()));
                         ASSIGN_OR_RETURN(
                             Problem problem,
                             ledger_->CorrectProblem(tx, actor, req->problem_id(), req->text()));
                         ToProto(problem, resp);
                         return absl::OkStatus();
                       });
  });
}

grpc::Status ImportServiceImpl::CorrectDraftMeasure(grpc::ServerContext* ctx,
                                                    const v1::CorrectDraftMeasureRequest* req,
                                                    v1::Task* resp) {
  return Handle(ctx, [&](const Actor& actor) {
    return RunMutation(*ledger_, actor, "CorrectDraftMeasure", req->request_id(), *req, resp,
                       [&](WriteTxn& tx) -> absl::Status {
                         RETURN_IF_ERROR(CheckTaskArg(tx, actor, req->id()));
                         ASSIGN_OR_RETURN(Task task, ledger_->CorrectDraftMeasure(
                                                         tx, actor, req->id(),
                                                         req->expected_version(), req->measure()));
                         return FillTask(*ledger_, tx, task, resp);
                       });
  });
}

grpc::Status ImportServiceImpl::AddDraftMeasure(grpc::ServerContext* ctx,
                                                const v1::AddDraftMeasureRequest* req,
                                                v1::Task* resp) {
  return Handle(ctx, [&](const Actor& actor) {
    return RunMutation(
        *ledger_, actor, "AddDraftMeasure", req->request_id(), *req, resp,
        [&](WriteTxn& tx) -> absl::Status {
          RETURN_IF_ERROR(CheckProblemArg(tx, actor, req->problem_id()));
          ASSIGN_OR_RETURN(Task task,
                           ledger_->AddDraftMeasure(tx, actor, req->problem_id(), req->measure()));
          return FillTask(*ledger_, tx, task, resp);
        });
  });
}

}  // namespace rectify::api
