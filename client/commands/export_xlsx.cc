// export --format xlsx: the ledger workbook (整改台账.xlsx) made from three calls: the ledger,
// the overdue report and the statistics, all of one scope (unit and review) and one as-of date.
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <memory>

#include "client/commands/paperwork.h"
#include "client/output/format.h"
#include "client/rpc/exit_codes.h"
#include "rectify/v1/reports.grpc.pb.h"
#include "services/paperwork/ledger_workbook.h"

namespace rectify::client {

namespace v1 = rectify::v1;

grpc::Status ReadLedger(Session& s, const v1::ExportLedgerRequest& request,
                        std::vector<v1::LedgerRow>* rows) {
  std::unique_ptr<grpc::ClientContext> context = s.rpc().NewContext();
  context->set_deadline(std::chrono::system_clock::time_point::max());
  std::unique_ptr<grpc::ClientReader<v1::LedgerRow>> reader =
      s.rpc().reports().ExportLedger(context.get(), request);
  v1::LedgerRow row;
  while (reader->Read(&row)) rows->push_back(row);
  return reader->Finish();
}

int WriteBinary(Session& s, const std::string& path, const std::string& bytes) {
  if (path.empty() && &s.out() == &std::cout && isatty(STDOUT_FILENO) != 0) {
    return s.FailUsage(
        "这是二进制文件，请用 -o 文件 或重定向保存 / this is a binary file: save it with -o FILE "
        "or redirect stdout");
  }
  std::unique_ptr<ReportOutput> output = ReportOutput::Open(s, path);
  if (output == nullptr) return kExitUsage;
  output->stream().write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return output->Commit() ? kExitOk : kExitOther;
}

int ExportWorkbook(Session& s, const ExportOptions& o) {
  paperwork::LedgerWorkbookInput input;
  v1::ExportLedgerRequest ledger;
  ledger.set_unit_id(o.unit_id);
  ledger.set_review_id(o.review_id);
  ledger.set_as_of(o.as_of);  // each row's light as of the date, as 逾期天数 and 督办 are
  grpc::Status status = ReadLedger(s, ledger, &input.rows);
  if (!status.ok()) return s.Fail(status);

  v1::OverdueReportRequest overdue;
  overdue.set_unit_id(o.unit_id);
  overdue.set_as_of(o.as_of);
  overdue.set_review_id(o.review_id);
  status = s.Call([&](grpc::ClientContext* c) {
    return s.rpc().reports().OverdueReport(c, overdue, &input.overdue);
  });
  if (!status.ok()) return s.Fail(status);
  v1::StatisticsRequest stats;
  stats.set_unit_id(o.unit_id);
  stats.set_as_of(o.as_of);
  stats.set_review_id(o.review_id);
  status = s.Call([&](grpc::ClientContext* c) {
    return s.rpc().reports().Statistics(c, stats, &input.statistics);
  });
  if (!status.ok()) return s.Fail(status);

  input.as_of = input.statistics.as_of();
  // 填报单位: the scope's unit, or the root when the whole organisation is exported.
  input.unit_name = input.statistics.scope_name();
  if (input.unit_name.empty() && input.statistics.rows_size() > 0) {
    input.unit_name = input.statistics.rows(0).unit_name();
  }
  absl::StatusOr<std::string> bytes = paperwork::LedgerWorkbook(input);
  if (!bytes.ok()) return s.FailUsage(std::string(bytes.status().message()));
  return WriteBinary(s, o.output.path, *bytes);
}

}  // namespace rectify::client
