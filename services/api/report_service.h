// ReportService: the overdue list (逾期清单), the statistics (整改进度统计) and the ledger
// export (整改台账).
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
#ifndef RECTIFY_SERVICES_API_REPORT_SERVICE_H_
#define RECTIFY_SERVICES_API_REPORT_SERVICE_H_

#include "rectify/v1/reports.grpc.pb.h"
#include "services/api/service_context.h"
#include "services/app/reads.h"
#include "services/domain/ledger.h"

namespace rectify::api {

class ReportServiceImpl final : public ServiceAdapter<v1::ReportService> {
 public:
  explicit ReportServiceImpl(const ServiceContext& context)
      : ServiceAdapter(context), reads_(*context.ledger) {}

  grpc::Status OverdueReport(grpc::ServerContext* ctx, const v1::OverdueReportRequest* req,
                             v1::OverdueReportResponse* resp) override;
  grpc::Status Statistics(grpc::ServerContext* ctx, const v1::StatisticsRequest* req,
                          v1::StatisticsResponse* resp) override;
  // export_service.cc
  grpc::Status ExportLedger(grpc::ServerContext* ctx, const v1::ExportLedgerRequest* req,
                            grpc::ServerWriter<v1::LedgerRow>* writer) override;

 private:
  const app::LedgerReads reads_;  // the reach of every report goes through services/app
};

}  // namespace rectify::api

#endif  // RECTIFY_SERVICES_API_REPORT_SERVICE_H_
