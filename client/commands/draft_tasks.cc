// rectify task export-drafts | assign-csv: the committee fills in owner unit, person and deadline
// of the imported drafts in Excel or WPS (draft_csv.h), and loads the sheet back, all or nothing.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/commands/draft_csv.h"
#include "client/commands/import.h"
#include "client/commands/paging.h"
#include "client/commands/unit_ref.h"
#include "client/commands/validators.h"
#include "client/output/csv.h"
#include "client/output/format.h"
#include "client/output/task_view.h"
#include "client/rpc/exit_codes.h"
#include "client/rpc/request_id.h"
#include "rectify/v1/import.grpc.pb.h"
#include "rectify/v1/ledger.pb.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

struct ExportOptions {
  int64_t review_id = 0;
  std::string output;
};

struct AssignCsvOptions {
  std::string file;
};

// The review's drafts, and the text of every problem of the review by id.
grpc::Status FetchDrafts(Session& s, int64_t review_id, v1::ListTasksResponse* drafts,
                         std::map<int64_t, std::string>* problems) {
  v1::ListTasksRequest request;
  request.set_review_id(review_id);
  request.add_statuses(v1::OPEN);  // drafts are OPEN; the filter below keeps only them
  request.set_page_size(1000);
  v1::ListTasksResponse open;
  grpc::Status status = FetchAllPages(
      s, request,
      [&](grpc::ClientContext* c, const v1::ListTasksRequest& r, v1::ListTasksResponse* page) {
        return s.rpc().ledger().ListTasks(c, r, page);
      },
      [](const v1::ListTasksResponse& page, v1::ListTasksResponse* into) {
        into->mutable_tasks()->MergeFrom(page.tasks());
      },
      &open);
  if (!status.ok()) return status;
  for (const v1::Task& task : open.tasks()) {
    if (task.draft()) *drafts->add_tasks() = task;
  }
  v1::ListProblemsRequest problem_request;
  problem_request.set_review_id(review_id);
  problem_request.set_page_size(1000);
  v1::ListProblemsResponse all;
  status = FetchAllPages(
      s, problem_request,
      [&](grpc::ClientContext* c, const v1::ListProblemsRequest& r,
          v1::ListProblemsResponse* page) { return s.rpc().ledger().ListProblems(c, r, page); },
      [](const v1::ListProblemsResponse& page, v1::ListProblemsResponse* into) {
        into->mutable_problems()->MergeFrom(page.problems());
      },
      &all);
  if (!status.ok()) return status;
  for (const v1::Problem& p : all.problems()) (*problems)[p.id()] = p.text();
  return grpc::Status::OK;
}

int ExportDrafts(Session& s, const ExportOptions& o) {
  v1::ListTasksResponse drafts;
  std::map<int64_t, std::string> problems;
  grpc::Status status = FetchDrafts(s, o.review_id, &drafts, &problems);
  if (!status.ok()) return s.Fail(status);
  // Drafts in the document's order: the import created them in problem order, so by id
  // (ListTasks sorts by deadline, and drafts from a table may carry the document's deadlines).
  std::sort(drafts.mutable_tasks()->begin(), drafts.mutable_tasks()->end(),
            [](const v1::Task& a, const v1::Task& b) { return a.id() < b.id(); });
  // The owner unit as people name it (and assign-csv reads it back): its name, or its path when
  // another unit has the same name.
  std::vector<v1::OrgUnit> units;
  status = ListVisibleUnits(s, &units);
  if (!status.ok()) return s.Fail(status);
  const UnitDirectory directory(std::move(units));
  auto owner_unit = [&](const v1::Task& task) -> std::string {
    if (task.owner_unit_id() == 0) return "";
    const std::string reference = directory.ReferenceTo(task.owner_unit_id());
    return reference.empty() ? absl::StrCat(task.owner_unit_id()) : reference;
  };
  std::ostringstream csv;
  {
    CsvWriter writer(csv);
    writer.WriteRow(DraftCsvHeader(s.lang()));
    for (const v1::Task& task : drafts.tasks()) {
      writer.WriteRow(DraftCsvRow(task, problems[task.problem_id()], owner_unit(task)));
    }
  }
  const bool to_stdout = o.output == "-";
  if (to_stdout) {
    s.out() << csv.str() << std::flush;
  } else {
    std::ofstream file(o.output, std::ios::binary | std::ios::trunc);
    file << csv.str();
    file.close();
    if (!file)
      return s.FailUsage(absl::StrCat("无法写入 ", o.output, " / cannot write ", o.output));
  }
  if (drafts.tasks().empty()) {
    s.Note(absl::StrCat(
        Tr(s.lang(), "检视 ", "Review "), o.review_id,
        Tr(s.lang(), " 没有草稿任务（只写了表头）", " has no draft tasks (header only)")));
  }
  const std::string summary = absl::StrCat(
      Tr(s.lang(), "已导出 ", "Exported "), drafts.tasks_size(),
      Tr(s.lang(), " 个草稿任务到 ", " draft tasks to "), o.output,
      Tr(s.lang(),
         "；填写责任单位（单位名称，重名时填路径如 党委/第一支部）、责任人、整改时限后用 "
         "rectify task assign-csv 导回",
         "; fill in the owner unit (its name, or its path such as 党委/第一支部 where two units "
         "share the name), owner person and deadline, then load it back with rectify task "
         "assign-csv"));
  if (to_stdout) {
    s.Note(summary);
    return kExitOk;
  }
  return s.Show(drafts, [&] { return summary + "\n"; });
}

