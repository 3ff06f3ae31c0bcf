// AdminService: chores of the administrator on a running rectifyd — for now the online backup.
//
// Backup paths are paths on the server, written by the rectifyd process; only a committee token
// bound to the root unit may ask for one (services/auth/permissions.cc).
//
// Thread safety: holds only pointers to thread-safe objects; safe to call concurrently.
#ifndef RECTIFY_SERVICES_API_ADMIN_SERVICE_H_
#define RECTIFY_SERVICES_API_ADMIN_SERVICE_H_

#include "rectify/v1/admin.grpc.pb.h"
#include "services/api/service_context.h"
#include "services/domain/ledger.h"

namespace rectify::api {

class AdminServiceImpl final : public ServiceAdapter<v1::AdminService> {
 public:
  explicit AdminServiceImpl(const ServiceContext& context) : ServiceAdapter(context) {}

  grpc::Status Backup(grpc::ServerContext* ctx, const v1::BackupRequest* req,
                      v1::BackupResponse* resp) override;

 private:
};

}  // namespace rectify::api

#endif  // RECTIFY_SERVICES_API_ADMIN_SERVICE_H_
