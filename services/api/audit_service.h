// AuditService: checks the audit trail's hash chain (services/audit/) and reconciles the ledger's
// rows with it, reports its head, and lists its entries for verifiers that check on their side.
//
// Permission (the table in services/auth/permissions.cc): principals of the root unit with role
// committee or supervisor. This adapter does no checks of its own.
//
// Thread safety: holds only pointers to thread-safe objects; safe to call concurrently.
#ifndef RECTIFY_SERVICES_API_AUDIT_SERVICE_H_
#define RECTIFY_SERVICES_API_AUDIT_SERVICE_H_

#include "rectify/v1/audit.grpc.pb.h"
#include "services/api/service_context.h"
#include "services/domain/ledger.h"

namespace rectify::api {

class AuditServiceImpl final : public ServiceAdapter<v1::AuditService> {
 public:
  explicit AuditServiceImpl(const ServiceContext& context) : ServiceAdapter(context) {}

  grpc::Status VerifyAudit(grpc::ServerContext* ctx, const v1::VerifyAuditRequest* req,
                           v1::VerifyAuditResponse* resp) override;
  grpc::Status GetAuditHead(grpc::ServerContext* ctx, const v1::GetAuditHeadRequest* req,
                            v1::GetAuditHeadResponse* resp) override;
  grpc::Status ListAuditEntries(grpc::ServerContext* ctx, const v1::ListAuditEntriesRequest* req,
                                v1::ListAuditEntriesResponse* resp) override;

 private:
};

}  // namespace rectify::api

#endif  // RECTIFY_SERVICES_API_AUDIT_SERVICE_H_
