// import-ledger: loads an edited ledger (the exported .xlsx or CSV) back; shows the changes row
// by row and applies them all or none (client/commands/ledger_edits.h says which changes).
#include <fstream>
#include <iterator>
#include <map>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/commands/commands.h"
#include "client/commands/csv_reader.h"
#include "client/commands/ledger_edits.h"
#include "client/commands/paperwork.h"
#include "client/commands/validators.h"
#include "client/output/format.h"
#include "client/rpc/exit_codes.h"
#include "client/rpc/request_id.h"
#include "rectify/v1/import.grpc.pb.h"
#include "rectify/v1/org.grpc.pb.h"
#include "services/paperwork/workbook_reader.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

struct ImportLedgerOptions {
  std::string file;
  bool dry_run = false;
  std::string reason;  // 延期理由 of the rows that ask for a later deadline
};

// The file's rows: the 整改台账 sheet of a workbook, or the CSV.
absl::StatusOr<std::vector<LedgerFileRow>> ReadRows(const std::string& bytes, bool xlsx) {
  std::vector<LedgerFileRow> rows;
  if (xlsx) {
    absl::StatusOr<std::vector<paperwork::SheetRow>> sheet =
        paperwork::ReadWorksheet(bytes, "整改台账");
    if (!sheet.ok()) return sheet.status();
    for (paperwork::SheetRow& r : *sheet) rows.push_back({r.line, std::move(r.cells)});
    return rows;
  }
  absl::StatusOr<std::vector<CsvRow>> csv = ParseCsv(bytes);
  if (!csv.ok()) return csv.status();
  for (CsvRow& r : *csv) {
    for (std::string& f : r.fields) f = CsvCellText(f);
    rows.push_back({r.line, std::move(r.fields)});
  }
  return rows;
}

grpc::Status ListAllUnits(Session& s, std::vector<v1::OrgUnit>* units) {
  v1::ListUnitsRequest request;
  request.set_page_size(1000);
  while (true) {
    v1::ListUnitsResponse page;
    grpc::Status status =
        s.Call([&](grpc::ClientContext* c) { return s.rpc().org().ListUnits(c, request, &page); });
    if (!status.ok()) return status;
    for (const v1::OrgUnit& u : page.units()) units->push_back(u);
    if (page.next_page_token().empty()) return grpc::Status::OK;
    request.set_page_token(page.next_page_token());
  }
}

