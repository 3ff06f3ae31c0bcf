// Ledger::AssignTask and AssignTasks: owners and deadlines for OPEN tasks; a draft becomes an
// ordinary task; a spreadsheet's rows apply all together or not at all.
#include "gmock/gmock.h"
#include "tests/support/import_fixture.h"

namespace rectify {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing_support::ImportTest;

class LedgerAssignTest : public ImportTest {
 protected:
  void SetUp() override {
    ImportTest::SetUp();
    auto done = Import(SampleImport(branch_a_.id));
    ASSERT_TRUE(done.ok()) << done.status();
    drafts_ = done->tasks;
  }
  std::vector<Task> drafts_;
};

TEST_F(LedgerAssignTest, AssignedDraftBecomesAnOrdinaryTask) {
  clock_->Advance(absl::Hours(24 * 20));  // assigned three weeks after the import
  const int64_t events = EventCount();
  ASSERT_OK_AND_ASSIGN(Task task, Assign(ToBranchA(drafts_[0].id, "2022-03-31")));
  EXPECT_FALSE(task.draft);
  EXPECT_EQ(task.status, TaskStatus::kOpen);
  EXPECT_EQ(task.owner_person, "张三");
  EXPECT_EQ(task.leader, "李书记");
  EXPECT_EQ(task.deadline, absl::CivilDay(2022, 3, 31));
  EXPECT_EQ(task.version, 2);
  EXPECT_EQ(task.deadline_version, 1);         // its first deadline, as for a task created with one
  EXPECT_EQ(task.create_time, clock_->Now());  // 下达: the schedule counts from here
  EXPECT_TRUE(task.next_check_time.has_value());  // the scheduler now watches it

  const Task stored = Stored(task.id);
  EXPECT_FALSE(stored.draft);
  EXPECT_EQ(stored.create_time, clock_->Now());
  EXPECT_EQ(EventCount(), events + 1);
  ASSERT_OK(store_->Read([&](ReadTxn& tx) -> absl::Status {
    auto history = tx.ListTaskEvents(task.id);
    EXPECT_TRUE(history.ok());
    EXPECT_EQ(history->back().kind, EventKind::kUpdated);
    EXPECT_THAT(history->back().detail, HasSubstr("草稿转为正式任务"));
    EXPECT_THAT(history->back().detail, HasSubstr("整改时限 2022-03-31"));
    return absl::OkStatus();
  }));
  // Now it can be worked on.
  ASSERT_OK(
      Do<Task>([&](WriteTxn& tx) { return ledger_->StartTask(tx, actor_, task.id, 2); }).status());
}

TEST_F(LedgerAssignTest, ScheduleOfAnAssignedDraftStartsAtAssignmentNotAtImport) {
  clock_->Advance(absl::Hours(24 * 60));  // two months as a draft
  ASSERT_OK_AND_ASSIGN(Task task, Assign(ToBranchA(drafts_[0].id, "2022-03-01")));
  // Counted from the import, 60 of 90 days would have passed at 0%: behind schedule at once.
  EXPECT_EQ(task.light, WarningLight::kGreen);
}

TEST_F(LedgerAssignTest, CadenceMakesTheTaskLongTerm) {
  TaskAssignment a = ToBranchA(drafts_[1].id, "");
  a.cadence_days = 30;
  ASSERT_OK_AND_ASSIGN(Task task, Assign(a));
  EXPECT_EQ(task.status, TaskStatus::kOngoing);
  EXPECT_EQ(task.cadence_days, 30);
  EXPECT_FALSE(task.deadline.has_value());
  EXPECT_EQ(task.checkpoint_due, absl::CivilDay(2021, 12, 31));
  ASSERT_OK(store_->Read([&](ReadTxn& tx) -> absl::Status {
    auto history = tx.ListTaskEvents(task.id);
    EXPECT_EQ(history->back().from_status, TaskStatus::kOpen);
    EXPECT_EQ(history->back().to_status, TaskStatus::kOngoing);
    return absl::OkStatus();
  }));
}

TEST_F(LedgerAssignTest, NewDeadlineOnAnAssignedTaskBumpsDeadlineVersionOtherChangesDoNot) {
  ASSERT_OK_AND_ASSIGN(Task task, CreateTask("2021-12-31"));
  TaskAssignment a = ToBranchA(task.id, "2021-12-31");
  a.owner_person = "李四";
  ASSERT_OK_AND_ASSIGN(Task other_person, Assign(a));
  EXPECT_EQ(other_person.deadline_version, 1);
  EXPECT_EQ(other_person.version, 2);
  a.deadline = "2022-01-31";
  ASSERT_OK_AND_ASSIGN(Task later, Assign(a));
  EXPECT_EQ(later.deadline_version, 2);
  EXPECT_EQ(later.version, 3);
  EXPECT_EQ(later.owner_person, "李四");
}

TEST_F(LedgerAssignTest, AssignmentIsValidatedLikeCreateTask) {
  struct Case {
    const char* field;
    std::function<void(TaskAssignment&)> spoil;
  };
  const std::vector<Case> cases = {
      {"owner_person", [](TaskAssignment& a) { a.owner_person = ""; }},
      {"owner_person", [](TaskAssignment& a) { a.owner_person = std::string(51, 'x'); }},
      {"leader", [](TaskAssignment& a) { a.leader = "李\n书记"; }},
      {"owner_unit_id", [](TaskAssignment& a) { a.owner_unit_id = 0; }},
      {"deadline", [](TaskAssignment& a) { a.deadline = ""; }},
      {"deadline", [](TaskAssignment& a) { a.cadence_days = 30; }},
      {"deadline", [](TaskAssignment& a) { a.deadline = "2021-11-30"; }},  // before today
      {"deadline", [](TaskAssignment& a) { a.deadline = "2021/12/31"; }},
      {"cadence_days", [](TaskAssignment& a) { a.deadline = "", a.cadence_days = 400; }},
      {"expected_version", [](TaskAssignment& a) { a.expected_version = -1; }},
      {"id", [](TaskAssignment& a) { a.id = 0; }},
  };
  for (const Case& c : cases) {
    TaskAssignment a = ToBranchA(drafts_[0].id);
    c.spoil(a);
    auto result = Assign(a);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_THAT(result.status().message(), HasSubstr(c.field));
  }
  EXPECT_TRUE(Stored(drafts_[0].id).draft);
  EXPECT_EQ(Stored(drafts_[0].id).version, 1);
}

TEST_F(LedgerAssignTest, OnlyOpenTasksCanBeAssigned) {
  ASSERT_OK_AND_ASSIGN(Task task, CreateTask("2021-12-31"));
  ASSERT_OK(
      Do<Task>([&](WriteTxn& tx) { return ledger_->StartTask(tx, actor_, task.id, 1); }).status());
  auto result = Assign(ToBranchA(task.id, "2022-01-31"));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(result.status().message(), HasSubstr("整改中"));
}

TEST_F(LedgerAssignTest, StaleVersionIsAbortedUnknownTaskOrUnitIsNotFound) {
  TaskAssignment a = ToBranchA(drafts_[0].id);
  a.expected_version = 7;
  EXPECT_EQ(Assign(a).status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(Assign(ToBranchA(9999)).status().code(), absl::StatusCode::kNotFound);
  TaskAssignment unknown_unit = ToBranchA(drafts_[0].id);
  unknown_unit.owner_unit_id = 999;
  EXPECT_EQ(Assign(unknown_unit).status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(Stored(drafts_[0].id).draft);
}

TEST_F(LedgerAssignTest, AskingForWhatTheTaskAlreadyHasChangesNothing) {
  TaskAssignment a = ToBranchA(drafts_[0].id);
  a.expected_version = 1;
  ASSERT_OK_AND_ASSIGN(Task first, Assign(a));
  const int64_t events = EventCount();
  // The same row again, with the version it was exported at: a no-op, not a conflict.
  ASSERT_OK_AND_ASSIGN(Task again, Assign(a));
  EXPECT_EQ(again.version, first.version);
  EXPECT_EQ(EventCount(), events);
}

TEST_F(LedgerAssignTest, PendingExtensionBlocksADeadlineChange) {
  ASSERT_OK_AND_ASSIGN(Task task, CreateTask("2021-12-31"));
  ASSERT_OK(Do<ExtensionRequest>([&](WriteTxn& tx) {
              return ledger_->RequestExtension(tx, actor_, task.id, 0, "2022-01-31",
                                               "需要更多时间");
            }).status());
  auto result = Assign(ToBranchA(task.id, "2022-02-28"));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(result.status().message(), HasSubstr("延期申请"));
}

// The pending extension request of a task, if any.
absl::optional<ExtensionRequest> PendingOf(Store* store, Id task_id) {
  absl::optional<ExtensionRequest> pending;
  EXPECT_TRUE(store
                  ->Read([&](ReadTxn& tx) -> absl::Status {
                    auto p = tx.FindPendingExtension(task_id);
                    if (!p.ok()) return p.status();
                    pending = *p;
                    return absl::OkStatus();
                  })
                  .ok());
  return pending;
}

TEST_F(LedgerAssignTest, WithAReasonANewDeadlineOfAnAssignedTaskIsAskedForNotSet) {
  ASSERT_OK_AND_ASSIGN(Task open, CreateTask("2021-12-31"));
  ASSERT_OK_AND_ASSIGN(Task working, CreateTask("2021-12-20"));
  ASSERT_OK(Do<Task>([&](WriteTxn& tx) {
              return ledger_->StartTask(tx, actor_, working.id, 0);
            }).status());
  std::vector<AssignmentRow> rows = {
      {2, ToBranchA(open.id, "2022-01-31")},        // a new person and a later deadline
      {3, ToBranchA(working.id, "2022-02-28")},     // in progress: only the deadline
      {4, ToBranchA(drafts_[0].id, "2022-03-31")},  // a draft's first deadline is set
  };
  rows[0].assignment.owner_person = "李四";
  for (AssignmentRow& r : rows) r.assignment.extension_reason = "需协调上级党校师资";
  rows[1].assignment.expected_version = 2;
  ASSERT_OK_AND_ASSIGN(AssignmentOutcome done, AssignAll(rows));
  EXPECT_EQ(done.changed, 3);
  ASSERT_EQ(done.extensions.size(), 2u);
  EXPECT_EQ(done.extensions[0].task_id, open.id);
  EXPECT_EQ(done.extensions[0].requested_deadline, absl::CivilDay(2022, 1, 31));
  EXPECT_EQ(done.extensions[0].old_deadline, absl::CivilDay(2021, 12, 31));
  EXPECT_EQ(done.extensions[0].reason, "需协调上级党校师资");
  EXPECT_EQ(done.extensions[0].requested_by, actor_.name);
  EXPECT_EQ(done.extensions[1].task_id, working.id);

  // The deadlines did not move: the requests wait for a decision.
  const Task reassigned = Stored(open.id);
  EXPECT_EQ(reassigned.owner_person, "李四");
  EXPECT_EQ(reassigned.deadline, absl::CivilDay(2021, 12, 31));
  EXPECT_EQ(reassigned.deadline_version, 1);
  EXPECT_EQ(reassigned.version, 3);  // reassigned, then the request
  EXPECT_EQ(done.tasks[0].version, 3);
  EXPECT_EQ(Stored(working.id).status, TaskStatus::kInProgress);
  EXPECT_EQ(Stored(working.id).deadline, absl::CivilDay(2021, 12, 20));
  ASSERT_TRUE(PendingOf(store_.get(), open.id).has_value());
  ASSERT_TRUE(PendingOf(store_.get(), working.id).has_value());
  EXPECT_EQ(Stored(drafts_[0].id).deadline, absl::CivilDay(2022, 3, 31));
  EXPECT_FALSE(PendingOf(store_.get(), drafts_[0].id).has_value());

  // Approved, the deadline moves as for any extension.
  ASSERT_OK(Do<ExtensionRequest>([&](WriteTxn& tx) {
              return ledger_->DecideExtension(tx, actor_, done.extensions[0].id, true, "同意");
            }).status());
  EXPECT_EQ(Stored(open.id).deadline, absl::CivilDay(2022, 1, 31));
}

TEST_F(LedgerAssignTest, ExtensionRowsApplyWithTheOthersOrNotAtAll) {
  ASSERT_OK_AND_ASSIGN(Task a, CreateTask("2021-12-31"));
  ASSERT_OK_AND_ASSIGN(Task b, CreateTask("2021-12-31"));
  ASSERT_OK_AND_ASSIGN(Task c, CreateTask("2021-12-31"));
  ASSERT_OK(Do<ExtensionRequest>([&](WriteTxn& tx) {
              return ledger_->RequestExtension(tx, actor_, c.id, 0, "2022-01-15", "另一申请");
            }).status());
  const int64_t events = EventCount();
  std::vector<AssignmentRow> rows = {
      {2, ToBranchA(a.id, "2022-01-31")},  // fine
      {3, ToBranchA(b.id, "2021-12-25")},  // earlier than its deadline: not an extension
      {4, ToBranchA(c.id, "2022-02-28")},  // already has a pending request
      {5, ToBranchA(drafts_[0].id)},       // fine
  };
  for (AssignmentRow& r : rows) r.assignment.extension_reason = "客观原因";
  auto refused = AssignAll(rows);
  ASSERT_FALSE(refused.ok());
  const std::string message(refused.status().message());
  EXPECT_THAT(message, HasSubstr("共 2 行有误，未做任何修改"));
  EXPECT_THAT(message, HasSubstr("第 3 行 / line 3: requested_deadline"));
  EXPECT_THAT(message, HasSubstr("第 4 行 / line 4: 任务已有待审批的延期申请"));
  EXPECT_FALSE(PendingOf(store_.get(), a.id).has_value());
  EXPECT_TRUE(Stored(drafts_[0].id).draft);
  EXPECT_EQ(EventCount(), events);

  // A stale version is a conflict for an extension-only row too; a reason too long is named.
  rows = {{2, ToBranchA(a.id, "2022-01-31")}};
  rows[0].assignment.extension_reason = "客观原因";
  rows[0].assignment.expected_version = 9;
  EXPECT_EQ(AssignAll(rows).status().code(), absl::StatusCode::kFailedPrecondition);
  rows[0].assignment.expected_version = 0;
  rows[0].assignment.extension_reason = std::string(1001, 'x');
  EXPECT_THAT(std::string(AssignAll(rows).status().message()), HasSubstr("extension_reason"));
  EXPECT_FALSE(PendingOf(store_.get(), a.id).has_value());
}

TEST_F(LedgerAssignTest, BulkAssignmentAppliesEveryRowOrNoneAndNamesEveryBadLine) {
  const int64_t events = EventCount();
  std::vector<AssignmentRow> rows = {
      {2, ToBranchA(drafts_[0].id)},
      {3, ToBranchA(drafts_[1].id, "2021-13-01")},
      {5, ToBranchA(drafts_[2].id)},
  };
  rows[2].assignment.owner_person = "";
  auto refused = AssignAll(rows);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << refused.status();
  const std::string message(refused.status().message());
  EXPECT_THAT(message, HasSubstr("共 2 行有误，未做任何修改"));
  EXPECT_THAT(message, HasSubstr("第 3 行 / line 3: deadline"));
  EXPECT_THAT(message, HasSubstr("第 5 行 / line 5: owner_person"));
  EXPECT_THAT(message, Not(HasSubstr("第 2 行")));
  for (const Task& d : drafts_) EXPECT_TRUE(Stored(d.id).draft);
  EXPECT_EQ(EventCount(), events);

  // Rows that are fine in themselves but clash with the ledger are found too, all of them,
  // and the good row before them is rolled back.
  rows[1].assignment.deadline = "2022-01-31";
  rows[2].assignment.owner_person = "王五";
  rows[2].assignment.owner_unit_id = 999;
  rows[1].assignment.id = 9999;
  auto unknown = AssignAll(rows);
  // Every bad row names something missing: NOT_FOUND (as for a task out of reach).
  ASSERT_EQ(unknown.status().code(), absl::StatusCode::kNotFound) << unknown.status();
  EXPECT_THAT(unknown.status().message(), HasSubstr("第 3 行 / line 3: 任务 9999 不存在"));
  EXPECT_THAT(unknown.status().message(), HasSubstr("第 5 行 / line 5: 单位 999 不存在"));
  EXPECT_TRUE(Stored(drafts_[0].id).draft);
  EXPECT_EQ(EventCount(), events);

  rows[1].assignment.id = drafts_[1].id;
  rows[2].assignment.owner_unit_id = branch_b_.id;
  ASSERT_OK_AND_ASSIGN(AssignmentOutcome done, AssignAll(rows));
  EXPECT_EQ(done.changed, 3);
  ASSERT_EQ(done.tasks.size(), 3u);
  EXPECT_EQ(done.tasks[2].owner_unit_id, branch_b_.id);
  for (const Task& d : drafts_) EXPECT_FALSE(Stored(d.id).draft);

  // Loading the same sheet again changes nothing and is not a conflict.
  ASSERT_OK_AND_ASSIGN(AssignmentOutcome again, AssignAll(rows));
  EXPECT_EQ(again.changed, 0);
}

TEST_F(LedgerAssignTest, BulkAssignmentCallsStateClashesAPreconditionFailure) {
  ASSERT_OK(Do<Task>([&](WriteTxn& tx) {
              return ledger_->CancelTask(tx, actor_, drafts_[1].id, 0, "重复");
            }).status());
  std::vector<AssignmentRow> rows = {{2, ToBranchA(drafts_[0].id)}, {3, ToBranchA(drafts_[1].id)}};
  rows[0].assignment.expected_version = 5;
  auto result = AssignAll(rows);
  ASSERT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition) << result.status();
  EXPECT_THAT(result.status().message(), HasSubstr("第 2 行 / line 2: 任务"));
  EXPECT_THAT(result.status().message(), HasSubstr("第 3 行 / line 3: 任务"));
  EXPECT_THAT(result.status().message(), HasSubstr("已撤销"));
}

TEST_F(LedgerAssignTest, BulkAssignmentRefusesATaskTwiceNoRowsAndTooManyRows) {
  auto twice = AssignAll({{2, ToBranchA(drafts_[0].id)}, {7, ToBranchA(drafts_[0].id)}});
  ASSERT_EQ(twice.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(twice.status().message(), HasSubstr("第 7 行 / line 7: id: 任务"));
  EXPECT_THAT(twice.status().message(), HasSubstr("已在第 2 行出现"));
  EXPECT_EQ(AssignAll({}).status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<AssignmentRow> many(kMaxAssignmentRows + 1, {0, ToBranchA(drafts_[0].id)});
  EXPECT_EQ(AssignAll(many).status().code(), absl::StatusCode::kResourceExhausted);
  // Rows without a line are named by position.
  auto unnamed = AssignAll({{0, ToBranchA(drafts_[0].id, "bad")}});
  EXPECT_THAT(unnamed.status().message(), HasSubstr("第 1 行"));
}

}  // namespace
}  // namespace rectify
