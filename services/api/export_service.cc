// ReportService.ExportLedger: the ledger (整改台账), streamed row by row as the domain reads it a
// page at a time.
#include "rectify/v1/reports.pb.h"
#include "services/api/handler.h"
#include "services/api/services.h"
#include "services/common/civil.h"
#include "services/domain/reports.h"

namespace rectify::api {

grpc::Status ReportServiceImpl::ExportLedger(grpc::ServerContext* ctx,
                                             const v1::ExportLedgerRequest* req,
                                             grpc::ServerWriter<v1::LedgerRow>* writer) {
  return Handle(ctx, [&](const Actor& actor) -> absl::Status {
    ExportQuery query;
    ASSIGN_OR_RETURN(query.unit_id, ScopeUnit(*ledger_, actor, req->unit_id()));
    // A review outside reach reads as a missing one (the ledger answers NOT_FOUND for those).
    RETURN_IF_ERROR(InReach(*ledger_, [&](ReadTxn& tx) -> absl::StatusOr<Id> {
      RETURN_IF_ERROR(CheckReviewArg(tx, actor, req->review_id()));
      return req->review_id();
    }));
    query.review_id = req->review_id();
    query.with_history = req->with_history();
    const absl::TimeZone zone = ledger_->settings().time_zone;
    return rectify::ExportLedger(*ledger_, query, [&](const LedgerEntry& entry) -> absl::Status {
      v1::LedgerRow row;
      row.set_review_id(entry.problem.review_id);
      row.set_review_title(entry.review_title);
      row.set_problem_id(entry.problem.id);
      row.set_problem_seq(entry.problem.seq);
      row.set_area(entry.problem.area);
      row.set_problem_text(entry.problem.text);
      if (entry.task.has_value()) {
        const Task& task = *entry.task;
        ToProto(task, entry.owner_unit_name, ledger_->IsOverdueNow(task), row.mutable_task());
        if (task.status == TaskStatus::kClosed && task.close_time.has_value()) {
          row.set_closed_on(FormatDay(task.close_day.value_or(DayOf(*task.close_time, zone))));
        }
        for (const ProgressReport& report : entry.progress) ToProto(report, row.add_progress());
        for (const ExtensionRequest& request : entry.extensions) {
          ToProto(request, row.add_extensions());
        }
      }
      // Write blocks while the client's window is full, so a slow reader slows the export
      // instead of filling the server's memory; false means the client has gone.
      if (!writer->Write(row)) {
        return absl::CancelledError("客户端已断开 / the client went away");
      }
      return absl::OkStatus();
    });
  });
}

}  // namespace rectify::api
