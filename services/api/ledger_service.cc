// LedgerService: reviews, root causes and problems; tasks, their transitions, progress and
// extensions; urging (催办/督办).
#include "services/api/ledger_service.h"

#include "services/api/internal/handler.h"

namespace rectify::api {

grpc::Status LedgerServiceImpl::CreateReview(grpc::ServerContext* ctx,
                                             const v1::CreateReviewRequest* req, v1::Review* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor, const char* rpc) {
    return RunMutation(
        *ledger_, actor, rpc, req->request_id(), *req, resp, [&](WriteTxn& tx) -> absl::Status {
          ASSIGN_OR_RETURN(Review review, changes_.CreateReview(
                                              tx, actor, req->title(), req->kind(), req->held_on(),
                                              req->unit_id(), req->source_document()));
          ToProto(review, resp);
          return absl::OkStatus();
        });
  });
}

grpc::Status LedgerServiceImpl::GetReview(grpc::ServerContext* ctx, const v1::GetReviewRequest* req,
                                          v1::Review* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor) -> absl::Status {
    ASSIGN_OR_RETURN(Review review, reads_.GetReview(actor, req->id()));
    ToProto(review, resp);
    return absl::OkStatus();
  });
}

grpc::Status LedgerServiceImpl::ListReviews(grpc::ServerContext* ctx,
                                            const v1::ListReviewsRequest* req,
                                            v1::ListReviewsResponse* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor) -> absl::Status {
    ASSIGN_OR_RETURN(
        auto page, reads_.ListReviews(actor, req->unit_id(), req->page_size(), req->page_token()));
    for (const Review& review : page.first) ToProto(review, resp->add_reviews());
    resp->set_next_page_token(page.second);
    return absl::OkStatus();
  });
}

grpc::Status LedgerServiceImpl::CreateRootCause(grpc::ServerContext* ctx,
                                                const v1::CreateRootCauseRequest* req,
                                                v1::RootCause* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor, const char* rpc) {
    return RunMutation(
        *ledger_, actor, rpc, req->request_id(), *req, resp, [&](WriteTxn& tx) -> absl::Status {
          ASSIGN_OR_RETURN(RootCause cause,
                           changes_.CreateRootCause(tx, actor, req->review_id(), req->text()));
          ToProto(cause, resp);
          return absl::OkStatus();
        });
  });
}

grpc::Status LedgerServiceImpl::CreateProblem(grpc::ServerContext* ctx,
                                              const v1::CreateProblemRequest* req,
                                              v1::Problem* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor, const char* rpc) {
    return RunMutation(
        *ledger_, actor, rpc, req->request_id(), *req, resp, [&](WriteTxn& tx) -> absl::Status {
          std::vector<Id> causes(req->root_cause_ids().begin(), req->root_cause_ids().end());
          ASSIGN_OR_RETURN(Problem problem,
                           changes_.CreateProblem(tx, actor, req->review_id(), req->area(),
                                                  req->text(), causes));
          ToProto(problem, resp);
          return absl::OkStatus();
        });
  });
}

grpc::Status LedgerServiceImpl::ListProblems(grpc::ServerContext* ctx,
                                             const v1::ListProblemsRequest* req,
                                             v1::ListProblemsResponse* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor) -> absl::Status {
    ASSIGN_OR_RETURN(
        Ledger::ProblemPage page,
        reads_.ListProblems(actor, req->review_id(), req->page_size(), req->page_token()));
    for (const Problem& problem : page.problems) ToProto(problem, resp->add_problems());
    for (const RootCause& cause : page.causes) ToProto(cause, resp->add_root_causes());
    resp->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

}  // namespace rectify::api

