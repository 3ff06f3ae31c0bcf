// OrgService: creating, reading, listing and renaming the units of the tree.
#include "services/api/org_service.h"

#include "services/api/internal/handler.h"

namespace rectify::api {

grpc::Status OrgServiceImpl::CreateUnit(grpc::ServerContext* ctx, const v1::CreateUnitRequest* req,
                                        v1::OrgUnit* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor, const char* rpc) {
    return RunMutation(
        *ledger_, actor, rpc, req->request_id(), *req, resp, [&](WriteTxn& tx) -> absl::Status {
          ASSIGN_OR_RETURN(OrgUnit unit,
                           changes_.CreateUnit(tx, actor, req->parent_id(), req->name()));
          ToProto(unit, resp);
          return absl::OkStatus();
        });
  });
}

grpc::Status OrgServiceImpl::GetUnit(grpc::ServerContext* ctx, const v1::GetUnitRequest* req,
                                     v1::OrgUnit* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor) -> absl::Status {
    ASSIGN_OR_RETURN(OrgUnit unit, reads_.GetUnit(actor, req->id()));
    ToProto(unit, resp);
    return absl::OkStatus();
  });
}

grpc::Status OrgServiceImpl::ListUnits(grpc::ServerContext* ctx, const v1::ListUnitsRequest* req,
                                       v1::ListUnitsResponse* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor) -> absl::Status {
    ASSIGN_OR_RETURN(
        auto page, reads_.ListUnits(actor, req->subtree_of(), req->page_size(), req->page_token()));
    for (const OrgUnit& unit : page.first) ToProto(unit, resp->add_units());
    resp->set_next_page_token(page.second);
    return absl::OkStatus();
  });
}

grpc::Status OrgServiceImpl::RenameUnit(grpc::ServerContext* ctx, const v1::RenameUnitRequest* req,
                                        v1::OrgUnit* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor, const char* rpc) {
    return RunMutation(
        *ledger_, actor, rpc, req->request_id(), *req, resp, [&](WriteTxn& tx) -> absl::Status {
          ASSIGN_OR_RETURN(OrgUnit unit, changes_.RenameUnit(tx, actor, req->id(), req->name(),
                                                             req->expected_version()));
          ToProto(unit, resp);
          return absl::OkStatus();
        });
  });
}

}  // namespace rectify::api