int ImportLedger(Session& s, const ImportLedgerOptions& o) {
  std::ifstream in(o.file, std::ios::binary);
  if (!in) return s.FailUsage(absl::StrCat("无法读取文件 ", o.file, " / cannot read ", o.file));
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const bool xlsx = absl::StartsWith(bytes, "PK");
  absl::StatusOr<std::vector<LedgerFileRow>> rows = ReadRows(bytes, xlsx);
  if (!rows.ok()) {
    s.err() << "错误: " << rows.status().message() << "\n";
    return kExitInvalidArgument;
  }
  const LedgerFile file = ReadLedgerFile(*rows, xlsx);

  std::vector<v1::LedgerRow> ledger;
  grpc::Status status = ReadLedger(s, v1::ExportLedgerRequest(), &ledger);
  if (!status.ok()) return s.Fail(status);
  std::map<int64_t, v1::Task> tasks;
  for (const v1::LedgerRow& r : ledger) {
    if (r.has_task()) tasks[r.task().id()] = r.task();
  }
  std::vector<v1::OrgUnit> units;
  status = ListAllUnits(s, &units);
  if (!status.ok()) return s.Fail(status);

  const LedgerPlan plan = PlanLedgerChanges(file, tasks, units);
  std::ostream& out = s.out();
  for (const LedgerChange& c : plan.changes) {
    out << "第 " << c.line << " 行  任务 " << c.task_id << "  " << absl::StrJoin(c.diffs, "；")
        << "\n";
  }
  if (!plan.errors.empty()) {
    s.err() << "错误: " << o.file << " 中有 " << plan.errors.size() << " 处问题，未做任何修改 / "
            << plan.errors.size() << (plan.errors.size() == 1 ? " problem" : " problems")
            << " in the file; nothing was changed\n";
    for (const std::string& e : plan.errors) s.err() << "  " << e << "\n";
    return kExitInvalidArgument;
  }
  std::string counts =
      absl::StrCat(plan.changes.size(), " 行有修改，", plan.unchanged, " 行未变 / ",
                   plan.changes.size(), " rows changed, ", plan.unchanged, " unchanged");
  if (plan.extensions > 0) {
    absl::StrAppend(&counts, "；其中 ", plan.extensions, " 行申请延期 / ", plan.extensions,
                    plan.extensions == 1 ? " row asks" : " rows ask", " for an extension");
  }
  // Why --reason is needed, in both languages, for the dry run's note and the refusal.
  const char* const kReasonZh =
      "文件中有已指派任务的整改时限被推后，须经延期申请：请用 --reason 说明延期理由（各行同用），"
      "申请将与其他修改一并提交，待上级审批";
  const char* const kReasonEn =
      "the file gives assigned tasks later deadlines, which go through extension requests: give "
      "--reason (used for every such row); the requests are filed with the other changes and "
      "wait for a decision";
  if (o.dry_run || plan.changes.empty()) {
    out << counts
        << (o.dry_run ? "；预演，未做任何修改 / dry run: nothing was changed\n"
                      : "；无需修改 / nothing to change\n");
    if (o.dry_run && plan.extensions > 0 && o.reason.empty()) {
      out << "注意：" << kReasonZh << " / note: " << kReasonEn << "\n";
    }
    return kExitOk;
  }
  if (plan.extensions > 0 && o.reason.empty()) {
    return s.FailUsage(
        absl::StrCat(kReasonZh, "；未做任何修改 / ", kReasonEn, "; nothing was changed"));
  }
  v1::AssignTasksRequest request;
  request.set_request_id(NewRequestId());
  for (const LedgerChange& c : plan.changes) {
    v1::TaskAssignmentRow* row = request.add_rows();
    *row = c.row;
    if (c.extension) row->set_extension_reason(o.reason);
  }
  v1::AssignTasksResponse response;
  auto stub = v1::ImportService::NewStub(s.rpc().channel());
  status = s.Call([&](grpc::ClientContext* c) { return stub->AssignTasks(c, request, &response); });
  if (!status.ok()) return s.Fail(status);
  out << counts << "；已全部生效 / all applied (" << response.changed_count() << ")\n";
  for (const v1::ExtensionRequest& x : response.extensions()) {
    out << "任务 " << x.task_id() << "  已申请延期至 " << x.requested_deadline() << "（延期申请 "
        << x.id() << "，待审批：rectify extension approve|deny " << x.id() << "） / task "
        << x.task_id() << ": extension request " << x.id() << " to " << x.requested_deadline()
        << " filed, pending a decision\n";
  }
  return kExitOk;
}

}  // namespace

void AddImportLedgerCommand(CLI::App& app, Action* action) {
  auto o = std::make_shared<ImportLedgerOptions>();
  CLI::App* cmd = app.add_subcommand(
      "import-ledger",
      "导回修改过的整改台账（.xlsx 或 .csv）：批量调整责任单位、责任人、责任领导，推后的整改时限"
      "转为延期申请，逐行显示变化，全部有效才生效 / load an edited ledger (.xlsx or .csv) back: "
      "owner unit, person and leader changes, later deadlines as extension requests, shown row "
      "by row, applied all or none");
  cmd->add_option("FILE", o->file, "rectify export 导出并修改过的文件 / the exported, edited file")
      ->required();
  cmd->add_flag("--dry-run", o->dry_run,
                "只显示将要做的修改，不生效 / show the changes without applying them");
  cmd->add_option("--reason", o->reason,
                  "延期理由：文件推后了已指派任务的整改时限时必填 / the reason of the extension "
                  "requests: required when the file gives assigned tasks later deadlines")
      ->type_name("TEXT")
      ->check(Utf8Validator());
  cmd->footer(absl::StrCat(
      "只调整待整改（含草稿）任务的责任人；草稿可同时填写整改时限。已指派（待整改、整改中）任务\n"
      "推后的整改时限转为延期申请（须 --reason），与其他修改在同一事务中提交，由上级按职责分离\n"
      "审批。任何一行有误则全部不生效，并逐行报告。\n"
      "/ Only OPEN tasks (drafts included) are reassigned; a draft may get its deadline too. A\n"
      "later deadline for an assigned (OPEN or IN_PROGRESS) task becomes an extension request\n"
      "(needs --reason), filed in the same transaction as the other changes and decided above\n"
      "under separation of duties. If any row is wrong nothing is applied and every bad row is\n"
      "listed.\n",
      Examples({"rectify export --format xlsx -o 整改台账.xlsx",
                "rectify import-ledger 整改台账.xlsx --dry-run",
                "rectify import-ledger 整改台账.xlsx --reason \"需协调上级师资\""})));
  OnRun(cmd, action, [o](Session& s) { return ImportLedger(s, *o); });
}

}  // namespace rectify::client
