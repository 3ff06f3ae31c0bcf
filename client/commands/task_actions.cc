// task start | progress | submit | accept | return | ongoing | reopen | cancel: every state
// transition of a task (LedgerService). Each takes --expect-version and sends a fresh request_id.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/commands/commands.h"
#include "client/commands/evidence.h"
#include "client/commands/validators.h"
#include "client/output/format.h"
#include "client/output/task_view.h"
#include "client/rpc/request_id.h"
#include "rectify/v1/ledger.pb.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

// Options shared by the transitions; each verb uses the ones it needs.
struct ActionOptions {
  int64_t id = 0;
  int64_t expected_version = 0;
  std::string text;  // summary, reason or note
  int cadence_days = 0;
};

struct ProgressOptions {
  int64_t id = 0;
  int64_t expected_version = 0;
  std::string text;
  int percent = 0;
  std::vector<std::string> evidence_paths;
};

using TransitionCall = std::function<grpc::Status(grpc::ClientContext*, v1::Task*)>;

// Runs one transition and prints where the task is now.
int RunTransition(Session& s, const TransitionCall& call) {
  v1::Task task;
  auto status = s.Call([&](grpc::ClientContext* c) { return call(c, &task); });
  if (!status.ok()) return s.Fail(status);
  return s.Show(task, [&] { return TaskStatusLine(task, s.lang()); });
}

// The fields every transition request has.
template <typename Request>
Request NewRequest(int64_t id, int64_t expected_version) {
  Request request;
  request.set_request_id(NewRequestId());
  request.set_id(id);
  request.set_expected_version(expected_version);
  return request;
}

int Start(Session& s, const ActionOptions& o) {
  auto r = NewRequest<v1::StartTaskRequest>(o.id, o.expected_version);
  return RunTransition(s, [&](auto* c, auto* t) { return s.rpc().ledger().StartTask(c, r, t); });
}

int Submit(Session& s, const ActionOptions& o) {
  auto r = NewRequest<v1::SubmitTaskRequest>(o.id, o.expected_version);
  r.set_summary(o.text);
  return RunTransition(s, [&](auto* c, auto* t) { return s.rpc().ledger().SubmitTask(c, r, t); });
}

int Accept(Session& s, const ActionOptions& o) {
  auto r = NewRequest<v1::AcceptTaskRequest>(o.id, o.expected_version);
  r.set_note(o.text);
  return RunTransition(s, [&](auto* c, auto* t) { return s.rpc().ledger().AcceptTask(c, r, t); });
}

int Return(Session& s, const ActionOptions& o) {
  auto r = NewRequest<v1::ReturnTaskRequest>(o.id, o.expected_version);
  r.set_reason(o.text);
  return RunTransition(s, [&](auto* c, auto* t) { return s.rpc().ledger().ReturnTask(c, r, t); });
}

int Ongoing(Session& s, const ActionOptions& o) {
  auto r = NewRequest<v1::MarkOngoingRequest>(o.id, o.expected_version);
  r.set_cadence_days(o.cadence_days);
  r.set_note(o.text);
  return RunTransition(s, [&](auto* c, auto* t) { return s.rpc().ledger().MarkOngoing(c, r, t); });
}

int Reopen(Session& s, const ActionOptions& o) {
  auto r = NewRequest<v1::ReopenTaskRequest>(o.id, o.expected_version);
  r.set_reason(o.text);
  return RunTransition(s, [&](auto* c, auto* t) { return s.rpc().ledger().ReopenTask(c, r, t); });
}

int Cancel(Session& s, const ActionOptions& o) {
  auto r = NewRequest<v1::CancelTaskRequest>(o.id, o.expected_version);
  r.set_reason(o.text);
  return RunTransition(s, [&](auto* c, auto* t) { return s.rpc().ledger().CancelTask(c, r, t); });
}

std::string ProgressText(const v1::ReportProgressResponse& response, Lang lang) {
  std::string out = absl::StrCat(Tr(lang, "进展反馈 ", "progress report "), response.report().id(),
                                 Tr(lang, " 已记录", " recorded"), "\n");
  for (const v1::Evidence& e : response.report().evidence()) {
    absl::StrAppend(&out, "  ", e.file_name(), "  ", SizeText(e.size_bytes()),
                    "  sha256:", e.sha256(), "\n");
  }
  return out + TaskStatusLine(response.task(), lang);
}

int Progress(Session& s, const ProgressOptions& o) {
  auto r = NewRequest<v1::ReportProgressRequest>(o.id, o.expected_version);
  r.set_text(o.text);
  r.set_percent(o.percent);
  // Every file is read before the call: a bad path must not leave half a report behind.
  for (const std::string& path : o.evidence_paths) {
    auto evidence = ReadEvidence(path);
    if (!evidence.ok()) return s.FailUsage(std::string(evidence.status().message()));
    *r.add_evidence() = *std::move(evidence);
  }
  v1::ReportProgressResponse response;
  auto status = s.Call(
      [&](grpc::ClientContext* c) { return s.rpc().ledger().ReportProgress(c, r, &response); });
  if (!status.ok()) return s.Fail(status);
  return s.Show(response, [&] { return ProgressText(response, s.lang()); });
}

