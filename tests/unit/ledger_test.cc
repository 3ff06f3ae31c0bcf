// The ledger's rules over a real store: the whole task life cycle, versions, extensions, the
// overdue list, and bad input that must change nothing.
#include "services/domain/ledger.h"

#include "services/common/civil.h"
#include "services/domain/flag_rules.h"
#include "tests/support/ledger_fixture.h"

namespace rectify {
namespace {

using testing_support::LedgerTest;
using Reported = std::pair<Task, ProgressReport>;

class LedgerRulesTest : public LedgerTest {
 protected:
  void SetUp() override {
    LedgerTest::SetUp();
    SeedLedger();
  }
};

TEST_F(LedgerRulesTest, TaskGoesFromOpenToClosedAndEveryStepIsInItsHistory) {
  ASSERT_OK_AND_ASSIGN(Task task, CreateTask("2021-12-31"));
  EXPECT_EQ(task.status, TaskStatus::kOpen);
  EXPECT_EQ(task.version, 1);
  EXPECT_EQ(task.owner_path, branch_a_.path);

  // The first progress report starts the task.
  auto reported = Do<Reported>([&](WriteTxn& tx) {
    return ledger_->ReportProgress(tx, actor_, task.id, 1, "已走访三个社区", 40,
                                   {NewEvidence{"走访记录.pdf", "", "%PDF-1.4 fake"}});
  });
  ASSERT_TRUE(reported.ok()) << reported.status();
  EXPECT_EQ(reported->first.status, TaskStatus::kInProgress);
  EXPECT_EQ(reported->first.progress_percent, 40);
  EXPECT_EQ(reported->first.version, 2);
  ASSERT_EQ(reported->second.evidence.size(), 1u);
  EXPECT_EQ(reported->second.evidence[0].media_type, "application/pdf");
  EXPECT_EQ(reported->second.evidence[0].size_bytes, 13);
  EXPECT_EQ(reported->second.evidence[0].sha256_hex.size(), 64u);

  ASSERT_OK_AND_ASSIGN(Task submitted, Do<Task>([&](WriteTxn& tx) {
                         return ledger_->SubmitTask(tx, actor_, task.id, 2, "调研全部完成");
                       }));
  EXPECT_EQ(submitted.status, TaskStatus::kSubmitted);
  ASSERT_OK_AND_ASSIGN(Task closed, Do<Task>([&](WriteTxn& tx) {
                         return ledger_->AcceptTask(tx, actor_, task.id, 3, "同意销号");
                       }));
  EXPECT_EQ(closed.status, TaskStatus::kClosed);
  EXPECT_TRUE(closed.close_time.has_value());
  EXPECT_EQ(closed.light, WarningLight::kNone);

  ASSERT_OK_AND_ASSIGN(TaskHistory history, ledger_->GetTaskHistory(task.id));
  std::vector<EventKind> kinds;
  for (const Event& e : history.events) kinds.push_back(e.kind);
  EXPECT_EQ(kinds, (std::vector<EventKind>{EventKind::kCreated, EventKind::kProgress,
                                           EventKind::kTransition, EventKind::kTransition,
                                           EventKind::kTransition}));
  EXPECT_EQ(history.events.back().to_status, TaskStatus::kClosed);
  EXPECT_EQ(history.events.back().actor, "王书记");
  ASSERT_EQ(history.progress.size(), 1u);
  EXPECT_EQ(history.progress[0].text, "已走访三个社区");
  EXPECT_EQ(history.problem.id, problem_.id);
}

TEST_F(LedgerRulesTest, ReturnedTaskGoesBackToInProgressWithTheReason) {
  ASSERT_OK_AND_ASSIGN(Task task, CreateTask("2021-12-31"));
  ASSERT_TRUE(
      Do<Task>([&](WriteTxn& tx) { return ledger_->StartTask(tx, actor_, task.id, 0); }).ok());
  ASSERT_TRUE(Do<Task>([&](WriteTxn& tx) {
                return ledger_->SubmitTask(tx, actor_, task.id, 0, "完成");
              }).ok());
  ASSERT_OK_AND_ASSIGN(Task returned, Do<Task>([&](WriteTxn& tx) {
                         return ledger_->ReturnTask(tx, actor_, task.id, 0, "缺少佐证材料");
                       }));
  EXPECT_EQ(returned.status, TaskStatus::kInProgress);
  EXPECT_EQ(returned.status_note, "缺少佐证材料");
}

TEST_F(LedgerRulesTest, SubmittedTaskCannotTakeProgress) {
  ASSERT_OK_AND_ASSIGN(Task task, CreateTask("2021-12-31"));
  ASSERT_TRUE(
      Do<Task>([&](WriteTxn& tx) { return ledger_->StartTask(tx, actor_, task.id, 0); }).ok());
  ASSERT_TRUE(Do<Task>([&](WriteTxn& tx) {
                return ledger_->SubmitTask(tx, actor_, task.id, 0, "完成");
              }).ok());
  const int64_t events = EventCount();
  auto refused = Do<Reported>([&](WriteTxn& tx) {
    return ledger_->ReportProgress(tx, actor_, task.id, 0, "补充", 90, {});
  });
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(EventCount(), events);
  ASSERT_OK_AND_ASSIGN(TaskHistory history, ledger_->GetTaskHistory(task.id));
  EXPECT_TRUE(history.progress.empty());
}

TEST_F(LedgerRulesTest, StaleExpectedVersionIsAbortedAndChangesNothing) {
  ASSERT_OK_AND_ASSIGN(Task task, CreateTask("2021-12-31"));
  ASSERT_TRUE(
      Do<Task>([&](WriteTxn& tx) { return ledger_->StartTask(tx, actor_, task.id, 1); }).ok());
  const int64_t events = EventCount();
  auto stale = Do<Task>([&](WriteTxn& tx) {
    return ledger_->SubmitTask(tx, actor_, task.id, /*expected_version=*/1, "完成");
  });
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_NE(stale.status().message().find("版本"), absl::string_view::npos);
  ASSERT_OK_AND_ASSIGN(Task now, ledger_->GetTask(task.id));
  EXPECT_EQ(now.status, TaskStatus::kInProgress);
  EXPECT_EQ(now.version, 2);
  EXPECT_EQ(EventCount(), events);
}

TEST_F(LedgerRulesTest, ClosedTaskCanBeReopenedAndCancelledOnlyWithAReason) {
  ASSERT_OK_AND_ASSIGN(Task task, CreateTask("2021-12-31"));
  for (auto step : {+[](const Ledger&l, WriteTxn&tx, const Actor&a, Id id) {
                      return l.StartTask(tx, a, id, 0);
                    },
                    +[](const Ledger&l, WriteTxn&tx, const Actor&a, Id id) {
                      return l.SubmitTask(tx, a, id, 0, "完成");
                    },
                    +[](const Ledger&l, WriteTxn&tx, const Actor&a, Id id) {
                      return l.AcceptTask(tx, a, id, 0, "");
                    }}) {
    ASSERT_TRUE(Do<Task>([&](WriteTxn& tx) { return step(*ledger_, tx, actor_, task.id); }).ok());
  }
  auto no_reason =
      Do<Task>([&](WriteTxn& tx) { return ledger_->ReopenTask(tx, actor_, task.id, 0, ""); });
  EXPECT_EQ(no_reason.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(no_reason.status().message().find("reason"), absl::string_view::npos);
  ASSERT_OK_AND_ASSIGN(Task reopened, Do<Task>([&](WriteTxn& tx) {
                         return ledger_->ReopenTask(tx, actor_, task.id, 0, "回头看发现问题反弹");
                       }));
  EXPECT_EQ(reopened.status, TaskStatus::kInProgress);
  EXPECT_FALSE(reopened.close_time.has_value());
  ASSERT_OK_AND_ASSIGN(Task cancelled, Do<Task>([&](WriteTxn& tx) {
                         return ledger_->CancelTask(tx, actor_, task.id, 0, "并入其他任务");
                       }));
  EXPECT_EQ(cancelled.status, TaskStatus::kCancelled);
  auto again = Do<Task>(
      [&](WriteTxn& tx) { return ledger_->CancelTask(tx, actor_, task.id, 0, "再次撤销"); });
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(LedgerRulesTest, LongTermTaskTakesReportsAndMovesItsCheckpoint) {
  ASSERT_OK_AND_ASSIGN(Task task, CreateTask("2021-12-31"));
  ASSERT_TRUE(
      Do<Task>([&](WriteTxn& tx) { return ledger_->StartTask(tx, actor_, task.id, 0); }).ok());
  ASSERT_OK_AND_ASSIGN(Task ongoing, Do<Task>([&](WriteTxn& tx) {
                         return ledger_->MarkOngoing(tx, actor_, task.id, 0, 30, "");
                       }));
  EXPECT_EQ(ongoing.status, TaskStatus::kOngoing);
  EXPECT_EQ(ongoing.checkpoint_due, absl::CivilDay(2021, 12, 31));
  clock_->Set(Local(2021, 12, 20, 10));
  auto reported = Do<Reported>([&](WriteTxn& tx) {
    return ledger_->ReportProgress(tx, actor_, task.id, 0, "本月已落实", 60, {});
  });
  ASSERT_TRUE(reported.ok()) << reported.status();
  EXPECT_EQ(reported->first.status, TaskStatus::kOngoing);
  EXPECT_EQ(reported->first.checkpoint_due, absl::CivilDay(2022, 1, 19));
  auto bad_cadence =
      Do<Task>([&](WriteTxn& tx) { return ledger_->MarkOngoing(tx, actor_, task.id, 0, 0, ""); });
  EXPECT_EQ(bad_cadence.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(LedgerRulesTest, TaskCreatedWithACadenceIsLongTermFromTheStart) {
  ASSERT_OK_AND_ASSIGN(Task task, CreateTask("", 0, 90));
  EXPECT_EQ(task.status, TaskStatus::kOngoing);
  EXPECT_FALSE(task.deadline.has_value());
  EXPECT_EQ(task.checkpoint_due, absl::CivilDay(2022, 3, 1));
}

TEST_F(LedgerRulesTest, ApprovedExtensionMovesTheDeadlineAndClearsTheOverdueFlag) {
  ASSERT_OK_AND_ASSIGN(Task task, CreateTask("2021-12-31"));
  clock_->Set(Local(2022, 1, 3));
  ASSERT_OK_AND_ASSIGN(ExtensionRequest asked, Do<ExtensionRequest>([&](WriteTxn& tx) {
                         return ledger_->RequestExtension(tx, Actor{"张三"}, task.id, 0,
                                                          "2022-02-28", "需协调经费");
                       }));
  EXPECT_EQ(asked.state, ExtensionState::kPending);
  auto second = Do<ExtensionRequest>([&](WriteTxn& tx) {
    return ledger_->RequestExtension(tx, Actor{"张三"}, task.id, 0, "2022-03-31", "再延");
  });
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);

  // The task is overdue now: reconcile as the scheduler would.
  ASSERT_TRUE(Do<Task>([&](WriteTxn& tx) -> absl::StatusOr<Task> {
                auto t = tx.GetTask(task.id);
                if (!t.ok()) return t.status();
                auto r = ReconcileTask(tx, *t, clock_->Now(), settings_);
                if (!r.ok()) return r.status();
                return *t;
              }).ok());
  ASSERT_OK_AND_ASSIGN(Task red, ledger_->GetTask(task.id));
  EXPECT_EQ(red.light, WarningLight::kRed);

  ASSERT_OK_AND_ASSIGN(ExtensionRequest decided, Do<ExtensionRequest>([&](WriteTxn& tx) {
                         return ledger_->DecideExtension(tx, actor_, asked.id, true, "同意");
                       }));
  EXPECT_EQ(decided.state, ExtensionState::kApproved);
  ASSERT_OK_AND_ASSIGN(Task moved, ledger_->GetTask(task.id));
  EXPECT_EQ(moved.deadline, absl::CivilDay(2022, 2, 28));
  EXPECT_EQ(moved.deadline_version, 2);
  // No longer overdue; still yellow, since no progress has been reported a third of the way in.
  EXPECT_EQ(moved.light, WarningLight::kYellow);
  EXPECT_EQ(moved.escalation_level, 0);
  ASSERT_OK_AND_ASSIGN(TaskHistory history, ledger_->GetTaskHistory(task.id));
  ASSERT_EQ(history.extensions.size(), 1u);
  EXPECT_EQ(history.extensions[0].old_deadline, absl::CivilDay(2021, 12, 31));
  auto decide_again = Do<ExtensionRequest>(
      [&](WriteTxn& tx) { return ledger_->DecideExtension(tx, actor_, asked.id, false, ""); });
  EXPECT_EQ(decide_again.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(LedgerRulesTest, DeniedExtensionKeepsTheDeadlineAndAllowsANewRequest) {
  ASSERT_OK_AND_ASSIGN(Task task, CreateTask("2021-12-31"));
  ASSERT_OK_AND_ASSIGN(ExtensionRequest asked, Do<ExtensionRequest>([&](WriteTxn& tx) {
                         return ledger_->RequestExtension(tx, actor_, task.id, 0, "2022-01-31",
                                                          "理由");
                       }));
  ASSERT_TRUE(Do<ExtensionRequest>([&](WriteTxn& tx) {
                return ledger_->DecideExtension(tx, actor_, asked.id, false, "理由不充分");
              }).ok());
  ASSERT_OK_AND_ASSIGN(Task same, ledger_->GetTask(task.id));
  EXPECT_EQ(same.deadline, absl::CivilDay(2021, 12, 31));
  EXPECT_EQ(same.deadline_version, 1);
  EXPECT_TRUE(Do<ExtensionRequest>([&](WriteTxn& tx) {
                return ledger_->RequestExtension(tx, actor_, task.id, 0, "2022-01-15", "再申请");
              }).ok());
  auto earlier = Do<ExtensionRequest>([&](WriteTxn& tx) {
    return ledger_->RequestExtension(tx, actor_, task.id, 0, "2021-12-30", "提前");
  });
  EXPECT_FALSE(earlier.ok());
}

TEST_F(LedgerRulesTest, ListTasksWithExtensionPendingShowsOnlyRequestsAwaitingADecision) {
  ASSERT_OK_AND_ASSIGN(Task waiting, CreateTask("2021-12-31", branch_a_.id));
  ASSERT_OK_AND_ASSIGN(Task decided, CreateTask("2021-12-20", branch_a_.id));
  ASSERT_OK_AND_ASSIGN(Task other_branch, CreateTask("2021-12-25", branch_b_.id));
  ASSERT_OK_AND_ASSIGN(Task never_asked, CreateTask("2021-12-10", branch_a_.id));
  auto ask = [&](const Task& task) {
    return Do<ExtensionRequest>([&](WriteTxn& tx) {
      return ledger_->RequestExtension(tx, actor_, task.id, 0, "2022-02-28", "需协调经费");
    });
  };
  ASSERT_OK(ask(waiting).status());
  ASSERT_OK(ask(other_branch).status());
  ASSERT_OK_AND_ASSIGN(ExtensionRequest answered, ask(decided));
  ASSERT_OK(Do<ExtensionRequest>([&](WriteTxn& tx) {
              return ledger_->DecideExtension(tx, actor_, answered.id, false, "理由不充分");
            }).status());

  auto ids = [&](Id unit_id, int page_size) {
    std::vector<Id> out;
    TaskFilter filter;
    filter.unit_id = unit_id;
    filter.extension_pending = true;
    filter.page_size = page_size;
    for (;;) {
      absl::StatusOr<TaskPage> page = ledger_->ListTasks(filter);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) return out;
      for (const Task& t : page->tasks) out.push_back(t.id);
      if (page->next_page_token.empty()) return out;
      filter.page_token = page->next_page_token;
    }
  };
  // In the list's order: by deadline.
  EXPECT_EQ(ids(0, 50), (std::vector<Id>{other_branch.id, waiting.id}));
  EXPECT_EQ(ids(0, 1), (std::vector<Id>{other_branch.id, waiting.id}));
  EXPECT_EQ(ids(branch_a_.id, 50), std::vector<Id>{waiting.id});
}

TEST_F(LedgerRulesTest, OverdueListGroupsByOwnerUnitWithDaysOverdue) {
  ASSERT_OK_AND_ASSIGN(Task a1, CreateTask("2021-12-10", branch_a_.id));
  ASSERT_OK_AND_ASSIGN(Task a2, CreateTask("2021-12-20", branch_a_.id));
  ASSERT_OK_AND_ASSIGN(Task b1, CreateTask("2021-12-15", branch_b_.id));
  ASSERT_OK_AND_ASSIGN(Task later, CreateTask("2022-06-30", branch_b_.id));
  ASSERT_TRUE(
      Do<Task>([&](WriteTxn& tx) { return ledger_->StartTask(tx, actor_, b1.id, 0); }).ok());
  ASSERT_OK_AND_ASSIGN(OverdueList list, ledger_->OverdueReport(0, "2021-12-21"));
  EXPECT_EQ(list.total, 3);
  ASSERT_EQ(list.groups.size(), 2u);
  EXPECT_EQ(list.groups[0].unit.id, branch_a_.id);
  ASSERT_EQ(list.groups[0].entries.size(), 2u);
  EXPECT_EQ(list.groups[0].entries[0].task.id, a1.id);
  EXPECT_EQ(list.groups[0].entries[0].days_overdue, 11);
  EXPECT_EQ(list.groups[0].entries[1].days_overdue, 1);
  EXPECT_EQ(list.groups[1].entries[0].task.id, b1.id);
  EXPECT_EQ(list.groups[1].entries[0].days_overdue, 6);
  // A task due on the report date is not overdue yet; a subtree sees only its own.
  ASSERT_OK_AND_ASSIGN(OverdueList on_due, ledger_->OverdueReport(0, "2021-12-20"));
  EXPECT_EQ(on_due.total, 2);
  ASSERT_OK_AND_ASSIGN(OverdueList only_b, ledger_->OverdueReport(branch_b_.id, "2021-12-21"));
  EXPECT_EQ(only_b.total, 1);
  (void)a2;
  (void)later;
}

TEST_F(LedgerRulesTest, ListTasksFiltersAndPagesWithoutGapsOrRepeats) {
  std::vector<Id> created;
  for (int day = 10; day < 20; ++day) {
    ASSERT_OK_AND_ASSIGN(Task t, CreateTask(absl::StrCat("2021-12-", day),
                                            day % 2 == 0 ? branch_a_.id : branch_b_.id));
    created.push_back(t.id);
  }
  ASSERT_OK_AND_ASSIGN(Task ongoing, CreateTask("", branch_a_.id, 30));
  TaskFilter filter;
  filter.page_size = 3;
  std::vector<Id> seen;
  for (int pages = 0; pages < 10; ++pages) {
    ASSERT_OK_AND_ASSIGN(TaskPage page, ledger_->ListTasks(filter));
    for (const Task& t : page.tasks) seen.push_back(t.id);
    if (page.next_page_token.empty()) break;
    filter.page_token = page.next_page_token;
  }
  created.push_back(ongoing.id);  // no deadline: last
  EXPECT_EQ(seen, created);

  TaskFilter only_a;
  only_a.unit_id = branch_a_.id;
  only_a.deadline_from = "2021-12-12";
  only_a.deadline_to = "2021-12-16";
  ASSERT_OK_AND_ASSIGN(TaskPage a, ledger_->ListTasks(only_a));
  EXPECT_EQ(a.tasks.size(), 3u);  // 12, 14, 16

  TaskFilter bad;
  bad.statuses = {42};
  EXPECT_EQ(ledger_->ListTasks(bad).status().code(), absl::StatusCode::kInvalidArgument);
  bad.statuses = {};
  bad.page_token = "not-a-token";
  EXPECT_EQ(ledger_->ListTasks(bad).status().code(), absl::StatusCode::kInvalidArgument);
}

// Each bad input gets its own clear error, naming the field, and changes nothing.
TEST_F(LedgerRulesTest, BadInputIsRefusedNamingTheFieldAndChangesNothing) {
  ASSERT_OK_AND_ASSIGN(Task task, CreateTask("2021-12-31"));
  const int64_t events = EventCount();
  struct Case {
    const char* field;
    absl::StatusCode code;
    std::function<absl::Status()> call;
  };
  const std::string too_long(2001, 'x');
  const std::string bad_utf8 = "\xE6\x95";
  std::vector<Case> cases = {
      {"measure", absl::StatusCode::kInvalidArgument,
       [&] {
         NewTask in{problem_.id, "", branch_a_.id, "张三", "", "2021-12-31", 0};
         return Do<Task>([&](WriteTxn& tx) { return ledger_->CreateTask(tx, actor_, in); })
             .status();
       }},
      {"measure", absl::StatusCode::kInvalidArgument,
       [&] {
         NewTask in{problem_.id, too_long, branch_a_.id, "张三", "", "2021-12-31", 0};
         return Do<Task>([&](WriteTxn& tx) { return ledger_->CreateTask(tx, actor_, in); })
             .status();
       }},
      {"owner_person", absl::StatusCode::kInvalidArgument,
       [&] {
         NewTask in{problem_.id, "措施", branch_a_.id, bad_utf8, "", "2021-12-31", 0};
         return Do<Task>([&](WriteTxn& tx) { return ledger_->CreateTask(tx, actor_, in); })
             .status();
       }},
      {"deadline", absl::StatusCode::kInvalidArgument,
       [&] { return CreateTask("2021-11-30").status(); }},
      {"deadline", absl::StatusCode::kInvalidArgument,
       [&] { return CreateTask("2021-13-01").status(); }},
      {"percent", absl::StatusCode::kInvalidArgument,
       [&] {
         return Do<Reported>([&](WriteTxn& tx) {
                  return ledger_->ReportProgress(tx, actor_, task.id, 0, "进展", 101, {});
                })
             .status();
       }},
      {"percent", absl::StatusCode::kInvalidArgument,
       [&] {
         return Do<Reported>([&](WriteTxn& tx) {
                  return ledger_->ReportProgress(tx, actor_, task.id, 0, "进展", -1, {});
                })
             .status();
       }},
      {"任务 999", absl::StatusCode::kNotFound,
       [&] {
         return Do<Task>([&](WriteTxn& tx) { return ledger_->StartTask(tx, actor_, 999, 0); })
             .status();
       }},
      {"单位 999", absl::StatusCode::kNotFound,
       [&] { return CreateTask("2021-12-31", 999).status(); }},
      {"kind", absl::StatusCode::kInvalidArgument,
       [&] {
         return Do<Review>([&](WriteTxn& tx) {
                  return ledger_->CreateReview(tx, actor_, "检视", 77, "2021-12-01", committee_.id,
                                               "");
                })
             .status();
       }},
      {"name", absl::StatusCode::kInvalidArgument,
       [&] {
         return Do<OrgUnit>([&](WriteTxn& tx) {
                  return ledger_->CreateUnit(tx, actor_, committee_.id,
                                             std::string("第三\0支部", 13));
                })
             .status();
       }},
      {"第一支部", absl::StatusCode::kAlreadyExists,
       [&] {
         return Do<OrgUnit>([&](WriteTxn& tx) {
                  return ledger_->CreateUnit(tx, actor_, committee_.id, "第一支部");
                })
             .status();
       }},
      {"evidence.file_name", absl::StatusCode::kInvalidArgument,
       [&] {
         return Do<Reported>([&](WriteTxn& tx) {
                  return ledger_->ReportProgress(tx, actor_, task.id, 0, "进展", 10,
                                                 {NewEvidence{"../etc/passwd", "", "x"}});
                })
             .status();
       }},
      {"evidence.content", absl::StatusCode::kResourceExhausted,
       [&] {
         std::string big(settings_.max_evidence_bytes + 1, 'x');
         return Do<Reported>([&](WriteTxn& tx) {
                  return ledger_->ReportProgress(tx, actor_, task.id, 0, "进展", 10,
                                                 {NewEvidence{"big.bin", "", big}});
                })
             .status();
       }},
  };
  for (const Case& c : cases) {
    absl::Status s = c.call();
    EXPECT_EQ(s.code(), c.code) << c.field << ": " << s;
    EXPECT_NE(s.message().find(c.field), absl::string_view::npos) << c.field << ": " << s;
  }
  EXPECT_EQ(EventCount(), events);
  ASSERT_OK_AND_ASSIGN(Task same, ledger_->GetTask(task.id));
  EXPECT_EQ(same.version, task.version);
  EXPECT_EQ(same.status, TaskStatus::kOpen);
}

TEST_F(LedgerRulesTest, OnlyOneRootAndUnitsRenameWithVersionCheck) {
  auto second_root =
      Do<OrgUnit>([&](WriteTxn& tx) { return ledger_->CreateUnit(tx, actor_, 0, "另一个党委"); });
  EXPECT_EQ(second_root.status().code(), absl::StatusCode::kAlreadyExists);
  ASSERT_OK_AND_ASSIGN(OrgUnit renamed, Do<OrgUnit>([&](WriteTxn& tx) {
                         return ledger_->RenameUnit(tx, actor_, branch_a_.id, "机关第一支部", 1);
                       }));
  EXPECT_EQ(renamed.version, 2);
  auto stale = Do<OrgUnit>(
      [&](WriteTxn& tx) { return ledger_->RenameUnit(tx, actor_, branch_a_.id, "又一个名字", 1); });
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  auto clash = Do<OrgUnit>(
      [&](WriteTxn& tx) { return ledger_->RenameUnit(tx, actor_, branch_a_.id, "第二支部", 0); });
  EXPECT_EQ(clash.status().code(), absl::StatusCode::kAlreadyExists);
}

}  // namespace
}  // namespace rectify
