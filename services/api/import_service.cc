// ImportService: previewing and importing a review report; assigning owners and deadlines to
// OPEN tasks, one or a spreadsheet's worth; correcting an import while its tasks are drafts
// (withdraw it, fix a text, add a measure). Ids outside the caller's reach read as missing.
#include "services/api/import_service.h"

#include <string>
#include <utility>
#include <vector>

#include "services/api/internal/convert.h"
#include "services/api/internal/handler.h"
#include "services/api/internal/import_convert.h"
#include "services/common/sha256.h"
#include "services/importer/review_defaults.h"
#include "services/importer/review_document.h"

namespace rectify::api {

grpc::Status ImportServiceImpl::PreviewImport(grpc::ServerContext* ctx,
                                              const v1::PreviewImportRequest* req,
                                              v1::ImportPreview* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor) -> absl::Status {
    ASSIGN_OR_RETURN(ReviewDraft draft, ParseReviewDocument(req->document()));
    ToProto(draft, resp);
    resp->set_suggested_title(DefaultReviewTitle(draft, req->file_name()));
    resp->set_suggested_kind(static_cast<v1::ReviewKind>(GuessReviewKind(draft, req->document())));
    const std::string sha = Sha256Hex(req->document());
    resp->set_document_sha256(sha);
    if (req->unit_id() != 0) {
      // A wrong unit is better found now than after the committee confirmed the import.
      ASSIGN_OR_RETURN(absl::optional<Review> earlier,
                       reads_.FindImportedReview(actor, req->unit_id(), sha));
      if (earlier.has_value()) resp->set_existing_review_id(earlier->id);
    }
    return absl::OkStatus();
  });
}

grpc::Status ImportServiceImpl::ImportReview(grpc::ServerContext* ctx,
                                             const v1::ImportReviewRequest* req,
                                             v1::ImportReviewResponse* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor, const char* rpc) -> absl::Status {
    // Parsed before the transaction, so that the write lock covers only the writes.
    ASSIGN_OR_RETURN(ReviewDraft draft, ParseReviewDocument(req->document()));
    ReviewImport in = ToReviewImport(draft);
    in.title = req->title().empty() ? DefaultReviewTitle(draft, req->file_name()) : req->title();
    in.kind = req->kind() != v1::REVIEW_KIND_UNSPECIFIED
                  ? static_cast<int>(req->kind())
                  : static_cast<int>(GuessReviewKind(draft, req->document()));
    in.held_on = req->held_on();
    in.unit_id = req->unit_id();
    ASSIGN_OR_RETURN(in.source_document, SourceDocumentName(req->file_name()));
    in.source_sha256 = Sha256Hex(req->document());
    in.default_owner_person = req->default_owner_person();
    in.default_leader = req->default_leader();
    int unlinked = 0;
    for (const ImportProblem& problem : in.problems) unlinked += problem.measure.empty() ? 1 : 0;
    return RunMutation(
        *ledger_, actor, rpc, req->request_id(), *req, resp, [&](WriteTxn& tx) -> absl::Status {
          ASSIGN_OR_RETURN(ImportedReview done, changes_.ImportReview(tx, actor, in));
          ToProto(done.review, resp->mutable_review());
          resp->set_cause_count(static_cast<int>(done.causes.size()));
          resp->set_problem_count(static_cast<int>(done.problems.size()));
          for (const Task& task : done.tasks) resp->add_task_ids(task.id);
          for (const Problem& problem : done.problems) resp->add_problem_ids(problem.id);
          resp->set_unlinked_count(unlinked);
          resp->set_document_sha256(in.source_sha256);
          return absl::OkStatus();
        });
  });
}

}  // namespace rectify::api

