// report document: the written report on a review's rectification (整改落实情况报告, .docx),
// made from the review, its owning unit and its ledger with progress and extensions.
#include <memory>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "client/commands/paperwork.h"
#include "client/commands/validators.h"
#include "client/rpc/exit_codes.h"
#include "rectify/v1/ledger.grpc.pb.h"
#include "rectify/v1/org.grpc.pb.h"
#include "services/paperwork/rectification_report.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

struct DocumentOptions {
  int64_t review_id = 0;
  std::string as_of;
  std::string path;
};

int Document(Session& s, const DocumentOptions& o) {
  paperwork::ReportInput input;
  v1::GetReviewRequest get_review;
  get_review.set_id(o.review_id);
  grpc::Status status = s.Call([&](grpc::ClientContext* c) {
    return s.rpc().ledger().GetReview(c, get_review, &input.review);
  });
  if (!status.ok()) return s.Fail(status);
  v1::GetUnitRequest get_unit;
  get_unit.set_id(input.review.unit_id());
  v1::OrgUnit unit;
  status =
      s.Call([&](grpc::ClientContext* c) { return s.rpc().org().GetUnit(c, get_unit, &unit); });
  if (!status.ok()) return s.Fail(status);
  input.unit_name = unit.name();
  input.zone = s.zone();
  input.as_of = o.as_of.empty() ? absl::FormatTime("%Y-%m-%d", absl::Now(), s.zone()) : o.as_of;

  v1::ExportLedgerRequest ledger;
  ledger.set_review_id(o.review_id);
  ledger.set_with_history(true);
  status = ReadLedger(s, ledger, &input.rows);
  if (!status.ok()) return s.Fail(status);
  absl::StatusOr<std::string> bytes = paperwork::RectificationReportDocx(input);
  if (!bytes.ok()) return s.FailUsage(std::string(bytes.status().message()));
  return WriteBinary(s, o.path, *bytes);
}

}  // namespace

void AddReportDocumentCommand(CLI::App* report, Action* action) {
  auto o = std::make_shared<DocumentOptions>();
  CLI::App* cmd = report->add_subcommand(
      "document",
      "整改落实情况报告（Word .docx）：总体情况、逐项整改情况、长期坚持措施 / the written report "
      "on a review's rectification as a Word document");
  cmd->add_option("REVIEW_ID", o->review_id, "检视 ID / review id")
      ->required()
      ->check(IdValidator("检视编号", "a review id"));
  cmd->add_option("--as-of", o->as_of, "截至日期，默认今天 / report as of this date (today)")
      ->type_name("DATE")
      ->check(DateValidator());
  cmd->add_option("-o,--output", o->path,
                  "写入文件而非标准输出 / write to this file instead of stdout")
      ->type_name("FILE");
  cmd->footer(Examples({"rectify report document 1 --as-of 2022-03-31 > 整改落实情况报告.docx",
                        "rectify report document 1 -o 整改落实情况报告.docx"}));
  OnRun(cmd, action, [o](Session& s) { return Document(s, *o); });
}

}  // namespace rectify::client