// A transition verb: ID, --expect-version, its help and example.
CLI::App* AddVerb(CLI::App& task, const char* name, const char* description, const char* example,
                  ActionOptions* o) {
  CLI::App* cmd = task.add_subcommand(name, description);
  cmd->add_option("ID", o->id, "任务 ID / task id")->required()->check(IdValidator());
  AddExpectVersion(cmd, &o->expected_version);
  cmd->footer(Examples({example}));
  return cmd;
}

// Adds `--NAME TEXT` (required or not) to `cmd`, stored in `o->text`.
void AddText(CLI::App* cmd, const char* flag, const char* description, bool required,
             ActionOptions* o) {
  CLI::Option* option =
      cmd->add_option(flag, o->text, description)->type_name("TEXT")->check(Utf8Validator());
  if (required) option->required();
}

void AddProgress(CLI::App& task, Action* action) {
  auto o = std::make_shared<ProgressOptions>();
  CLI::App* cmd = task.add_subcommand(
      "progress", "进展反馈，可附证明材料（待整改的任务随之开始）/ report progress with evidence");
  cmd->add_option("ID", o->id, "任务 ID / task id")->required()->check(IdValidator());
  AddExpectVersion(cmd, &o->expected_version);
  cmd->add_option("--text", o->text, "进展情况 / what was done")
      ->required()
      ->check(Utf8Validator());
  cmd->add_option("--percent", o->percent, "完成进度 0-100 / progress percent")
      ->type_name("N")
      ->required()
      ->check(WholeNumberValidator(0, 100));
  cmd->add_option("--evidence", o->evidence_paths,
                  "证明材料文件，可重复；按扩展名判断类型 / evidence file, repeatable")
      ->type_name("FILE")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->footer(
      Examples({"rectify task progress 12 --text \"已完成第一轮走访\" --percent 40 "
                "--evidence 走访记录.pdf --evidence 照片.jpg"}));
  OnRun(cmd, action, [o](Session& s) { return Progress(s, *o); });
}

}  // namespace

void AddTaskActionCommands(CLI::App& task, Action* action) {
  {
    auto o = std::make_shared<ActionOptions>();
    CLI::App* cmd = AddVerb(task, "start", "开始整改：待整改 → 整改中 / start: open → in progress",
                            "rectify task start 12 --expect-version 1", o.get());
    OnRun(cmd, action, [o](Session& s) { return Start(s, *o); });
  }
  AddProgress(task, action);
  {
    auto o = std::make_shared<ActionOptions>();
    CLI::App* cmd =
        AddVerb(task, "submit", "申请销号：→ 待验收 / submit for verification: → submitted",
                "rectify task submit 12 --summary \"已建立走访制度并落实\"", o.get());
    AddText(cmd, "--summary", "完成情况 / completion summary", true, o.get());
    OnRun(cmd, action, [o](Session& s) { return Submit(s, *o); });
  }
  {
    auto o = std::make_shared<ActionOptions>();
    CLI::App* cmd =
        AddVerb(task, "accept", "验收销号：待验收 → 已销号 / accept: submitted → closed",
                "rectify task accept 12 --note \"经核查已整改到位\"", o.get());
    AddText(cmd, "--note", "验收意见 / verification note", false, o.get());
    OnRun(cmd, action, [o](Session& s) { return Accept(s, *o); });
  }
  {
    auto o = std::make_shared<ActionOptions>();
    CLI::App* cmd =
        AddVerb(task, "return", "退回：待验收 → 整改中 / return: submitted → in progress",
                "rectify task return 12 --reason \"证明材料不足\"", o.get());
    AddText(cmd, "--reason", "退回原因 / why it is returned", true, o.get());
    OnRun(cmd, action, [o](Session& s) { return Return(s, *o); });
  }
  {
    auto o = std::make_shared<ActionOptions>();
    CLI::App* cmd =
        AddVerb(task, "ongoing", "转为长期坚持 / mark long-term (ongoing) with a report cadence",
                "rectify task ongoing 12 --every 30 --note \"需长期坚持\"", o.get());
    cmd->add_option("--every", o->cadence_days, "每 DAYS 天报告一次 / report every DAYS days")
        ->type_name("DAYS")
        ->required()
        ->check(WholeNumberValidator(1, 366));
    AddText(cmd, "--note", "说明 / why it is long-term", false, o.get());
    OnRun(cmd, action, [o](Session& s) { return Ongoing(s, *o); });
  }
  {
    auto o = std::make_shared<ActionOptions>();
    CLI::App* cmd =
        AddVerb(task, "reopen", "重新打开：已销号 → 整改中 / reopen: closed → in progress",
                "rectify task reopen 12 --reason \"回头看发现问题反弹\"", o.get());
    AddText(cmd, "--reason", "重新打开的原因 / why it is reopened", true, o.get());
    OnRun(cmd, action, [o](Session& s) { return Reopen(s, *o); });
  }
  {
    auto o = std::make_shared<ActionOptions>();
    CLI::App* cmd = AddVerb(task, "cancel", "撤销任务 / cancel (withdraw) a task",
                            "rectify task cancel 12 --reason \"与任务 11 重复\"", o.get());
    AddText(cmd, "--reason", "撤销原因 / why it is withdrawn", true, o.get());
    OnRun(cmd, action, [o](Session& s) { return Cancel(s, *o); });
  }
}

}  // namespace rectify::client