namespace rectify::api {

grpc::Status ImportServiceImpl::AssignTask(grpc::ServerContext* ctx,
                                           const v1::AssignTaskRequest* req, v1::Task* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor, const char* rpc) {
    return RunMutation(
        *ledger_, actor, rpc, req->request_id(), *req, resp, [&](WriteTxn& tx) -> absl::Status {
          ASSIGN_OR_RETURN(Task task, changes_.AssignTask(tx, actor, FromProto(*req)));
          return FillTask(*ledger_, tx, task, resp);
        });
  });
}

grpc::Status ImportServiceImpl::AssignTasks(grpc::ServerContext* ctx,
                                            const v1::AssignTasksRequest* req,
                                            v1::AssignTasksResponse* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor, const char* rpc) {
    std::vector<AssignmentRow> rows;
    rows.reserve(req->rows_size());
    for (const v1::TaskAssignmentRow& row : req->rows()) rows.push_back(FromProto(row));
    return RunMutation(
        *ledger_, actor, rpc, req->request_id(), *req, resp, [&](WriteTxn& tx) -> absl::Status {
          ASSIGN_OR_RETURN(AssignmentOutcome outcome, changes_.AssignTasks(tx, actor, rows));
          for (const Task& task : outcome.tasks) {
            RETURN_IF_ERROR(FillTask(*ledger_, tx, task, resp->add_tasks()));
          }
          resp->set_changed_count(outcome.changed);
          for (const ExtensionRequest& request : outcome.extensions) {
            ToProto(request, resp->add_extensions());
          }
          return absl::OkStatus();
        });
  });
}

}  // namespace rectify::api

namespace rectify::api {

grpc::Status ImportServiceImpl::WithdrawImport(grpc::ServerContext* ctx,
                                               const v1::WithdrawImportRequest* req,
                                               v1::WithdrawImportResponse* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor, const char* rpc) {
    return RunMutation(
        *ledger_, actor, rpc, req->request_id(), *req, resp, [&](WriteTxn& tx) -> absl::Status {
          ASSIGN_OR_RETURN(WithdrawnImport done,
                           changes_.WithdrawImport(tx, actor, req->review_id(), req->reason()));
          ToProto(done.review, resp->mutable_review());
          for (const Id id : done.cancelled_task_ids) resp->add_cancelled_task_ids(id);
          return absl::OkStatus();
        });
  });
}

grpc::Status ImportServiceImpl::CorrectProblem(grpc::ServerContext* ctx,
                                               const v1::CorrectProblemRequest* req,
                                               v1::Problem* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor, const char* rpc) {
    return RunMutation(
        *ledger_, actor, rpc, req->request_id(), *req, resp, [&](WriteTxn& tx) -> absl::Status {
          ASSIGN_OR_RETURN(Problem problem,
                           changes_.CorrectProblem(tx, actor, req->problem_id(), req->text()));
          ToProto(problem, resp);
          return absl::OkStatus();
        });
  });
}

grpc::Status ImportServiceImpl::CorrectDraftMeasure(grpc::ServerContext* ctx,
                                                    const v1::CorrectDraftMeasureRequest* req,
                                                    v1::Task* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor, const char* rpc) {
    return RunMutation(
        *ledger_, actor, rpc, req->request_id(), *req, resp, [&](WriteTxn& tx) -> absl::Status {
          ASSIGN_OR_RETURN(
              Task task, changes_.CorrectDraftMeasure(tx, actor, req->id(), req->expected_version(),
                                                      req->measure()));
          return FillTask(*ledger_, tx, task, resp);
        });
  });
}

grpc::Status ImportServiceImpl::AddDraftMeasure(grpc::ServerContext* ctx,
                                                const v1::AddDraftMeasureRequest* req,
                                                v1::Task* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor, const char* rpc) {
    return RunMutation(
        *ledger_, actor, rpc, req->request_id(), *req, resp, [&](WriteTxn& tx) -> absl::Status {
          ASSIGN_OR_RETURN(Task task,
                           changes_.AddDraftMeasure(tx, actor, req->problem_id(), req->measure()));
          return FillTask(*ledger_, tx, task, resp);
        });
  });
}

}  // namespace rectify::api
