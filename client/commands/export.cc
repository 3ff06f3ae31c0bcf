// export: the ledger (整改台账), streamed from the server and written row by row as a table, CSV
// or one JSON array, so that neither side holds the whole ledger.
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "client/commands/commands.h"
#include "client/commands/paperwork.h"
#include "client/commands/report_output.h"
#include "client/commands/unit_ref.h"
#include "client/commands/validators.h"
#include "client/output/csv.h"
#include "client/output/format.h"
#include "client/output/json.h"
#include "client/output/ledger_view.h"
#include "client/rpc/exit_codes.h"
#include "rectify/v1/org.grpc.pb.h"
#include "rectify/v1/reports.grpc.pb.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

// Rows between two updates of the progress line.
constexpr int64_t kProgressEvery = 500;

// Writes rows in one format as they arrive.
class RowSink {
 public:
  RowSink(ReportFormat format, Lang lang, std::ostream& out)
      : format_(format), lang_(lang), out_(out), table_(lang) {}

  void Begin(const std::string& title) {
    switch (format_) {
      case ReportFormat::kTable:
        out_ << title << "\n\n" << table_.Header();
        break;
      case ReportFormat::kCsv:
        csv_ = std::make_unique<CsvWriter>(out_);
        csv_->WriteRow(LedgerCsvHeaders(lang_));
        break;
      case ReportFormat::kXlsx:  // written whole by ExportWorkbook, never row by row
        break;
      case ReportFormat::kJson:
        out_ << "[";
        break;
    }
  }

  bool Add(const v1::LedgerRow& row) {
    switch (format_) {
      case ReportFormat::kTable:
        out_ << table_.Row(row);
        break;
      case ReportFormat::kCsv:
        csv_->WriteRow(LedgerCsvCells(row, lang_));
        break;
      case ReportFormat::kXlsx:
        break;
      case ReportFormat::kJson: {
        auto json = ToJson(row);
        if (!json.ok()) return false;
        json->pop_back();  // the document's newline; the separator comes first
        out_ << (rows_ == 0 ? "\n" : ",\n") << *json;
        break;
      }
    }
    ++rows_;
    return true;
  }

  void End() {
    switch (format_) {
      case ReportFormat::kTable:
        out_ << "\n" << Tr(lang_, "共 ", "") << rows_ << Tr(lang_, " 行", " rows") << "\n";
        break;
      case ReportFormat::kCsv:
      case ReportFormat::kXlsx:
        break;
      case ReportFormat::kJson:
        out_ << (rows_ == 0 ? "]\n" : "\n]\n");
        break;
    }
  }

  int64_t rows() const { return rows_; }

 private:
  const ReportFormat format_;
  const Lang lang_;
  std::ostream& out_;
  LedgerTable table_;
  std::unique_ptr<CsvWriter> csv_;
  int64_t rows_ = 0;
};

// The name of the unit `id` for the title, or "单位 #id" when it cannot be read (the export then
// says why).
std::string UnitTitle(Session& s, int64_t id) {
  v1::GetUnitRequest request;
  request.set_id(id);
  v1::OrgUnit unit;
  const grpc::Status status =
      s.Call([&](grpc::ClientContext* c) { return s.rpc().org().GetUnit(c, request, &unit); });
  if (status.ok() && !unit.name().empty()) return unit.name();
  return absl::StrCat(Tr(s.lang(), "单位 #", "unit #"), id);
}

// "整改台账（第一支部及其下级，检视 #3）"; `unit_name` is the --unit unit's name.
std::string Title(const ExportOptions& o, const std::string& unit_name, Lang lang) {
  std::string title = Tr(lang, "整改台账（", "Rectification ledger (");
  if (o.unit_id == 0) {
    absl::StrAppend(&title, Tr(lang, "全部单位", "all units"));
  } else {
    absl::StrAppend(&title, unit_name, Tr(lang, "及其下级", " and below"));
  }
  if (o.review_id != 0) {
    absl::StrAppend(&title, Tr(lang, "，检视 #", ", review #"), o.review_id);
  }
  return absl::StrCat(title, Tr(lang, "）", ")"));
}

int Export(Session& s, const ExportOptions& o) {
  if (ResolveFormat(s, o.output) == ReportFormat::kXlsx) return ExportWorkbook(s, o);
  std::unique_ptr<ReportOutput> output = ReportOutput::Open(s, o.output.path);
  if (output == nullptr) return kExitUsage;
  // A progress line that rewrites itself belongs on a terminal; --progress asks for it anyway.
  const bool progress = o.progress || (&s.err() == &std::cerr && isatty(STDERR_FILENO) != 0);

  // Only the table has a title line; it names the --unit unit.
  const bool titled = ResolveFormat(s, o.output) == ReportFormat::kTable;
  const std::string title =
      Title(o, titled && o.unit_id != 0 ? UnitTitle(s, o.unit_id) : "", s.lang());

  v1::ExportLedgerRequest request;
  request.set_unit_id(o.unit_id);
  request.set_review_id(o.review_id);
  std::unique_ptr<grpc::ClientContext> context = s.rpc().NewContext();
  // The stream lasts as long as the ledger is long: no deadline (Ctrl-C stops it).
  context->set_deadline(std::chrono::system_clock::time_point::max());
  std::unique_ptr<grpc::ClientReader<v1::LedgerRow>> reader =
      s.rpc().reports().ExportLedger(context.get(), request);

  RowSink sink(ResolveFormat(s, o.output), s.lang(), output->stream());
  sink.Begin(title);
  v1::LedgerRow row;
  while (reader->Read(&row)) {
    if (!sink.Add(row)) {
      context->TryCancel();
      break;
    }
    if (progress && sink.rows() % kProgressEvery == 0) {
      s.err() << "\r" << Tr(s.lang(), "已导出 ", "exported ") << sink.rows()
              << Tr(s.lang(), " 行…", " rows…") << std::flush;
    }
  }
  grpc::Status status = reader->Finish();
  if (progress) {
    s.err() << "\r" << Tr(s.lang(), "已导出 ", "exported ") << sink.rows()
            << Tr(s.lang(), " 行", " rows") << "\n";
  }
  if (!status.ok()) return s.Fail(status);
  sink.End();
  return output->Commit() ? kExitOk : kExitOther;
}

}  // namespace

void AddExportCommands(CLI::App& app, Action* action) {
  auto o = std::make_shared<ExportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "export",
      "导出整改台账：问题、整改措施、责任、时限、状态、进展 / export the ledger: every "
      "problem with its tasks");
  AddUnitOption(cmd, "--unit", &o->unit_id, "只导出此单位及其下级的 / only this unit's subtree");
  cmd->add_option("--review", o->review_id, "只导出此检视的 / only this review")
      ->type_name("ID")
      ->check(IdValidator());
  cmd->add_flag("--progress", o->progress,
                "在标准错误显示已导出行数（终端上默认显示）/ show rows exported so far on stderr "
                "(on by default on a terminal)");
  cmd->add_option("--as-of", o->as_of,
                  "工作簿的截至日期（逾期、统计按此日计算），默认今天 / the workbook's as-of date "
                  "(overdue and statistics), today by default")
      ->type_name("DATE")
      ->check(DateValidator());
  AddReportOutputOptions(cmd, &o->output, /*with_xlsx=*/true);
  cmd->footer(Examples({"rectify export --format xlsx -o 整改台账.xlsx",
                        "rectify export --format csv -o 整改台账.csv",
                        "rectify export --unit 3 --review 5", "rectify export --format json"}));
  OnRun(cmd, action, [o](Session& s) { return Export(s, *o); });
}

}  // namespace rectify::client
