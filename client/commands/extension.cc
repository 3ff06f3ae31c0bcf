// extension request | approve | deny: deadline extensions (延期申请, LedgerService).
#include <memory>
#include <string>

#include "client/commands/commands.h"
#include "client/commands/validators.h"
#include "client/output/views.h"
#include "client/rpc/request_id.h"
#include "rectify/v1/ledger.pb.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

struct RequestOptions {
  int64_t task_id = 0;
  int64_t expected_version = 0;
  std::string to;
  std::string reason;
};

struct DecideOptions {
  int64_t extension_id = 0;
  std::string note;
};

int Request(Session& s, const RequestOptions& o) {
  v1::RequestExtensionRequest request;
  request.set_request_id(NewRequestId());
  request.set_id(o.task_id);
  request.set_expected_version(o.expected_version);
  request.set_requested_deadline(o.to);
  request.set_reason(o.reason);
  v1::ExtensionRequest ext;
  auto status = s.Call(
      [&](grpc::ClientContext* c) { return s.rpc().ledger().RequestExtension(c, request, &ext); });
  if (!status.ok()) return s.Fail(status);
  return s.Show(ext, [&] { return ExtensionLine(ext, s.lang()); });
}

int Decide(Session& s, const DecideOptions& o, bool approve) {
  v1::DecideExtensionRequest request;
  request.set_request_id(NewRequestId());
  request.set_extension_id(o.extension_id);
  request.set_approve(approve);
  request.set_note(o.note);
  v1::ExtensionRequest ext;
  auto status = s.Call(
      [&](grpc::ClientContext* c) { return s.rpc().ledger().DecideExtension(c, request, &ext); });
  if (!status.ok()) return s.Fail(status);
  return s.Show(ext, [&] { return ExtensionLine(ext, s.lang()); });
}

void AddDecision(CLI::App* extension, Action* action, bool approve) {
  auto o = std::make_shared<DecideOptions>();
  CLI::App* cmd = extension->add_subcommand(
      approve ? "approve" : "deny",
      approve ? "批准延期，任务时限随之调整 / approve: the task's deadline moves"
              : "不批准延期，时限不变 / deny: the deadline stays");
  cmd->add_option("EXT_ID", o->extension_id, "延期申请 ID / extension request id")
      ->required()
      ->check(IdValidator());
  cmd->add_option("--note", o->note, "审批意见 / note with the decision")
      ->type_name("TEXT")
      ->check(Utf8Validator());
  cmd->footer(Examples({approve ? "rectify extension approve 3 --note \"同意延期\""
                                : "rectify extension deny 3 --note \"理由不充分\""}));
  OnRun(cmd, action, [o, approve](Session& s) { return Decide(s, *o, approve); });
}

}  // namespace

void AddExtensionCommands(CLI::App& app, Action* action) {
  CLI::App* extension = app.add_subcommand("extension", "延期申请 / deadline extensions");
  extension->require_subcommand(1);
  extension->footer(Examples({"rectify extension request 12 --to 2022-03-31 --reason \"...\""}));
  {
    auto o = std::make_shared<RequestOptions>();
    CLI::App* cmd = extension->add_subcommand(
        "request",
        "申请延长整改时限（每个任务同时只能有一个待审批申请）/ ask for a later deadline");
    cmd->add_option("TASK_ID", o->task_id, "任务 ID / task id")->required()->check(IdValidator());
    cmd->add_option("--to", o->to, "申请的新时限 / requested deadline")
        ->required()
        ->type_name("DATE")
        ->transform(DateValidator());
    cmd->add_option("--reason", o->reason, "延期理由 / why")
        ->type_name("TEXT")
        ->required()
        ->check(Utf8Validator());
    AddExpectVersion(cmd, &o->expected_version);
    cmd->footer(
        Examples({"rectify extension request 12 --to 2022-03-31 "
                  "--reason \"涉及跨部门协调，需延期\""}));
    OnRun(cmd, action, [o](Session& s) { return Request(s, *o); });
  }
  AddDecision(extension, action, /*approve=*/true);
  AddDecision(extension, action, /*approve=*/false);
}

}  // namespace rectify::client
