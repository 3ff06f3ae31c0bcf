// task create | list | show (LedgerService). The state transitions are in task_actions.cc.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/commands/commands.h"
#include "client/commands/paging.h"
#include "client/commands/unit_ref.h"
#include "client/commands/validators.h"
#include "client/output/format.h"
#include "client/output/task_view.h"
#include "client/rpc/request_id.h"
#include "rectify/v1/ledger.pb.h"
#include "services/common/labels.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

struct TaskCreateOptions {
  int64_t problem_id = 0;
  std::string measure;
  int64_t owner_unit_id = 0;
  std::string owner;
  std::string leader;
  std::string deadline;
  int cadence_days = 0;
};

struct TaskListOptions {
  int64_t unit_id = 0;
  std::vector<std::string> statuses;
  std::string due_from;
  std::string due_to;
  std::string area;
  bool overdue = false;
  bool extension_pending = false;
  int64_t review_id = 0;
  std::string owner;
  bool all = false;
  int page_size = 0;
  std::string page_token;
};

struct TaskShowOptions {
  int64_t id = 0;
};

int TaskCreate(Session& s, const TaskCreateOptions& o) {
  v1::CreateTaskRequest request;
  request.set_request_id(NewRequestId());
  request.set_problem_id(o.problem_id);
  request.set_measure(o.measure);
  request.set_owner_unit_id(o.owner_unit_id);
  request.set_owner_person(o.owner);
  request.set_leader(o.leader);
  request.set_deadline(o.deadline);
  request.set_cadence_days(o.cadence_days);
  v1::Task task;
  auto status = s.Call(
      [&](grpc::ClientContext* c) { return s.rpc().ledger().CreateTask(c, request, &task); });
  if (!status.ok()) return s.Fail(status);
  return s.Show(task, [&] { return TaskStatusLine(task, s.lang()); });
}

v1::ListTasksRequest ListRequest(const TaskListOptions& o) {
  v1::ListTasksRequest request;
  request.set_unit_id(o.unit_id);
  for (const std::string& text : o.statuses) {
    request.add_statuses(static_cast<v1::TaskStatus>(ParseTaskStatus(text)));
  }
  request.set_deadline_from(o.due_from);
  request.set_deadline_to(o.due_to);
  request.set_area(o.area);
  request.set_overdue_only(o.overdue);
  request.set_extension_pending(o.extension_pending);
  request.set_review_id(o.review_id);
  request.set_owner_person(o.owner);
  request.set_page_size(o.page_size);
  request.set_page_token(o.page_token);
  return request;
}

int TaskList(Session& s, const TaskListOptions& o) {
  const v1::ListTasksRequest request = ListRequest(o);
  auto fetch = [&](grpc::ClientContext* c, const v1::ListTasksRequest& r,
                   v1::ListTasksResponse* page) { return s.rpc().ledger().ListTasks(c, r, page); };
  v1::ListTasksResponse response;
  grpc::Status status;
  if (o.all) {
    status = FetchAllPages(
        s, request, fetch,
        [](const v1::ListTasksResponse& page, v1::ListTasksResponse* into) {
          into->mutable_tasks()->MergeFrom(page.tasks());
        },
        &response);
  } else {
    status = s.Call([&](grpc::ClientContext* c) { return fetch(c, request, &response); });
  }
  if (!status.ok()) return s.Fail(status);
  if (!s.json() && !response.next_page_token().empty()) {
    s.Note(absl::StrCat(Tr(s.lang(), "还有更多任务：加 --all 列出全部，或用 --page-token ",
                           "More tasks: add --all for all of them, or --page-token "),
                        response.next_page_token(),
                        Tr(s.lang(), " 取下一页", " for the next page")));
  }
  return s.Show(response, [&] { return TaskListText(response.tasks(), s.lang()); });
}

int TaskShow(Session& s, const TaskShowOptions& o) {
  v1::GetTaskHistoryRequest request;
  request.set_id(o.id);
  v1::TaskHistory history;
  auto status = s.Call([&](grpc::ClientContext* c) {
    return s.rpc().ledger().GetTaskHistory(c, request, &history);
  });
  if (!status.ok()) return s.Fail(status);
  return s.Show(history, [&] { return TaskHistoryText(history, s.lang(), s.zone()); });
}

