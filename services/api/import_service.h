// ImportServiceImpl: the gRPC adapter of rectify.v1.ImportService (proto/rectify/v1/import.proto)
// — previewing and importing a review report, and assigning the drafts it creates. Like the
// other services it only converts: ParseReviewDocument (services/importer) reads the document,
// the Ledger (ImportReview, AssignTask, AssignTasks) decides, RunMutation makes each change
// exactly-once per request_id.
//
// Files: import_service.cc (PreviewImport, ImportReview), assign_service.cc (AssignTask,
// AssignTasks), import_fix_service.cc (WithdrawImport, CorrectProblem, CorrectDraftMeasure,
// AddDraftMeasure), import_convert.h (conversions).
//
// Thread safety: holds only a pointer to the thread-safe Ledger; safe to call concurrently.
#ifndef RECTIFY_SERVICES_API_IMPORT_SERVICE_H_
#define RECTIFY_SERVICES_API_IMPORT_SERVICE_H_

#include "rectify/v1/import.grpc.pb.h"
#include "services/api/service_context.h"
#include "services/app/changes.h"
#include "services/app/reads.h"
#include "services/domain/ledger.h"

namespace rectify::api {

class ImportServiceImpl final : public ServiceAdapter<v1::ImportService> {
 public:
  explicit ImportServiceImpl(const ServiceContext& context)
      : ServiceAdapter(context), changes_(*context.ledger), reads_(*context.ledger) {}

  grpc::Status PreviewImport(grpc::ServerContext* ctx, const v1::PreviewImportRequest* req,
                             v1::ImportPreview* resp) override;
  grpc::Status ImportReview(grpc::ServerContext* ctx, const v1::ImportReviewRequest* req,
                            v1::ImportReviewResponse* resp) override;
  grpc::Status AssignTask(grpc::ServerContext* ctx, const v1::AssignTaskRequest* req,
                          v1::Task* resp) override;
  grpc::Status AssignTasks(grpc::ServerContext* ctx, const v1::AssignTasksRequest* req,
                           v1::AssignTasksResponse* resp) override;
  grpc::Status WithdrawImport(grpc::ServerContext* ctx, const v1::WithdrawImportRequest* req,
                              v1::WithdrawImportResponse* resp) override;
  grpc::Status CorrectProblem(grpc::ServerContext* ctx, const v1::CorrectProblemRequest* req,
                              v1::Problem* resp) override;
  grpc::Status CorrectDraftMeasure(grpc::ServerContext* ctx,
                                   const v1::CorrectDraftMeasureRequest* req,
                                   v1::Task* resp) override;
  grpc::Status AddDraftMeasure(grpc::ServerContext* ctx, const v1::AddDraftMeasureRequest* req,
                               v1::Task* resp) override;

 private:
  // Every change and every read goes through the application layer.
  const app::LedgerChanges changes_;
  const app::LedgerReads reads_;
};

}  // namespace rectify::api

#endif  // RECTIFY_SERVICES_API_IMPORT_SERVICE_H_