int AssignCsv(Session& s, const AssignCsvOptions& o) {
  std::ifstream in(o.file, std::ios::binary);
  if (!in) return s.FailUsage(absl::StrCat("无法读取文件 ", o.file, " / cannot read ", o.file));
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  // Units named by name or path are looked up once, on the first such cell.
  std::unique_ptr<UnitDirectory> units;
  grpc::Status units_status;
  const AssignmentSheet sheet =
      ReadAssignmentSheet(bytes, [&](const std::string& text) -> absl::StatusOr<int64_t> {
        if (units == nullptr && units_status.ok()) {
          std::vector<v1::OrgUnit> list;
          units_status = ListVisibleUnits(s, &list);
          if (units_status.ok()) units = std::make_unique<UnitDirectory>(std::move(list));
        }
        if (units == nullptr) {
          return absl::UnavailableError(absl::StrCat("无法读取单位列表 / cannot list the units: ",
                                                     units_status.error_message()));
        }
        return units->Resolve(text);
      });
  if (!units_status.ok()) return s.Fail(units_status);
  if (!sheet.ignored_columns.empty()) {
    s.Note(absl::StrCat("提示: 忽略不认识的列 / ignoring unknown columns: ",
                        absl::StrJoin(sheet.ignored_columns, ", ")));
  }
  if (!sheet.errors.empty()) {
    s.err() << "错误: " << o.file << " 中有 " << sheet.errors.size() << " 处问题，未做任何修改 / "
            << sheet.errors.size() << (sheet.errors.size() == 1 ? " problem" : " problems")
            << " in the file; nothing was changed\n";
    for (const std::string& e : sheet.errors) s.err() << "  " << e << "\n";
    return kExitInvalidArgument;
  }
  if (!sheet.unassigned_measures.empty()) {
    // A measure edited on a row that is not being assigned would be lost: refuse the sheet.
    std::vector<std::string> edited;
    for (const AssignmentSheet::MeasureCell& m : sheet.unassigned_measures) {
      v1::GetTaskRequest get;
      get.set_id(m.task_id);
      v1::Task task;
      grpc::Status got =
          s.Call([&](grpc::ClientContext* c) { return s.rpc().ledger().GetTask(c, get, &task); });
      if (!got.ok()) return s.Fail(got);
      if (NormaliseMeasureCell(task.measure()) == m.measure) continue;
      edited.push_back(
          absl::StrCat("第 ", m.line, " 行 / line ", m.line,
                       ": 整改措施已修改，但该行未填写责任人和整改时限，修改不会生效 / "
                       "the measure was edited but the row assigns nothing, so the "
                       "edit would be lost"));
    }
    if (!edited.empty()) {
      s.err()
          << "错误: " << o.file << " 中有 " << edited.size()
          << " 行修改了整改措施却未指派，未做任何修改；请同时填写责任人和整改时限，或用 rectify "
             "task edit-measure 修改草稿措施 / "
          << edited.size()
          << " rows edit the measure without assigning; nothing was changed: fill in the "
             "person and deadline too, or use rectify task edit-measure\n";
      for (const std::string& e : edited) s.err() << "  " << e << "\n";
      return kExitInvalidArgument;
    }
  }
  if (!sheet.blank_lines.empty()) {
    s.Note(absl::StrCat(
        Tr(s.lang(), "提示: 第 ", "Note: lines "), absl::StrJoin(sheet.blank_lines, "、"),
        Tr(s.lang(), " 行未填写责任人和时限，仍为草稿", " are not filled in and stay drafts")));
  }
  if (sheet.rows.empty()) {
    s.Note(Tr(s.lang(), "没有要指派的行，未做任何修改。", "No row to assign; nothing changed."));
    return kExitOk;
  }
  v1::AssignTasksRequest request;
  request.set_request_id(NewRequestId());
  for (const v1::TaskAssignmentRow& row : sheet.rows) *request.add_rows() = row;
  v1::AssignTasksResponse response;
  auto stub = v1::ImportService::NewStub(s.rpc().channel());
  grpc::Status status =
      s.Call([&](grpc::ClientContext* c) { return stub->AssignTasks(c, request, &response); });
  if (!status.ok()) return s.Fail(status);
  return s.Show(response, [&] {
    return absl::StrCat(TaskListText(response.tasks(), s.lang()),
                        Tr(s.lang(), "已指派 ", "Assigned "), response.tasks_size(),
                        Tr(s.lang(), " 个任务，其中 ", " tasks, "), response.changed_count(),
                        Tr(s.lang(), " 个有变化。\n", " changed.\n"));
  });
}

}  // namespace

