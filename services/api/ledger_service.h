// LedgerService: reviews, root causes, problems, tasks and their transitions, progress,
// extensions and urging (督办).
//
// Each RPC does the same steps (as in Arrow Flight's server):
// find the actor, convert proto to domain arguments, call the Ledger (inside RunMutation for
// changes, so that request_id makes them exactly-once), convert back, map the status.
//
// Sync API on purpose: each handler runs on a thread of gRPC's sized pool (see server.cc) and
// blocks only on the store, whose writes are short; this keeps every handler a straight line.
//
// Thread safety: the services hold only pointers to thread-safe objects and are safe to call
// concurrently.
#ifndef RECTIFY_SERVICES_API_LEDGER_SERVICE_H_
#define RECTIFY_SERVICES_API_LEDGER_SERVICE_H_

#include "rectify/v1/ledger.grpc.pb.h"
#include "services/api/service_context.h"
#include "services/app/changes.h"
#include "services/app/reads.h"
#include "services/domain/ledger.h"

namespace rectify::api {

class LedgerServiceImpl final : public ServiceAdapter<v1::LedgerService> {
 public:
  explicit LedgerServiceImpl(const ServiceContext& context)
      : ServiceAdapter(context), changes_(*context.ledger), reads_(*context.ledger) {}

  grpc::Status CreateReview(grpc::ServerContext* ctx, const v1::CreateReviewRequest* req,
                            v1::Review* resp) override;
  grpc::Status GetReview(grpc::ServerContext* ctx, const v1::GetReviewRequest* req,
                         v1::Review* resp) override;
  grpc::Status ListReviews(grpc::ServerContext* ctx, const v1::ListReviewsRequest* req,
                           v1::ListReviewsResponse* resp) override;
  grpc::Status CreateRootCause(grpc::ServerContext* ctx, const v1::CreateRootCauseRequest* req,
                               v1::RootCause* resp) override;
  grpc::Status CreateProblem(grpc::ServerContext* ctx, const v1::CreateProblemRequest* req,
                             v1::Problem* resp) override;
  grpc::Status ListProblems(grpc::ServerContext* ctx, const v1::ListProblemsRequest* req,
                            v1::ListProblemsResponse* resp) override;

  grpc::Status CreateTask(grpc::ServerContext* ctx, const v1::CreateTaskRequest* req,
                          v1::Task* resp) override;
  grpc::Status GetTask(grpc::ServerContext* ctx, const v1::GetTaskRequest* req,
                       v1::Task* resp) override;
  grpc::Status ListTasks(grpc::ServerContext* ctx, const v1::ListTasksRequest* req,
                         v1::ListTasksResponse* resp) override;
  grpc::Status GetTaskHistory(grpc::ServerContext* ctx, const v1::GetTaskHistoryRequest* req,
                              v1::TaskHistory* resp) override;
  grpc::Status GetEvidence(grpc::ServerContext* ctx, const v1::GetEvidenceRequest* req,
                           v1::Evidence* resp) override;

  grpc::Status StartTask(grpc::ServerContext* ctx, const v1::StartTaskRequest* req,
                         v1::Task* resp) override;
  grpc::Status ReportProgress(grpc::ServerContext* ctx, const v1::ReportProgressRequest* req,
                              v1::ReportProgressResponse* resp) override;
  grpc::Status SubmitTask(grpc::ServerContext* ctx, const v1::SubmitTaskRequest* req,
                          v1::Task* resp) override;
  grpc::Status AcceptTask(grpc::ServerContext* ctx, const v1::AcceptTaskRequest* req,
                          v1::Task* resp) override;
  grpc::Status ReturnTask(grpc::ServerContext* ctx, const v1::ReturnTaskRequest* req,
                          v1::Task* resp) override;
  grpc::Status MarkOngoing(grpc::ServerContext* ctx, const v1::MarkOngoingRequest* req,
                           v1::Task* resp) override;
  grpc::Status ReopenTask(grpc::ServerContext* ctx, const v1::ReopenTaskRequest* req,
                          v1::Task* resp) override;
  grpc::Status CancelTask(grpc::ServerContext* ctx, const v1::CancelTaskRequest* req,
                          v1::Task* resp) override;

  grpc::Status RequestExtension(grpc::ServerContext* ctx, const v1::RequestExtensionRequest* req,
                                v1::ExtensionRequest* resp) override;
  grpc::Status DecideExtension(grpc::ServerContext* ctx, const v1::DecideExtensionRequest* req,
                               v1::ExtensionRequest* resp) override;

  // ledger_service_urge.cc
  grpc::Status UrgeTask(grpc::ServerContext* ctx, const v1::UrgeTaskRequest* req,
                        v1::Event* resp) override;

 private:
  // Every change and every read goes through the application layer.
  const app::LedgerChanges changes_;
  const app::LedgerReads reads_;
};

}  // namespace rectify::api

#endif  // RECTIFY_SERVICES_API_LEDGER_SERVICE_H_
