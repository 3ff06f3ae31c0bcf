// LedgerService.UrgeTask: 催办/督办.
#include "services/api/handler.h"
#include "services/api/services.h"

namespace rectify::api {

grpc::Status LedgerServiceImpl::UrgeTask(grpc::ServerContext* ctx, const v1::UrgeTaskRequest* req,
                                         v1::Event* resp) {
  return Handle(ctx, [&](const Actor& actor) {
    return RunMutation(*ledger_, actor, "UrgeTask", req->request_id(), *req, resp,
                       [&](WriteTxn& tx) -> absl::Status {
                         RETURN_IF_ERROR(CheckTaskArg(tx, actor, req->id()));
                         ASSIGN_OR_RETURN(Event event,
                                          ledger_->UrgeTask(tx, actor, req->id(), req->note()));
                         ToProto(event, resp);
                         return absl::OkStatus();
                       });
  });
}

}  // namespace rectify::api
