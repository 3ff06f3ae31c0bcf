// GET /export/ledger.csv?unit_id=…&review_id=…: the ledger (整改台账) as the same bytes as
// `rectify export --format csv`, written by the client's own CSV code (client/output, linked
// here, not copied) from ReportService/ExportLedger called in-process, row by row as they come.
// GET /export/ledger.xlsx?unit_id=…&review_id=…&as_of=…: the workbook of
// `rectify export --format xlsx` (services/paperwork), from the same three calls the CLI makes,
// all three of the one unit and review.
#include <memory>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "client/output/csv.h"
#include "client/output/ledger_view.h"
#include "rectify/v1/reports.pb.h"
#include "services/http/gateway.h"
#include "services/http/json_error.h"
#include "services/paperwork/ledger_workbook.h"

namespace rectify::http {
namespace {

constexpr char kExportLedger[] = "/rectify.v1.ReportService/ExportLedger";
constexpr absl::Duration kFirstRowWait = absl::Seconds(10);
constexpr absl::Duration kRowWait = absl::Seconds(1);

// RFC 5987: filename*=UTF-8''%E6%95%B4... for 整改台账.csv, with a plain ASCII fallback.
constexpr char kDisposition[] =
    "attachment; filename=\"ledger.csv\"; "
    "filename*=UTF-8''%E6%95%B4%E6%94%B9%E5%8F%B0%E8%B4%A6.csv";

grpc::Status IdParam(const httplib::Request& req, const char* name, int64_t* out) {
  *out = 0;
  if (!req.has_param(name)) return grpc::Status::OK;
  if (!absl::SimpleAtoi(req.get_param_value(name), out) || *out < 0) {
    return grpc::Status(
        grpc::StatusCode::INVALID_ARGUMENT,
        absl::StrCat(name, ": 须为非负整数 / ", name, ": must be a non-negative integer"));
  }
  return grpc::Status::OK;
}

std::string CsvLine(const std::string& bytes, Lang lang) {
  v1::LedgerRow row;
  if (!row.ParseFromString(bytes)) return "";
  return client::CsvRecord(client::LedgerCsvCells(row, lang));
}

void ExportCsv(Gateway& gateway, const httplib::Request& req, httplib::Response& res) {
  CallMetadata metadata;
  grpc::Status caller = CallerMetadata(req, &metadata);
  if (!caller.ok()) return ReplyError(res, caller, kCsrfHeader);
  v1::ExportLedgerRequest request;
  int64_t id = 0;
  for (const char* name : {"unit_id", "review_id"}) {
    grpc::Status s = IdParam(req, name, &id);
    if (!s.ok()) return ReplyError(res, s, name);
    if (std::string(name) == "unit_id") {
      request.set_unit_id(id);
    } else {
      request.set_review_id(id);
    }
  }
  const Lang lang = req.get_param_value("lang") == "en" ? Lang::kEn : Lang::kZh;
  std::shared_ptr<ServerStream> stream =
      gateway.bridge.StartStream(kExportLedger, metadata, request.SerializeAsString());
  if (!gateway.streams.Add(stream.get())) {
    stream->Cancel();
    return ReplyError(res, grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                        "服务器正在停止 / the server is shutting down"));
  }
  // The first row (or the refusal) decides the status; after it, rows go out as they come.
  auto pending = std::make_shared<std::string>(
      absl::StrCat(client::kUtf8Bom, client::CsvRecord(client::LedgerCsvHeaders(lang))));
  std::string bytes;
  const ServerStream::Step first = stream->Next(&bytes, kFirstRowWait);
  if (first == ServerStream::Step::kDone) {
    grpc::Status status = stream->Finish();
    gateway.streams.Remove(stream.get());
    if (!status.ok()) return ReplyError(res, status);
  } else if (first == ServerStream::Step::kMessage) {
    absl::StrAppend(pending.get(), CsvLine(bytes, lang));
  }
  res.status = 200;
  res.set_header("Content-Disposition", kDisposition);
  res.set_header("Cache-Control", "no-store");
  if (first == ServerStream::Step::kDone) {
    res.set_content(*pending, "text/csv; charset=utf-8");
    return;
  }
  res.set_chunked_content_provider(
      "text/csv; charset=utf-8",
      [stream, pending, lang](size_t, httplib::DataSink& sink) {
        if (!pending->empty()) {
          if (!sink.write(pending->data(), pending->size())) return false;
          pending->clear();
        }
        std::string row;
        switch (stream->Next(&row, kRowWait)) {
          case ServerStream::Step::kMessage: {
            const std::string line = CsvLine(row, lang);
            return sink.write(line.data(), line.size());
          }
          case ServerStream::Step::kTimeout:
            return sink.is_writable();
          case ServerStream::Step::kDone:
            // A stream cut short by an error cannot change the status any more: ending without
            // the final chunk tells the browser the download failed rather than finished.
            if (!stream->Finish().ok()) return false;
            sink.done();
            return true;
        }
        return false;
      },
      [stream, &gateway](bool) {
        stream->Cancel();
        gateway.streams.Remove(stream.get());
      });
}

constexpr char kXlsxDisposition[] =
    "attachment; filename=\"ledger.xlsx\"; "
    "filename*=UTF-8''%E6%95%B4%E6%94%B9%E5%8F%B0%E8%B4%A6.xlsx";

// The workbook: the ledger's rows, the overdue list and the statistics of one scope and day,
// each called in-process as the caller (so the same reach and permission table apply).
void ExportXlsx(Gateway& gateway, const httplib::Request& req, httplib::Response& res) {
  CallMetadata metadata;
  grpc::Status caller = CallerMetadata(req, &metadata);
  if (!caller.ok()) return ReplyError(res, caller, kCsrfHeader);
  int64_t unit_id = 0, review_id = 0;
  grpc::Status s = IdParam(req, "unit_id", &unit_id);
  if (!s.ok()) return ReplyError(res, s, "unit_id");
  s = IdParam(req, "review_id", &review_id);
  if (!s.ok()) return ReplyError(res, s, "review_id");
  const std::string as_of = req.get_param_value("as_of");

  paperwork::LedgerWorkbookInput input;
  v1::ExportLedgerRequest ledger;
  ledger.set_unit_id(unit_id);
  ledger.set_review_id(review_id);
  ledger.set_as_of(as_of);  // each row's light as of the date, as 逾期天数 and 督办 are
  std::unique_ptr<ServerStream> stream =
      gateway.bridge.StartStream(kExportLedger, metadata, ledger.SerializeAsString());
  std::string bytes;
  for (;;) {
    const ServerStream::Step step = stream->Next(&bytes, kFirstRowWait);
    if (step == ServerStream::Step::kDone) break;
    if (step == ServerStream::Step::kTimeout) continue;
    v1::LedgerRow row;
    if (row.ParseFromString(bytes)) input.rows.push_back(std::move(row));
  }
  s = stream->Finish();
  if (!s.ok()) return ReplyError(res, s, s.error_code() == grpc::INVALID_ARGUMENT ? "as_of" : "");

  // The overdue list and the statistics of the same scope as the ledger: its unit and review.
  v1::OverdueReportRequest overdue;
  overdue.set_unit_id(unit_id);
  overdue.set_review_id(review_id);
  overdue.set_as_of(as_of);
  std::string answer;
  s = gateway.bridge.Unary("/rectify.v1.ReportService/OverdueReport", metadata,
                           overdue.SerializeAsString(), &answer);
  if (!s.ok()) return ReplyError(res, s, s.error_code() == grpc::INVALID_ARGUMENT ? "as_of" : "");
  input.overdue.ParseFromString(answer);
  v1::StatisticsRequest stats;
  stats.set_unit_id(unit_id);
  stats.set_review_id(review_id);
  stats.set_as_of(as_of);
  s = gateway.bridge.Unary("/rectify.v1.ReportService/Statistics", metadata,
                           stats.SerializeAsString(), &answer);
  if (!s.ok()) return ReplyError(res, s);
  input.statistics.ParseFromString(answer);
  input.as_of = input.statistics.as_of();
  // 填报单位: the scope's unit, or the root when the whole organisation is exported.
  input.unit_name = input.statistics.scope_name();
  if (input.unit_name.empty() && input.statistics.rows_size() > 0) {
    input.unit_name = input.statistics.rows(0).unit_name();
  }
  absl::StatusOr<std::string> workbook = paperwork::LedgerWorkbook(input);
  if (!workbook.ok()) {
    return ReplyError(
        res, grpc::Status(grpc::StatusCode::INTERNAL, std::string(workbook.status().message())));
  }
  res.status = 200;
  res.set_header("Content-Disposition", kXlsxDisposition);
  res.set_header("Cache-Control", "no-store");
  res.set_content(*workbook, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
}

}  // namespace

void AddExportRoutes(httplib::Server& server, Gateway& gateway) {
  server.Get("/export/ledger.xlsx",
             [&gateway](const httplib::Request& req, httplib::Response& res) {
               ExportXlsx(gateway, req, res);
             });
  server.Get("/export/ledger.csv", [&gateway](const httplib::Request& req, httplib::Response& res) {
    ExportCsv(gateway, req, res);
  });
}

}  // namespace rectify::http
