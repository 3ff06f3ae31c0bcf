// report overdue: the overdue list (逾期清单, ReportService).
#include <memory>
#include <string>

#include "client/commands/commands.h"
#include "client/commands/validators.h"
#include "client/output/task_view.h"
#include "rectify/v1/reports.pb.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

struct OverdueOptions {
  int64_t unit_id = 0;
  std::string as_of;
};

int Overdue(Session& s, const OverdueOptions& o) {
  v1::OverdueReportRequest request;
  request.set_unit_id(o.unit_id);
  request.set_as_of(o.as_of);
  v1::OverdueReportResponse report;
  auto status = s.Call(
      [&](grpc::ClientContext* c) { return s.rpc().reports().OverdueReport(c, request, &report); });
  if (!status.ok()) return s.Fail(status);
  return s.Show(report, [&] { return OverdueReportText(report, s.lang()); });
}

}  // namespace

void AddReportCommands(CLI::App& app, Action* action) {
  CLI::App* report = app.add_subcommand("report", "督查报表 / reports for supervisors");
  report->require_subcommand(1);
  report->footer(Examples({"rectify report overdue"}));

  auto o = std::make_shared<OverdueOptions>();
  CLI::App* cmd = report->add_subcommand(
      "overdue", "逾期清单，按责任单位分组 / overdue tasks grouped by owner unit");
  cmd->add_option("--unit", o->unit_id, "只统计此单位及其下级 / only this unit's subtree")
      ->type_name("ID")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--as-of", o->as_of, "统计日期，默认今天 / report as of this date (today)")
      ->type_name("DATE")
      ->check(DateValidator());
  cmd->footer(Examples({"rectify report overdue --unit 3 --as-of 2022-01-05"}));
  OnRun(cmd, action, [o](Session& s) { return Overdue(s, *o); });
}

}  // namespace rectify::client
