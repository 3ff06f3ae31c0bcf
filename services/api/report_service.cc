#include "rectify/v1/reports.pb.h"
#include "services/api/handler.h"
#include "services/api/services.h"
#include "services/common/civil.h"

namespace rectify::api {

grpc::Status ReportServiceImpl::OverdueReport(grpc::ServerContext* ctx,
                                              const v1::OverdueReportRequest* req,
                                              v1::OverdueReportResponse* resp) {
  return Handle(ctx, [&](const Actor&) -> absl::Status {
    ASSIGN_OR_RETURN(OverdueList list, ledger_->OverdueReport(req->unit_id(), req->as_of()));
    resp->set_as_of(FormatDay(list.as_of));
    resp->set_total(list.total);
    for (const OverdueUnitGroup& group : list.groups) {
      v1::OverdueGroup* g = resp->add_groups();
      g->set_unit_id(group.unit.id);
      g->set_unit_name(group.unit.name);
      for (const OverdueEntry& entry : group.entries) {
        v1::OverdueItem* item = g->add_items();
        ToProto(entry.task, group.unit.name, ledger_->IsOverdueNow(entry.task),
                item->mutable_task());
        item->set_days_overdue(entry.days_overdue);
      }
    }
    return absl::OkStatus();
  });
}

}  // namespace rectify::api