void AddDraftTaskCommands(CLI::App& task, Action* action) {
  {
    auto o = std::make_shared<ExportOptions>();
    CLI::App* cmd = task.add_subcommand(
        "export-drafts",
        "把检视的草稿任务导出为 CSV（UTF-8 带 BOM，可用 Excel/WPS 打开）/ export a review's "
        "draft tasks as CSV for Excel or WPS");
    cmd->add_option("--review", o->review_id, "检视 ID / review id")
        ->type_name("ID")
        ->required()
        ->check(IdValidator());
    cmd->add_option("-o,--output", o->output, "输出文件，- 为标准输出 / output file, - for stdout")
        ->type_name("FILE.csv")
        ->required();
    cmd->footer(Examples({"rectify task export-drafts --review 5 -o drafts.csv"}));
    OnRun(cmd, action, [o](Session& s) { return ExportDrafts(s, *o); });
  }
  {
    auto o = std::make_shared<AssignCsvOptions>();
    CLI::App* cmd = task.add_subcommand(
        "assign-csv",
        "按填好的 CSV 指派责任单位、责任人和整改时限，全部有效才生效 / assign owners and "
        "deadlines from a filled-in CSV; all rows or none");
    cmd->add_option("FILE", o->file, "填好的 CSV / the filled-in CSV")->required();
    cmd->footer(absl::StrCat(
        "表头可为中文或英文：任务ID 版本 责任单位（单位名称、路径或编号）责任人 责任领导 "
        "整改时限 整改措施（方面、问题\n"
        "仅供阅读）。整改时限填 2022-03-31、2022/3/31 或 "
        "2022年3月31日；长期坚持填“长期坚持:30”（每 30 "
        "天报告）。\n"
        "责任人、责任领导、整改时限都空着的行保持草稿。任何一行有误则全部不生效，并逐行报告。\n"
        "/ Headers in Chinese or English; deadline 2022-03-31, 2022/3/31 or ongoing:30. Rows left\n"
        "blank stay drafts. If any row is wrong nothing is applied and every bad row is listed.\n",
        Examples({"rectify task assign-csv drafts.csv"})));
    OnRun(cmd, action, [o](Session& s) { return AssignCsv(s, *o); });
  }
}

}  // namespace rectify::client
