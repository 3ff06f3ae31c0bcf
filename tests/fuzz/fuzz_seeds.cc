// fuzz_seeds DIR: writes seed inputs for fuzz_requests (format in fuzz_input.h) into DIR —
// valid request sequences that walk a task through its states, so that the fuzzer starts from
// inputs that reach deep into the ledger instead of discovering protobuf from scratch.
#include <cstdio>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "google/protobuf/message.h"
#include "rectify/v1/ledger.pb.h"
#include "rectify/v1/notify.pb.h"
#include "rectify/v1/org.pb.h"
#include "rectify/v1/reports.pb.h"
#include "tests/fuzz/fuzz_input.h"

namespace rectify::fuzz {
namespace {

namespace v1 = rectify::v1;
using Call = std::pair<Rpc, std::string>;

template <typename Message>
Call Of(Rpc rpc, const Message& message) {
  return {rpc, message.SerializeAsString()};
}

// Strings go to the front, each with its backslashes doubled and "\\x" after it; the integers
// are read from the back, so they are written in reverse: ..., hours_2, rpc_2, hours_1, rpc_1,
// then the mode last.
std::string Encode(const std::vector<Call>& calls) {
  std::string front, back;
  for (const Call& call : calls) {
    for (char c : call.second) {
      front += c;
      if (c == '\\') front += '\\';
    }
    front += "\\x";
  }
  for (auto it = calls.rbegin(); it != calls.rend(); ++it) {
    back += static_cast<char>(1);  // one hour between calls
    back += static_cast<char>(it->first);
  }
  return front + back + static_cast<char>(1);  // mode 1: RPCs
}

std::vector<std::vector<Call>> Sequences() {
  v1::CreateUnitRequest unit;
  unit.set_request_id("seed-unit");
  unit.set_parent_id(1);
  unit.set_name("三支部");
  v1::CreateTaskRequest task;
  task.set_request_id("seed-task");
  task.set_problem_id(1);
  task.set_measure("每季度到联系点调研一次");
  task.set_owner_unit_id(2);
  task.set_owner_person("张三");
  task.set_deadline("2021-12-31");
  v1::StartTaskRequest start;
  start.set_id(1);
  v1::ReportProgressRequest progress;
  progress.set_request_id("seed-progress");
  progress.set_id(1);
  progress.set_text("已走访 20 户");
  progress.set_percent(50);
  v1::Evidence* evidence = progress.add_evidence();
  evidence->set_file_name("scan.pdf");
  evidence->set_content("%PDF-1.4 \\ seed");
  v1::SubmitTaskRequest submit;
  submit.set_id(1);
  submit.set_summary("已完成");
  v1::AcceptTaskRequest accept;
  accept.set_id(1);
  v1::ReopenTaskRequest reopen;
  reopen.set_id(1);
  reopen.set_reason("回头看发现反弹");
  v1::ReturnTaskRequest give_back;
  give_back.set_id(1);
  give_back.set_reason("材料不全");
  v1::MarkOngoingRequest ongoing;
  ongoing.set_id(1);
  ongoing.set_cadence_days(30);
  v1::CancelTaskRequest cancel;
  cancel.set_id(2);
  cancel.set_reason("重复任务");
  v1::RequestExtensionRequest extend;
  extend.set_id(1);
  extend.set_requested_deadline("2022-01-31");
  extend.set_reason("疫情影响");
  v1::DecideExtensionRequest decide;
  decide.set_extension_id(1);
  decide.set_approve(true);
  v1::ListTasksRequest list;
  list.set_unit_id(1);
  list.add_statuses(v1::IN_PROGRESS);
  list.set_overdue_only(true);
  list.set_page_size(2);
  v1::OverdueReportRequest overdue;
  overdue.set_as_of("2022-01-05");
  v1::GetTaskRequest get;
  get.set_id(1);
  v1::GetTaskHistoryRequest history;
  history.set_id(1);
  v1::CreateReviewRequest review;
  review.set_title("民主生活会");
  review.set_kind(v1::DEMOCRATIC_LIFE_MEETING);
  review.set_held_on("2021-12-20");
  review.set_unit_id(1);
  v1::CreateRootCauseRequest cause;
  cause.set_review_id(1);
  cause.set_text("理论学习不够");
  v1::CreateProblemRequest problem;
  problem.set_review_id(1);
  problem.set_area("在学习方面");
  problem.set_text("学习不系统");
  problem.add_root_cause_ids(1);
  v1::ListUnitsRequest units;
  units.set_page_size(1);
  v1::RenameUnitRequest rename;
  rename.set_id(2);
  rename.set_name("第一支部");
  v1::CreateChannelRequest channel;
  channel.set_unit_id(2);
  channel.set_kind(v1::DINGTALK);
  channel.set_name("一支部群");
  channel.set_url("https://oapi.dingtalk.com/robot/send?access_token=abc");
  channel.set_secret("SEC123");
  v1::UpdateChannelRequest channel_update;
  channel_update.set_id(1);
  channel_update.add_update_mask("enabled");
  v1::ListChannelsRequest channels;
  v1::GetNotifyStatusRequest notify_status;
  notify_status.set_failed_only(true);
  v1::DeleteChannelRequest channel_delete;
  channel_delete.set_id(1);

  return {
      {Of(kCreateUnit, unit), Of(kCreateUnit, unit), Of(kListUnits, units)},
      {Of(kCreateTask, task), Of(kStartTask, start), Of(kReportProgress, progress),
       Of(kReportProgress, progress), Of(kSubmitTask, submit), Of(kAcceptTask, accept),
       Of(kReopenTask, reopen), Of(kGetTaskHistory, history)},
      {Of(kStartTask, start), Of(kSubmitTask, submit), Of(kReturnTask, give_back),
       Of(kMarkOngoing, ongoing), Of(kReportProgress, progress), Of(kCancelTask, cancel)},
      {Of(kRequestExtension, extend), Of(kDecideExtension, decide), Of(kGetTask, get),
       Of(kListTasks, list), Of(kOverdueReport, overdue)},
      {Of(kCreateReview, review), Of(kCreateRootCause, cause), Of(kCreateProblem, problem),
       Of(kRenameUnit, rename)},
      {Of(kCreateChannel, channel), Of(kUpdateChannel, channel_update), Of(kListChannels, channels),
       Of(kGetNotifyStatus, notify_status), Of(kDeleteChannel, channel_delete)},
  };
}

}  // namespace
}  // namespace rectify::fuzz

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_seeds DIR\n");
    return 2;
  }
  int n = 0;
  for (const auto& sequence : rectify::fuzz::Sequences()) {
    std::ofstream out(std::string(argv[1]) + "/seed-rpc-" + std::to_string(++n), std::ios::binary);
    out << rectify::fuzz::Encode(sequence);
  }
  return 0;
}
