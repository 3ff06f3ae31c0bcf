// ReportService: the overdue list (逾期清单), the statistics (整改进度统计), and the ledger
// (整改台账) streamed row by row as the domain reads it a page at a time.
#include "services/api/report_service.h"

#include "rectify/v1/reports.pb.h"
#include "services/api/internal/handler.h"
#include "services/common/civil.h"
#include "services/domain/reports.h"

namespace rectify::api {
namespace {

void ToProto(const TaskCounts& c, v1::TaskCounts* out) {
  // Counts fit in int32 (a ledger of two billion tasks is not a ledger); the API keeps them
  // int32 so that JSON shows numbers, not the strings proto3 uses for int64.
  out->set_total(static_cast<int32_t>(c.total));
  out->set_closed(static_cast<int32_t>(c.closed));
  out->set_closed_on_time(static_cast<int32_t>(c.closed_on_time));
  out->set_in_progress(static_cast<int32_t>(c.in_progress));
  out->set_submitted(static_cast<int32_t>(c.submitted));
  out->set_ongoing(static_cast<int32_t>(c.ongoing));
  out->set_overdue(static_cast<int32_t>(c.overdue));
  out->set_cancelled(static_cast<int32_t>(c.cancelled));
  out->set_red(static_cast<int32_t>(c.red));
  out->set_yellow(static_cast<int32_t>(c.yellow));
  out->set_green(static_cast<int32_t>(c.green));
}

void ToProto(const StatisticsLine& line, v1::StatisticsRow* out) {
  out->set_unit_id(line.unit_id);
  out->set_unit_name(line.unit_name);
  out->set_depth(line.depth);
  out->set_area(line.area);
  ToProto(line.counts, out->mutable_counts());
  if (line.completion_rate) out->set_completion_rate(*line.completion_rate);
  if (line.on_time_rate) out->set_on_time_rate(*line.on_time_rate);
}

}  // namespace

grpc::Status ReportServiceImpl::OverdueReport(grpc::ServerContext* ctx,
                                              const v1::OverdueReportRequest* req,
                                              v1::OverdueReportResponse* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor) -> absl::Status {
    OverdueQuery query;
    ASSIGN_OR_RETURN(query.unit_id, reads_.Scope(actor, req->unit_id()));
    query.as_of = req->as_of();
    query.area = req->area();
    query.owner_person = req->owner_person();
    query.min_days_overdue = req->min_days_overdue();
    query.group_by = static_cast<int>(req->group_by());
    // A review outside reach reads as a missing one (the ledger answers NOT_FOUND for those).
    RETURN_IF_ERROR(reads_.CheckReviewFilter(actor, req->review_id()));
    query.review_id = req->review_id();
    ASSIGN_OR_RETURN(OverdueReportData report, RunOverdueReport(*ledger_, query));
    resp->set_as_of(FormatDay(report.as_of));
    resp->set_total(report.total);
    resp->set_scope_name(report.scope.name);
    resp->set_group_by(static_cast<v1::OverdueGrouping>(report.group_by));
    for (int i = 0; i < kAgingBucketCount; ++i) {
      v1::AgingCount* aging = resp->add_aging();
      aging->set_bucket(static_cast<v1::AgingBucket>(i + 1));
      aging->set_count(report.aging_counts[i]);
    }
    for (const OverdueSection& section : report.sections) {
      v1::OverdueGroup* group = resp->add_groups();
      group->set_label(section.label);
      if (report.group_by == OverdueGrouping::kUnit) {
        group->set_unit_id(section.unit_id);
        group->set_unit_name(section.label);
      }
      for (const OverdueLine& line : section.lines) {
        v1::OverdueItem* item = group->add_items();
        ToProto(line.task, line.owner_unit_name, ledger_->IsOverdueNow(line.task),
                item->mutable_task());
        item->set_days_overdue(line.days_overdue);
        item->set_aging(static_cast<v1::AgingBucket>(line.aging));
        item->set_escalation_level(line.escalation_level);
      }
    }
    return absl::OkStatus();
  });
}

grpc::Status ReportServiceImpl::Statistics(grpc::ServerContext* ctx,
                                           const v1::StatisticsRequest* req,
                                           v1::StatisticsResponse* resp) {
  return Handle(ctx, __func__, [&](const Actor& actor) -> absl::Status {
    StatisticsQuery query;
    ASSIGN_OR_RETURN(query.unit_id, reads_.Scope(actor, req->unit_id()));
    query.as_of = req->as_of();
    query.by = static_cast<int>(req->by());
    RETURN_IF_ERROR(reads_.CheckReviewFilter(actor, req->review_id()));
    query.review_id = req->review_id();
    ASSIGN_OR_RETURN(StatisticsData data, RunStatistics(*ledger_, query));
    resp->set_as_of(FormatDay(data.as_of));
    resp->set_by(static_cast<v1::StatisticsDimension>(data.by));
    resp->set_scope_name(data.scope.name);
    for (const StatisticsLine& line : data.lines) ToProto(line, resp->add_rows());
    ToProto(data.total, resp->mutable_total());
    return absl::OkStatus();
  });
}

}  // namespace rectify::api

namespace rectify::api {

grpc::Status ReportServiceImpl::ExportLedger(grpc::ServerContext* ctx,
                                             const v1::ExportLedgerRequest* req,
                                             grpc::ServerWriter<v1::LedgerRow>* writer) {
  return Handle(ctx, __func__, [&](const Actor& actor) -> absl::Status {
    ExportQuery query;
    ASSIGN_OR_RETURN(query.unit_id, reads_.Scope(actor, req->unit_id()));
    // A review outside reach reads as a missing one (the ledger answers NOT_FOUND for those).
    RETURN_IF_ERROR(reads_.CheckReviewFilter(actor, req->review_id()));
    query.review_id = req->review_id();
    query.with_history = req->with_history();
    query.as_of = req->as_of();
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
        row.set_light_as_of(static_cast<v1::WarningLight>(entry.light_as_of));
        row.set_submit_summary(entry.submit_summary);
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
