// task urge: 催办/督办 (LedgerService.UrgeTask). The note becomes an event the owner unit sees in
// its event stream and in the task's history.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "client/commands/commands.h"
#include "client/commands/validators.h"
#include "client/output/format.h"
#include "client/rpc/request_id.h"
#include "rectify/v1/ledger.grpc.pb.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

struct UrgeOptions {
  int64_t id = 0;
  std::string note;
};

int Urge(Session& s, const UrgeOptions& o) {
  v1::UrgeTaskRequest request;
  request.set_request_id(NewRequestId());  // one id for every retry: urged once
  request.set_id(o.id);
  request.set_note(o.note);
  v1::Event event;
  auto status =
      s.Call([&](grpc::ClientContext* c) { return s.rpc().ledger().UrgeTask(c, request, &event); });
  if (!status.ok()) return s.Fail(status);
  return s.Show(event, [&] {
    return absl::StrCat(Tr(s.lang(), "已催办任务 ", "urged task "), event.task_id(),
                        Tr(s.lang(), "（事件序号 ", " (event seq "), event.seq(),
                        Tr(s.lang(), "）", ")"), "\n");
  });
}

}  // namespace

void AddUrgeCommand(CLI::App& task, Action* action) {
  auto o = std::make_shared<UrgeOptions>();
  CLI::App* cmd = task.add_subcommand(
      "urge", "催办/督办：给责任单位发一条督促意见 / urge a task: a note its owner sees");
  cmd->add_option("ID", o->id, "任务 ID / task id")->required()->check(IdValidator());
  cmd->add_option("--note", o->note, "催办意见（1-1000 字）/ the note, 1-1000 characters")
      ->required()
      ->check(Utf8Validator());
  cmd->footer(Examples({"rectify task urge 12 --note \"请于本周五前报送整改进展\""}));
  OnRun(cmd, action, [o](Session& s) { return Urge(s, *o); });
}

}  // namespace rectify::client
