// report overdue | stats: the overdue list (逾期清单) and the statistics (整改进度统计),
// ReportService.
#include <functional>
#include <memory>
#include <string>

#include "client/commands/commands.h"
#include "client/commands/paperwork.h"
#include "client/commands/report_output.h"
#include "client/commands/unit_ref.h"
#include "client/commands/validators.h"
#include "client/output/json.h"
#include "client/output/report_view.h"
#include "client/rpc/exit_codes.h"
#include "rectify/v1/reports.pb.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

struct OverdueOptions {
  int64_t unit_id = 0;
  int64_t review_id = 0;
  std::string as_of;
  std::string area;
  std::string owner;
  int min_days = 0;
  std::string group_by = "unit";
  ReportOutputOptions output;
};

struct StatsOptions {
  int64_t unit_id = 0;
  int64_t review_id = 0;
  std::string as_of;
  std::string by = "unit";
  ReportOutputOptions output;
};

// Writes `message` in the chosen format: the table, the CSV or the JSON document.
int WriteReport(Session& s, const ReportOutputOptions& o, const google::protobuf::Message& message,
                const std::function<std::string()>& table,
                const std::function<void(std::ostream&)>& csv) {
  std::unique_ptr<ReportOutput> output = ReportOutput::Open(s, o.path);
  if (output == nullptr) return kExitUsage;
  switch (ResolveFormat(s, o)) {
    case ReportFormat::kTable:
    case ReportFormat::kXlsx:  // not offered by these reports
      output->stream() << table();
      break;
    case ReportFormat::kCsv:
      csv(output->stream());
      break;
    case ReportFormat::kJson: {
      auto json = ToJson(message);
      if (!json.ok()) return s.FailUsage(std::string(json.status().message()));
      output->stream() << *json;
      break;
    }
  }
  return output->Commit() ? kExitOk : kExitOther;
}

int Overdue(Session& s, const OverdueOptions& o) {
  v1::OverdueReportRequest request;
  request.set_unit_id(o.unit_id);
  request.set_as_of(o.as_of);
  request.set_area(o.area);
  request.set_owner_person(o.owner);
  request.set_min_days_overdue(o.min_days);
  request.set_review_id(o.review_id);
  request.set_group_by(o.group_by == "owner"  ? v1::GROUP_BY_OWNER_PERSON
                       : o.group_by == "area" ? v1::GROUP_BY_AREA
                                              : v1::GROUP_BY_UNIT);
  v1::OverdueReportResponse report;
  auto status = s.Call(
      [&](grpc::ClientContext* c) { return s.rpc().reports().OverdueReport(c, request, &report); });
  if (!status.ok()) return s.Fail(status);
  return WriteReport(
      s, o.output, report, [&] { return OverdueReportText(report, s.lang()); },
      [&](std::ostream& out) { WriteOverdueCsv(report, s.lang(), out); });
}

int Stats(Session& s, const StatsOptions& o) {
  v1::StatisticsRequest request;
  request.set_unit_id(o.unit_id);
  request.set_as_of(o.as_of);
  request.set_by(o.by == "area" ? v1::STATISTICS_BY_AREA : v1::STATISTICS_BY_UNIT);
  request.set_review_id(o.review_id);
  v1::StatisticsResponse stats;
  auto status = s.Call(
      [&](grpc::ClientContext* c) { return s.rpc().reports().Statistics(c, request, &stats); });
  if (!status.ok()) return s.Fail(status);
  return WriteReport(
      s, o.output, stats, [&] { return StatisticsText(stats, s.lang()); },
      [&](std::ostream& out) { WriteStatisticsCsv(stats, s.lang(), out); });
}

void AddScopeOptions(CLI::App* cmd, int64_t* unit_id, int64_t* review_id, std::string* as_of) {
  AddUnitOption(cmd, "--unit", unit_id, "只统计此单位及其下级 / only this unit's subtree");
  cmd->add_option("--review", *review_id, "只统计此检视的任务 / only this review's tasks")
      ->type_name("ID")
      ->check(IdValidator());
  cmd->add_option("--as-of", *as_of, "统计日期，默认今天 / report as of this date (today)")
      ->type_name("DATE")
      ->transform(DateValidator());
}

void AddOverdue(CLI::App* report, Action* action) {
  auto o = std::make_shared<OverdueOptions>();
  CLI::App* cmd = report->add_subcommand(
      "overdue",
      "逾期清单：账龄、督办级别、最新进展 / overdue tasks with aging, escalation and "
      "the latest progress");
  AddScopeOptions(cmd, &o->unit_id, &o->review_id, &o->as_of);
  cmd->add_option("--area", o->area, "只列此方面 / only this area")
      ->type_name("AREA")
      ->check(Utf8Validator());
  cmd->add_option("--owner", o->owner, "只列此责任人 / only this responsible person")
      ->type_name("NAME")
      ->check(Utf8Validator());
  cmd->add_option("--min-days", o->min_days,
                  "至少逾期的天数 / only tasks overdue at least this many days")
      ->type_name("N")
      ->check(WholeNumberValidator(0, 36500));
  cmd->add_option("--group-by", o->group_by,
                  "分组：unit（责任单位，默认）、owner（责任人）、area（方面）/ group by unit "
                  "(default), owner or area")
      ->check(ChoiceValidator({"unit", "owner", "area"}))
      ->capture_default_str();
  AddReportOutputOptions(cmd, &o->output);
  cmd->footer(Examples({"rectify report overdue --unit 3 --as-of 2022-01-05",
                        "rectify report overdue --group-by owner --min-days 8",
                        "rectify report overdue --review 2",
                        "rectify report overdue --format csv -o 逾期清单.csv"}));
  OnRun(cmd, action, [o](Session& s) { return Overdue(s, *o); });
}

void AddStats(CLI::App* report, Action* action) {
  auto o = std::make_shared<StatsOptions>();
  CLI::App* cmd = report->add_subcommand(
      "stats", "整改进度统计：完成率、按期完成率 / statistics: completion and on-time rates");
  AddScopeOptions(cmd, &o->unit_id, &o->review_id, &o->as_of);
  cmd->add_option("--by", o->by,
                  "按 unit（单位，逐级汇总，默认）或 area（方面）统计 / by unit (rolled up the "
                  "tree, default) or by area")
      ->check(ChoiceValidator({"unit", "area"}))
      ->capture_default_str();
  AddReportOutputOptions(cmd, &o->output);
  cmd->footer(Examples({"rectify report stats --unit 1",
                        "rectify report stats --by area --as-of 2022-01-05",
                        "rectify report stats --review 2 --as-of 2022-01-05",
                        "rectify report stats --format csv -o 整改进度统计.csv"}));
  OnRun(cmd, action, [o](Session& s) { return Stats(s, *o); });
}

}  // namespace

void AddReportCommands(CLI::App& app, Action* action) {
  CLI::App* report = app.add_subcommand("report", "督查报表 / reports for supervisors");
  report->require_subcommand(1);
  report->footer(Examples({"rectify report overdue", "rectify report stats",
                           "rectify report document 1 -o 整改落实情况报告.docx"}));
  AddOverdue(report, action);
  AddStats(report, action);
  AddReportDocumentCommand(report, action);
}

}  // namespace rectify::client
