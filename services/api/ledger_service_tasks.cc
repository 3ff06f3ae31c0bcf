// LedgerService: tasks, their transitions, progress and extensions.
#include "services/api/handler.h"
#include "services/api/services.h"

namespace rectify::api {
namespace {

// One task mutation: exactly-once per request_id, responding with the task after the change.
template <typename Request, typename Change>
grpc::Status TaskMutation(const Ledger& ledger, grpc::ServerContext* ctx, const char* method,
                          const Request& req, v1::Task* resp, Change&& change) {
  return Handle(ctx, [&](const Actor& actor) {
    return RunMutation(ledger, actor, method, req.request_id(), req, resp,
                       [&](WriteTxn& tx) -> absl::Status {
                         ASSIGN_OR_RETURN(Task task, change(tx, actor));
                         return FillTask(ledger, tx, task, resp);
                       });
  });
}

}  // namespace

grpc::Status LedgerServiceImpl::CreateTask(grpc::ServerContext* ctx,
                                           const v1::CreateTaskRequest* req, v1::Task* resp) {
  return TaskMutation(*ledger_, ctx, "CreateTask", *req, resp,
                      [&](WriteTxn& tx, const Actor& actor) -> absl::StatusOr<Task> {
                        RETURN_IF_ERROR(CheckProblemArg(tx, actor, req->problem_id()));
                        RETURN_IF_ERROR(CheckUnitArg(tx, actor, req->owner_unit_id()));
                        NewTask in;
                        in.problem_id = req->problem_id();
                        in.measure = req->measure();
                        in.owner_unit_id = req->owner_unit_id();
                        in.owner_person = req->owner_person();
                        in.leader = req->leader();
                        in.deadline = req->deadline();
                        in.cadence_days = req->cadence_days();
                        return ledger_->CreateTask(tx, actor, in);
                      });
}

grpc::Status LedgerServiceImpl::GetTask(grpc::ServerContext* ctx, const v1::GetTaskRequest* req,
                                        v1::Task* resp) {
  return Handle(ctx, [&](const Actor& actor) -> absl::Status {
    ASSIGN_OR_RETURN(Task task, ledger_->GetTask(req->id()));
    if (!actor.Reaches(task.owner_path)) return NotFound("任务", "task", req->id());
    UnitNames names(*ledger_);
    ToProto(task, names.Get(task.owner_unit_id), ledger_->IsOverdueNow(task), resp);
    return absl::OkStatus();
  });
}

grpc::Status LedgerServiceImpl::ListTasks(grpc::ServerContext* ctx, const v1::ListTasksRequest* req,
                                          v1::ListTasksResponse* resp) {
  return Handle(ctx, [&](const Actor& actor) -> absl::Status {
    TaskFilter filter;
    ASSIGN_OR_RETURN(filter.unit_id, ScopeUnit(*ledger_, actor, req->unit_id()));
    for (int s : req->statuses()) filter.statuses.push_back(s);
    filter.deadline_from = req->deadline_from();
    filter.deadline_to = req->deadline_to();
    filter.area = req->area();
    filter.owner_person = req->owner_person();
    filter.review_id = req->review_id();
    filter.overdue_only = req->overdue_only();
    filter.extension_pending = req->extension_pending();
    filter.page_size = req->page_size();
    filter.page_token = req->page_token();
    ASSIGN_OR_RETURN(TaskPage page, ledger_->ListTasks(filter));
    UnitNames names(*ledger_);
    for (const Task& task : page.tasks) {
      ToProto(task, names.Get(task.owner_unit_id), ledger_->IsOverdueNow(task), resp->add_tasks());
    }
    resp->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

grpc::Status LedgerServiceImpl::GetTaskHistory(grpc::ServerContext* ctx,
                                               const v1::GetTaskHistoryRequest* req,
                                               v1::TaskHistory* resp) {
  return Handle(ctx, [&](const Actor& actor) -> absl::Status {
    ASSIGN_OR_RETURN(TaskHistory history, ledger_->GetTaskHistory(req->id()));
    if (!actor.Reaches(history.task.owner_path)) return NotFound("任务", "task", req->id());
    UnitNames names(*ledger_);
    ToProto(history.task, names.Get(history.task.owner_unit_id),
            ledger_->IsOverdueNow(history.task), resp->mutable_task());
    ToProto(history.problem, resp->mutable_problem());
    for (const Event& e : history.events) ToProto(e, resp->add_events());
    for (const ProgressReport& p : history.progress) ToProto(p, resp->add_progress());
    for (const ExtensionRequest& x : history.extensions) ToProto(x, resp->add_extensions());
    return absl::OkStatus();
  });
}

grpc::Status LedgerServiceImpl::GetEvidence(grpc::ServerContext* ctx,
                                            const v1::GetEvidenceRequest* req, v1::Evidence* resp) {
  return Handle(ctx, [&](const Actor& actor) -> absl::Status {
    if (req->task_id() <= 0) {
      return InvalidField("task_id", "必须是正整数编号", "must be a positive id");
    }
    // The task's reach first: a file of a task outside the subtree reads like a missing task.
    ASSIGN_OR_RETURN(Task task, ledger_->GetTask(req->task_id()));
    if (!actor.Reaches(task.owner_path)) return NotFound("任务", "task", req->task_id());
    ASSIGN_OR_RETURN(Evidence evidence, ledger_->GetEvidence(task.id, req->evidence_id()));
    ToProto(evidence, resp);
    return absl::OkStatus();
  });
}

grpc::Status LedgerServiceImpl::StartTask(grpc::ServerContext* ctx, const v1::StartTaskRequest* req,
                                          v1::Task* resp) {
  return TaskMutation(*ledger_, ctx, "StartTask", *req, resp,
                      [&](WriteTxn& tx, const Actor& actor) -> absl::StatusOr<Task> {
                        RETURN_IF_ERROR(CheckOwnTaskArg(tx, actor, req->id()));
                        return ledger_->StartTask(tx, actor, req->id(), req->expected_version());
                      });
}

grpc::Status LedgerServiceImpl::ReportProgress(grpc::ServerContext* ctx,
                                               const v1::ReportProgressRequest* req,
                                               v1::ReportProgressResponse* resp) {
  return Handle(ctx, [&](const Actor& actor) {
    return RunMutation(
        *ledger_, actor, "ReportProgress", req->request_id(), *req, resp,
        [&](WriteTxn& tx) -> absl::Status {
          RETURN_IF_ERROR(CheckOwnTaskArg(tx, actor, req->id()));
          std::vector<NewEvidence> evidence;
          for (const v1::Evidence& e : req->evidence()) {
            evidence.push_back(NewEvidence{e.file_name(), e.media_type(), e.content()});
          }
          ASSIGN_OR_RETURN(auto result,
                           ledger_->ReportProgress(tx, actor, req->id(), req->expected_version(),
                                                   req->text(), req->percent(), evidence));
          RETURN_IF_ERROR(FillTask(*ledger_, tx, result.first, resp->mutable_task()));
          ToProto(result.second, resp->mutable_report());
          return absl::OkStatus();
        });
  });
}

grpc::Status LedgerServiceImpl::SubmitTask(grpc::ServerContext* ctx,
                                           const v1::SubmitTaskRequest* req, v1::Task* resp) {
  return TaskMutation(*ledger_, ctx, "SubmitTask", *req, resp,
                      [&](WriteTxn& tx, const Actor& actor) -> absl::StatusOr<Task> {
                        RETURN_IF_ERROR(CheckOwnTaskArg(tx, actor, req->id()));
                        return ledger_->SubmitTask(tx, actor, req->id(), req->expected_version(),
                                                   req->summary());
                      });
}

grpc::Status LedgerServiceImpl::AcceptTask(grpc::ServerContext* ctx,
                                           const v1::AcceptTaskRequest* req, v1::Task* resp) {
  return TaskMutation(*ledger_, ctx, "AcceptTask", *req, resp,
                      [&](WriteTxn& tx, const Actor& actor) -> absl::StatusOr<Task> {
                        RETURN_IF_ERROR(CheckCloseOut(tx, actor, req->id()));
                        return ledger_->AcceptTask(tx, actor, req->id(), req->expected_version(),
                                                   req->note());
                      });
}

grpc::Status LedgerServiceImpl::ReturnTask(grpc::ServerContext* ctx,
                                           const v1::ReturnTaskRequest* req, v1::Task* resp) {
  return TaskMutation(*ledger_, ctx, "ReturnTask", *req, resp,
                      [&](WriteTxn& tx, const Actor& actor) -> absl::StatusOr<Task> {
                        RETURN_IF_ERROR(CheckTaskArg(tx, actor, req->id()));
                        return ledger_->ReturnTask(tx, actor, req->id(), req->expected_version(),
                                                   req->reason());
                      });
}

grpc::Status LedgerServiceImpl::MarkOngoing(grpc::ServerContext* ctx,
                                            const v1::MarkOngoingRequest* req, v1::Task* resp) {
  return TaskMutation(*ledger_, ctx, "MarkOngoing", *req, resp,
                      [&](WriteTxn& tx, const Actor& actor) -> absl::StatusOr<Task> {
                        RETURN_IF_ERROR(CheckTaskArg(tx, actor, req->id()));
                        return ledger_->MarkOngoing(tx, actor, req->id(), req->expected_version(),
                                                    req->cadence_days(), req->note());
                      });
}

grpc::Status LedgerServiceImpl::ReopenTask(grpc::ServerContext* ctx,
                                           const v1::ReopenTaskRequest* req, v1::Task* resp) {
  return TaskMutation(*ledger_, ctx, "ReopenTask", *req, resp,
                      [&](WriteTxn& tx, const Actor& actor) -> absl::StatusOr<Task> {
                        RETURN_IF_ERROR(CheckTaskArg(tx, actor, req->id()));
                        return ledger_->ReopenTask(tx, actor, req->id(), req->expected_version(),
                                                   req->reason());
                      });
}

grpc::Status LedgerServiceImpl::CancelTask(grpc::ServerContext* ctx,
                                           const v1::CancelTaskRequest* req, v1::Task* resp) {
  return TaskMutation(*ledger_, ctx, "CancelTask", *req, resp,
                      [&](WriteTxn& tx, const Actor& actor) -> absl::StatusOr<Task> {
                        RETURN_IF_ERROR(CheckTaskArg(tx, actor, req->id()));
                        return ledger_->CancelTask(tx, actor, req->id(), req->expected_version(),
                                                   req->reason());
                      });
}

grpc::Status LedgerServiceImpl::RequestExtension(grpc::ServerContext* ctx,
                                                 const v1::RequestExtensionRequest* req,
                                                 v1::ExtensionRequest* resp) {
  return Handle(ctx, [&](const Actor& actor) {
    return RunMutation(
        *ledger_, actor, "RequestExtension", req->request_id(), *req, resp,
        [&](WriteTxn& tx) -> absl::Status {
          RETURN_IF_ERROR(CheckOwnTaskArg(tx, actor, req->id()));
          ASSIGN_OR_RETURN(ExtensionRequest x,
                           ledger_->RequestExtension(tx, actor, req->id(), req->expected_version(),
                                                     req->requested_deadline(), req->reason()));
          ToProto(x, resp);
          return absl::OkStatus();
        });
  });
}

grpc::Status LedgerServiceImpl::DecideExtension(grpc::ServerContext* ctx,
                                                const v1::DecideExtensionRequest* req,
                                                v1::ExtensionRequest* resp) {
  return Handle(ctx, [&](const Actor& actor) {
    return RunMutation(*ledger_, actor, "DecideExtension", req->request_id(), *req, resp,
                       [&](WriteTxn& tx) -> absl::Status {
                         RETURN_IF_ERROR(CheckDecision(tx, actor, req->extension_id()));
                         ASSIGN_OR_RETURN(ExtensionRequest x,
                                          ledger_->DecideExtension(tx, actor, req->extension_id(),
                                                                   req->approve(), req->note()));
                         ToProto(x, resp);
                         return absl::OkStatus();
                       });
  });
}

}  // namespace rectify::api
