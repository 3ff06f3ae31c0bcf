// Correcting an import while its tasks are drafts (ImportService): `review withdraw-import`,
// `problem edit`, `task edit-measure`, `task add-measure`. Each sends a fresh request_id.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/commands/commands.h"
#include "client/commands/import.h"
#include "client/commands/validators.h"
#include "client/output/format.h"
#include "client/output/task_view.h"
#include "client/rpc/request_id.h"
#include "rectify/v1/import.grpc.pb.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

struct FixOptions {
  int64_t id = 0;
  int64_t expected_version = 0;
  std::string text;
};

int Withdraw(Session& s, const FixOptions& o) {
  v1::WithdrawImportRequest r;
  r.set_request_id(NewRequestId());
  r.set_review_id(o.id);
  r.set_reason(o.text);
  v1::WithdrawImportResponse done;
  auto stub = v1::ImportService::NewStub(s.rpc().channel());
  grpc::Status status =
      s.Call([&](grpc::ClientContext* c) { return stub->WithdrawImport(c, r, &done); });
  if (!status.ok()) return s.Fail(status);
  return s.Show(done, [&] {
    return absl::StrCat(Tr(s.lang(), "已撤回导入：检视 ", "Import withdrawn: review "),
                        done.review().id(), Tr(s.lang(), "，撤销草稿任务 ", "; drafts cancelled: "),
                        done.cancelled_task_ids_size() == 0
                            ? std::string("-")
                            : absl::StrJoin(done.cancelled_task_ids(), ", "),
                        Tr(s.lang(), "。可修改材料后重新导入。\n",
                           ". The corrected document can be imported again.\n"));
  });
}

int EditProblem(Session& s, const FixOptions& o) {
  v1::CorrectProblemRequest r;
  r.set_request_id(NewRequestId());
  r.set_problem_id(o.id);
  r.set_text(o.text);
  v1::Problem problem;
  auto stub = v1::ImportService::NewStub(s.rpc().channel());
  grpc::Status status =
      s.Call([&](grpc::ClientContext* c) { return stub->CorrectProblem(c, r, &problem); });
  if (!status.ok()) return s.Fail(status);
  return s.Show(problem, [&] {
    return absl::StrCat(Tr(s.lang(), "问题 ", "Problem "), problem.id(),
                        Tr(s.lang(), " 已更正：", " corrected: "), problem.text(), "\n");
  });
}

// Runs `call` (retried by Session::Call: it must send the same request, request_id included,
// every time) and shows the task it answers.
int TaskCall(Session& s, const std::function<grpc::Status(v1::ImportService::Stub&,
                                                          grpc::ClientContext*, v1::Task*)>& call) {
  v1::Task task;
  auto stub = v1::ImportService::NewStub(s.rpc().channel());
  grpc::Status status = s.Call([&](grpc::ClientContext* c) { return call(*stub, c, &task); });
  if (!status.ok()) return s.Fail(status);
  return s.Show(task, [&] {
    return absl::StrCat(TaskStatusLine(task, s.lang()), Tr(s.lang(), "整改措施：", "Measure: "),
                        task.measure(), "\n");
  });
}

CLI::App* AddText(CLI::App* cmd, const char* flag, const char* help, std::string* text) {
  cmd->add_option(flag, *text, help)->required()->check(Utf8Validator());
  return cmd;
}

}  // namespace

void AddImportFixCommands(CLI::App& app, Action* action) {
  CLI::App& review = *app.get_subcommand("review");
  CLI::App& problem = *app.get_subcommand("problem");
  CLI::App& task = *app.get_subcommand("task");
  {
    auto o = std::make_shared<FixOptions>();
    CLI::App* cmd = review.add_subcommand(
        "withdraw-import",
        "撤回误导入的材料：撤销其全部草稿任务，可修改后重新导入（任务均未指派时）/ withdraw a "
        "mistaken import: cancel all its drafts so the corrected document can be imported again");
    cmd->add_option("ID", o->id, "检视 ID / review id")->required()->check(IdValidator());
    AddText(cmd, "--reason", "撤回原因 / why", &o->text);
    cmd->footer(Examples({"rectify review withdraw-import 7 --reason \"导入了旧版材料\""}));
    OnRun(cmd, action, [o](Session& s) { return Withdraw(s, *o); });
  }
  {
    auto o = std::make_shared<FixOptions>();
    CLI::App* cmd = problem.add_subcommand(
        "edit", "更正导入问题的文字（其任务均为草稿时）/ correct an imported problem's text");
    cmd->add_option("ID", o->id, "问题 ID / problem id")->required()->check(IdValidator());
    AddText(cmd, "--text", "更正后的问题 / corrected text", &o->text);
    cmd->footer(Examples({"rectify problem edit 31 --text \"调研指导不够深入\""}));
    OnRun(cmd, action, [o](Session& s) { return EditProblem(s, *o); });
  }
  {
    auto o = std::make_shared<FixOptions>();
    CLI::App* cmd = task.add_subcommand("edit-measure",
                                        "更正草稿任务的整改措施 / correct a draft task's measure");
    cmd->add_option("ID", o->id, "任务 ID / task id")->required()->check(IdValidator());
    AddText(cmd, "--measure", "更正后的整改措施 / corrected measure", &o->text);
    AddExpectVersion(cmd, &o->expected_version);
    cmd->footer(Examples({"rectify task edit-measure 45 --measure \"每季度到联系点调研一次\""}));
    OnRun(cmd, action, [o](Session& s) {
      // One request_id for every attempt: a retried correction is applied once.
      const std::string request_id = NewRequestId();
      return TaskCall(s, [&](v1::ImportService::Stub& stub, grpc::ClientContext* c, v1::Task* t) {
        v1::CorrectDraftMeasureRequest r;
        r.set_request_id(request_id);
        r.set_id(o->id);
        r.set_expected_version(o->expected_version);
        r.set_measure(o->text);
        return stub.CorrectDraftMeasure(c, r, t);
      });
    });
  }
  {
    auto o = std::make_shared<FixOptions>();
    CLI::App* cmd = task.add_subcommand(
        "add-measure",
        "为问题再增加一条整改措施（新的草稿任务）/ give a problem another measure (a new draft "
        "task)");
    cmd->add_option("--problem", o->id, "问题 ID / problem id")
        ->type_name("ID")
        ->required()
        ->check(IdValidator());
    AddText(cmd, "--measure", "整改措施 / the measure", &o->text);
    cmd->footer(Examples({"rectify task add-measure --problem 31 --measure \"建立调研台账\""}));
    OnRun(cmd, action, [o](Session& s) {
      // One request_id for every attempt: a retry after a lost answer adds no second draft.
      const std::string request_id = NewRequestId();
      return TaskCall(s, [&](v1::ImportService::Stub& stub, grpc::ClientContext* c, v1::Task* t) {
        v1::AddDraftMeasureRequest r;
        r.set_request_id(request_id);
        r.set_problem_id(o->id);
        r.set_measure(o->text);
        return stub.AddDraftMeasure(c, r, t);
      });
    });
  }
}

}  // namespace rectify::client