namespace rectify::api {
namespace {

// One task mutation: exactly-once per request_id, responding with the task after the change.
template <typename Request, typename Change>
grpc::Status TaskMutation(const LedgerServiceImpl& service, const Ledger& ledger,
                          grpc::ServerContext* ctx, const char* method, const Request& req,
                          v1::Task* resp, Change&& change) {
  return service.Handle(ctx, method, [&](const Actor& actor) {
    return RunMutation(ledger, actor, method, req.request_id(), req, resp,
                       [&](WriteTxn& tx) -> absl::Status {
                         ASSIGN_OR_RETURN(Task task, change(tx, actor));
                         return FillTask(ledger, tx, task, resp);
                       });
  });
}

// A status change (start, submit, accept, return, mark long-term, reopen, cancel): the action's
// rule says who may take it and the ledger applies it, one path for all.
template <typename Request>
grpc::Status TaskTransition(const LedgerServiceImpl& service, const Ledger& ledger,
                            const app::LedgerChanges& changes, grpc::ServerContext* ctx,
                            const char* method, TaskAction action, const Request& req,
                            const std::string& note, int cadence_days, v1::Task* resp) {
  return TaskMutation(
      service, ledger, ctx, method, req, resp,
      [&](WriteTxn& tx, const Actor& actor) -> absl::StatusOr<Task> {
        return changes.ChangeTaskStatus(
            tx, actor,
            app::TaskCommand{action, req.id(), req.expected_version(), note, cadence_days});
      });
}

}  // namespace

grpc::Status LedgerServiceImpl::CreateTask(grpc::ServerContext* ctx,
                                           const v1::CreateTaskRequest* req, v1::Task* resp) {
  return TaskMutation(*this, *ledger_, ctx, __func__, *req, resp,
                      [&](WriteTxn& tx, const Actor& actor) -> absl::StatusOr<Task> {
                        NewTask in;
                        in.problem_id = req->problem_id();
                        in.measure = req->measure();
                        in.owner_unit_id = req->owner_unit_id();
                        in.owner_person = req->owner_person();
                        in.leader = req->leader();
                        in.deadline = req->deadline();
                        in.cadence_days = req->cadence_days();
                        return changes_.CreateTask(tx, actor, in);
                      });
}

grpc::Status LedgerServiceImpl::GetTask(grpc::ServerContext* ctx, const v1::GetTaskRequest* req,
                                        v1::Task* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor) -> absl::Status {
    ASSIGN_OR_RETURN(Task task, reads_.GetTask(actor, req->id()));
    UnitNames names(*ledger_);
    ToProto(task, names.Get(task.owner_unit_id), ledger_->IsOverdueNow(task), resp);
    return absl::OkStatus();
  });
}

grpc::Status LedgerServiceImpl::ListTasks(grpc::ServerContext* ctx, const v1::ListTasksRequest* req,
                                          v1::ListTasksResponse* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor) -> absl::Status {
    TaskFilter filter;
    filter.unit_id = req->unit_id();
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
    ASSIGN_OR_RETURN(TaskPage page, reads_.ListTasks(actor, filter));
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
  return Handle(ctx, __func__, [&](const Actor& actor) -> absl::Status {
    ASSIGN_OR_RETURN(TaskHistory history, reads_.GetTaskHistory(actor, req->id()));
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
  return Handle(ctx, __func__, [&](const Actor& actor) -> absl::Status {
    ASSIGN_OR_RETURN(Evidence evidence,
                     reads_.GetEvidence(actor, req->task_id(), req->evidence_id()));
    ToProto(evidence, resp);
    return absl::OkStatus();
  });
}

grpc::Status LedgerServiceImpl::StartTask(grpc::ServerContext* ctx, const v1::StartTaskRequest* req,
                                          v1::Task* resp) {
  return TaskTransition(*this, *ledger_, changes_, ctx, __func__, TaskAction::kStart, *req, "", 0,
                        resp);
}

grpc::Status LedgerServiceImpl::ReportProgress(grpc::ServerContext* ctx,
                                               const v1::ReportProgressRequest* req,
                                               v1::ReportProgressResponse* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor, const char* rpc) {
    return RunMutation(
        *ledger_, actor, rpc, req->request_id(), *req, resp, [&](WriteTxn& tx) -> absl::Status {
          std::vector<NewEvidence> evidence;
          for (const v1::Evidence& e : req->evidence()) {
            evidence.push_back(NewEvidence{e.file_name(), e.media_type(), e.content()});
          }
          ASSIGN_OR_RETURN(auto result,
                           changes_.ReportProgress(tx, actor, req->id(), req->expected_version(),
                                                   req->text(), req->percent(), evidence));
          RETURN_IF_ERROR(FillTask(*ledger_, tx, result.first, resp->mutable_task()));
          ToProto(result.second, resp->mutable_report());
          return absl::OkStatus();
        });
  });
}

