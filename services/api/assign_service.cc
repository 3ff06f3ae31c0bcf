// ImportService: assigning owners and deadlines to OPEN tasks, one or a spreadsheet's worth.
#include <vector>

#include "services/api/handler.h"
#include "services/api/import_convert.h"
#include "services/api/import_service.h"

namespace rectify::api {

grpc::Status ImportServiceImpl::AssignTask(grpc::ServerContext* ctx,
                                           const v1::AssignTaskRequest* req, v1::Task* resp) {
  return Handle(ctx, [&](const Actor& actor) {
    return RunMutation(*ledger_, actor, "AssignTask", req->request_id(), *req, resp,
                       [&](WriteTxn& tx) -> absl::Status {
                         ASSIGN_OR_RETURN(Task task,
                                          ledger_->AssignTask(tx, actor, FromProto(*req)));
                         return FillTask(*ledger_, tx, task, resp);
                       });
  });
}

grpc::Status ImportServiceImpl::AssignTasks(grpc::ServerContext* ctx,
                                            const v1::AssignTasksRequest* req,
                                            v1::AssignTasksResponse* resp) {
  return Handle(ctx, [&](const Actor& actor) {
    std::vector<AssignmentRow> rows;
    rows.reserve(req->rows_size());
    for (const v1::TaskAssignmentRow& row : req->rows()) rows.push_back(FromProto(row));
    return RunMutation(*ledger_, actor, "AssignTasks", req->request_id(), *req, resp,
                       [&](WriteTxn& tx) -> absl::Status {
                         ASSIGN_OR_RETURN(AssignmentOutcome outcome,
                                          ledger_->AssignTasks(tx, actor, rows));
                         for (const Task& task : outcome.tasks) {
                           RETURN_IF_ERROR(FillTask(*ledger_, tx, task, resp->add_tasks()));
                         }
                         resp->set_changed_count(outcome.changed);
                         return absl::OkStatus();
                       });
  });
}

}  // namespace rectify::api
