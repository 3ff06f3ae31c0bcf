// OrgService: the units (组织) of the tree.
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
#ifndef RECTIFY_SERVICES_API_ORG_SERVICE_H_
#define RECTIFY_SERVICES_API_ORG_SERVICE_H_

#include "rectify/v1/org.grpc.pb.h"
#include "services/api/service_context.h"
#include "services/app/changes.h"
#include "services/app/reads.h"
#include "services/domain/ledger.h"

namespace rectify::api {

class OrgServiceImpl final : public ServiceAdapter<v1::OrgService> {
 public:
  explicit OrgServiceImpl(const ServiceContext& context)
      : ServiceAdapter(context), changes_(*context.ledger), reads_(*context.ledger) {}

  grpc::Status CreateUnit(grpc::ServerContext* ctx, const v1::CreateUnitRequest* req,
                          v1::OrgUnit* resp) override;
  grpc::Status GetUnit(grpc::ServerContext* ctx, const v1::GetUnitRequest* req,
                       v1::OrgUnit* resp) override;
  grpc::Status ListUnits(grpc::ServerContext* ctx, const v1::ListUnitsRequest* req,
                         v1::ListUnitsResponse* resp) override;
  grpc::Status RenameUnit(grpc::ServerContext* ctx, const v1::RenameUnitRequest* req,
                          v1::OrgUnit* resp) override;

 private:
  // Every change and every read goes through the application layer.
  const app::LedgerChanges changes_;
  const app::LedgerReads reads_;
};

}  // namespace rectify::api

#endif  // RECTIFY_SERVICES_API_ORG_SERVICE_H_