grpc::Status LedgerServiceImpl::SubmitTask(grpc::ServerContext* ctx,
                                           const v1::SubmitTaskRequest* req, v1::Task* resp) {
  return TaskTransition(*this, *ledger_, changes_, ctx, __func__, TaskAction::kSubmit, *req,
                        req->summary(), 0, resp);
}

grpc::Status LedgerServiceImpl::AcceptTask(grpc::ServerContext* ctx,
                                           const v1::AcceptTaskRequest* req, v1::Task* resp) {
  return TaskTransition(*this, *ledger_, changes_, ctx, __func__, TaskAction::kAccept, *req,
                        req->note(), 0, resp);
}

grpc::Status LedgerServiceImpl::ReturnTask(grpc::ServerContext* ctx,
                                           const v1::ReturnTaskRequest* req, v1::Task* resp) {
  return TaskTransition(*this, *ledger_, changes_, ctx, __func__, TaskAction::kReturn, *req,
                        req->reason(), 0, resp);
}

grpc::Status LedgerServiceImpl::MarkOngoing(grpc::ServerContext* ctx,
                                            const v1::MarkOngoingRequest* req, v1::Task* resp) {
  return TaskTransition(*this, *ledger_, changes_, ctx, __func__, TaskAction::kMarkOngoing, *req,
                        req->note(), req->cadence_days(), resp);
}

grpc::Status LedgerServiceImpl::ReopenTask(grpc::ServerContext* ctx,
                                           const v1::ReopenTaskRequest* req, v1::Task* resp) {
  return TaskTransition(*this, *ledger_, changes_, ctx, __func__, TaskAction::kReopen, *req,
                        req->reason(), 0, resp);
}

grpc::Status LedgerServiceImpl::CancelTask(grpc::ServerContext* ctx,
                                           const v1::CancelTaskRequest* req, v1::Task* resp) {
  return TaskTransition(*this, *ledger_, changes_, ctx, __func__, TaskAction::kCancel, *req,
                        req->reason(), 0, resp);
}

grpc::Status LedgerServiceImpl::RequestExtension(grpc::ServerContext* ctx,
                                                 const v1::RequestExtensionRequest* req,
                                                 v1::ExtensionRequest* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor, const char* rpc) {
    return RunMutation(
        *ledger_, actor, rpc, req->request_id(), *req, resp, [&](WriteTxn& tx) -> absl::Status {
          ASSIGN_OR_RETURN(ExtensionRequest x,
                           changes_.RequestExtension(tx, actor, req->id(), req->expected_version(),
                                                     req->requested_deadline(), req->reason()));
          ToProto(x, resp);
          return absl::OkStatus();
        });
  });
}

grpc::Status LedgerServiceImpl::DecideExtension(grpc::ServerContext* ctx,
                                                const v1::DecideExtensionRequest* req,
                                                v1::ExtensionRequest* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor, const char* rpc) {
    return RunMutation(*ledger_, actor, rpc, req->request_id(), *req, resp,
                       [&](WriteTxn& tx) -> absl::Status {
                         ASSIGN_OR_RETURN(ExtensionRequest x,
                                          changes_.DecideExtension(tx, actor, req->extension_id(),
                                                                   req->approve(), req->note()));
                         ToProto(x, resp);
                         return absl::OkStatus();
                       });
  });
}

}  // namespace rectify::api

namespace rectify::api {

grpc::Status LedgerServiceImpl::UrgeTask(grpc::ServerContext* ctx, const v1::UrgeTaskRequest* req,
                                         v1::Event* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor, const char* rpc) {
    return RunMutation(
        *ledger_, actor, rpc, req->request_id(), *req, resp, [&](WriteTxn& tx) -> absl::Status {
          ASSIGN_OR_RETURN(Event event, changes_.UrgeTask(tx, actor, req->id(), req->note()));
          ToProto(event, resp);
          return absl::OkStatus();
        });
  });
}

}  // namespace rectify::api