void AddCreate(CLI::App* task, Action* action) {
  auto o = std::make_shared<TaskCreateOptions>();
  CLI::App* cmd = task->add_subcommand(
      "create", "为问题新建整改任务（待整改）/ create a task for a problem (starts open)");
  cmd->add_option("PROBLEM_ID", o->problem_id, "问题 ID / problem id")
      ->required()
      ->check(IdValidator());
  cmd->add_option("--measure", o->measure, "整改措施 / the measure")
      ->type_name("TEXT")
      ->required()
      ->check(Utf8Validator());
  AddUnitOption(cmd, "--owner-unit", &o->owner_unit_id, "责任单位 / responsible unit")->required();
  cmd->add_option("--owner", o->owner, "责任人 / responsible person")
      ->type_name("PERSON")
      ->required()
      ->check(Utf8Validator());
  cmd->add_option("--leader", o->leader, "责任领导 / responsible leader")
      ->type_name("NAME")
      ->check(Utf8Validator());
  CLI::Option* deadline = cmd->add_option("--deadline", o->deadline, "整改时限 / deadline")
                              ->type_name("DATE")
                              ->transform(DateValidator());
  CLI::Option* every =
      cmd->add_option("--every", o->cadence_days,
                      "长期坚持：每 DAYS 天报告一次 / long-term: report every DAYS "
                      "days")
          ->type_name("DAYS")
          ->check(WholeNumberValidator(1, 366));
  deadline->excludes(every);
  cmd->footer(
      Examples({"rectify task create 9 --measure \"每季度开展一次走访调研\" "
                "--owner-unit 3 --owner 张三 --leader 李四 --deadline 2022-06-30",
                "rectify task create 9 --measure \"坚持每月学习\" --owner-unit 3 "
                "--owner 张三 --every 30"}));
  cmd->callback([o, action, deadline, every] {
    if (deadline->count() == 0 && every->count() == 0) {
      throw CLI::ValidationError("--deadline, --every",
                                 "须给出整改时限或报告周期之一 / give a deadline or a cadence");
    }
    *action = [o](Session& s) { return TaskCreate(s, *o); };
  });
}

void AddList(CLI::App* task, Action* action) {
  auto o = std::make_shared<TaskListOptions>();
  CLI::App* cmd = task->add_subcommand(
      "list", "按条件列出任务，按时限排序 / list tasks by deadline, with filters");
  AddUnitOption(cmd, "--unit", &o->unit_id, "责任单位及其下级 / owner unit and its subtree");
  cmd->add_option("--status", o->statuses,
                  "状态，可重复或用逗号分隔：open in-progress submitted closed ongoing "
                  "cancelled，或 待整改 整改中 … / status, repeatable")
      ->type_name("S")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->delimiter(',')
      ->check(TaskStatusValidator());
  cmd->add_option("--due-from", o->due_from, "时限不早于 / due on or after")
      ->type_name("DATE")
      ->transform(DateValidator());
  cmd->add_option("--due-to", o->due_to, "时限不晚于 / due on or before")
      ->type_name("DATE")
      ->transform(DateValidator());
  cmd->add_option("--area", o->area, "方面（完全匹配）/ area, exact match")
      ->type_name("A")
      ->check(Utf8Validator());
  cmd->add_flag("--overdue", o->overdue, "只列逾期任务 / overdue tasks only");
  cmd->add_flag("--extension-pending", o->extension_pending,
                "只列有待审批延期申请的 / only tasks with an extension request to decide");
  cmd->add_option("--review", o->review_id, "只列此检视的 / only tasks of this review")
      ->type_name("ID")
      ->check(IdValidator());
  cmd->add_option("--owner", o->owner, "责任人 / responsible person")
      ->type_name("PERSON")
      ->check(Utf8Validator());
  CLI::Option* all = cmd->add_flag("--all", o->all, "自动翻页，列出全部 / follow every page");
  cmd->add_option("--page-size", o->page_size, "每页条数（默认 50）/ tasks per page (default 50)")
      ->type_name("N")
      ->check(WholeNumberValidator(1, 1000));
  cmd->add_option("--page-token", o->page_token,
                  "上一页给出的续页标记 / next_page_token of the previous page")
      ->type_name("TOKEN")
      ->excludes(all);
  cmd->footer(Examples({"rectify task list --unit 3 --status open,in-progress --overdue",
                        "rectify --json task list --review 5 --all"}));
  OnRun(cmd, action, [o](Session& s) { return TaskList(s, *o); });
}

void AddShow(CLI::App* task, Action* action) {
  auto o = std::make_shared<TaskShowOptions>();
  CLI::App* cmd =
      task->add_subcommand("show", "任务详情及全部历史 / a task with its whole history");
  cmd->add_option("ID", o->id, "任务 ID / task id")->required()->check(IdValidator());
  cmd->footer(Examples({"rectify task show 12"}));
  OnRun(cmd, action, [o](Session& s) { return TaskShow(s, *o); });
}

}  // namespace

void AddTaskCommands(CLI::App& app, Action* action) {
  CLI::App* task = app.add_subcommand("task", "整改任务 / rectification tasks");
  task->require_subcommand(1);
  task->footer(Examples({"rectify task list --overdue", "rectify task show 12"}));
  AddCreate(task, action);
  AddList(task, action);
  AddShow(task, action);
  AddTaskActionCommands(*task, action);
  AddUrgeCommand(*task, action);
}

}  // namespace rectify::client
