// A small ledger whose reports were worked out by hand, for the tests of the overdue list, the
// statistics and the export (domain and gRPC alike).
//
// Units (tree order):  机关党委 (committee) > 第一支部 (branch_a) > 第一党小组 (group_a)
//                                          > 第二支部 (branch_b)
// One review held by the committee, three problems:
//   P1 在联系服务群众方面 (seq 1), P2 在理论学习方面 (seq 2), P3 在作风建设方面 (seq 3, no task).
// Eleven tasks, all assigned 2021-12-01 09:00 (Asia/Shanghai):
//   T1  branch_a 张三 P1 due 2021-12-10  OPEN
//   T2  group_a  李四 P2 due 2021-12-20  IN_PROGRESS, 30% "已完成第一轮学习"
//   T3  branch_b 王五 P1 due 2022-03-03  OPEN
//   T4  branch_a 张三 P2 due 2021-12-31  CLOSED 2021-12-15 (on time)
//   T5  branch_b 王五 P2 due 2021-12-05  CLOSED 2021-12-08 (late)
//   T6  branch_a 张三 P1 due 2022-03-31  CANCELLED
//   T7  committee 赵六 P1 due 2022-06-30 SUBMITTED
//   T8  branch_b 王五 P2 long-term, every 30 days: ONGOING, checkpoint 2021-12-31
//   T9  group_a  李四 P1 due 2021-12-09  OPEN
//   T10 branch_a 张三 P2 due 2022-03-02  IN_PROGRESS (started, no report)
//   T11 branch_b 王五 P1 due 2022-02-01  OPEN
// As of 2022-03-10 the overdue ones are (days, aging, 督办 level with the 7-day grace period):
//   T9 91 >90 L2; T1 90 31-90 L2; T2 80 31-90 L2; T8 69 31-90 L2; T11 37 31-90 L2;
//   T10 8 8-30 L2; T3 7 1-7 L1.
// The clock is left at 2021-12-15 09:00.
#ifndef RECTIFY_TESTS_SUPPORT_REPORT_LEDGER_H_
#define RECTIFY_TESTS_SUPPORT_REPORT_LEDGER_H_

#include <string>

#include "tests/support/ledger_fixture.h"

namespace rectify {
namespace testing_support {

class ReportLedgerTest : public LedgerTest {
 protected:
  void BuildReportLedger() {
    SeedLedger();  // committee_, branch_a_, branch_b_, review_, problem_ (P1)
    group_a_ = MustUnit(branch_a_.id, "第一党小组");
    p1_ = problem_;
    p2_ = MustProblem("在理论学习方面", "理论学习不够系统");
    p3_ = MustProblem("在作风建设方面", "调查研究不够深入");

    t1_ = Make(branch_a_, "张三", p1_, "2021-12-10");
    t2_ = Make(group_a_, "李四", p2_, "2021-12-20");
    t3_ = Make(branch_b_, "王五", p1_, "2022-03-03");
    t4_ = Make(branch_a_, "张三", p2_, "2021-12-31");
    t5_ = Make(branch_b_, "王五", p2_, "2021-12-05");
    t6_ = Make(branch_a_, "张三", p1_, "2022-03-31");
    t7_ = Make(committee_, "赵六", p1_, "2022-06-30");
    t8_ = Make(branch_b_, "王五", p2_, "", 30);
    t9_ = Make(group_a_, "李四", p1_, "2021-12-09");
    t10_ = Make(branch_a_, "张三", p2_, "2022-03-02");
    t11_ = Make(branch_b_, "王五", p1_, "2022-02-01");

    Must(Do<std::pair<Task, ProgressReport>>([&](WriteTxn& tx) {
           return ledger_->ReportProgress(tx, actor_, t2_.id, 0, "已完成第一轮学习", 30, {});
         }).status());
    Must(Do<Task>([&](WriteTxn& tx) {
           return ledger_->StartTask(tx, actor_, t10_.id, 0);
         }).status());
    for (const Task* t : {&t4_, &t5_, &t7_}) {
      Must(Do<Task>([&](WriteTxn& tx) {
             return ledger_->StartTask(tx, actor_, t->id, 0);
           }).status());
      Must(Do<Task>([&](WriteTxn& tx) {
             return ledger_->SubmitTask(tx, actor_, t->id, 0, "已完成");
           }).status());
    }
    Must(Do<Task>([&](WriteTxn& tx) {
           return ledger_->CancelTask(tx, actor_, t6_.id, 0, "与其他措施合并");
         }).status());
    clock_->Set(Local(2021, 12, 8, 9));
    Must(Do<Task>([&](WriteTxn& tx) {
           return ledger_->AcceptTask(tx, actor_, t5_.id, 0, "");
         }).status());
    clock_->Set(Local(2021, 12, 15, 9));
    Must(Do<Task>([&](WriteTxn& tx) {
           return ledger_->AcceptTask(tx, actor_, t4_.id, 0, "");
         }).status());
  }

  Problem MustProblem(const std::string& area, const std::string& text) {
    auto problem = Do<Problem>([&](WriteTxn& tx) {
      return ledger_->CreateProblem(tx, actor_, review_.id, area, text, {});
    });
    EXPECT_TRUE(problem.ok()) << problem.status();
    return problem.ok() ? *problem : Problem{};
  }

  Task Make(const OrgUnit& owner, const std::string& person, const Problem& problem,
            const std::string& deadline, int cadence_days = 0) {
    NewTask in;
    in.problem_id = problem.id;
    in.measure = absl::StrCat(problem.area, "：整改措施");
    in.owner_unit_id = owner.id;
    in.owner_person = person;
    in.leader = "李书记";
    in.deadline = deadline;
    in.cadence_days = cadence_days;
    auto task = Do<Task>([&](WriteTxn& tx) { return ledger_->CreateTask(tx, actor_, in); });
    EXPECT_TRUE(task.ok()) << task.status();
    return task.ok() ? *task : Task{};
  }

  static void Must(const absl::Status& status) { EXPECT_TRUE(status.ok()) << status; }

  OrgUnit group_a_;
  Problem p1_, p2_, p3_;
  Task t1_, t2_, t3_, t4_, t5_, t6_, t7_, t8_, t9_, t10_, t11_;
};

}  // namespace testing_support
}  // namespace rectify

#endif  // RECTIFY_TESTS_SUPPORT_REPORT_LEDGER_H_
