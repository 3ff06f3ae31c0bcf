// Correcting an import (ledger_import_fix.cc) and what a document's own owners and deadlines do
// to the drafts (ledger_import.cc): withdraw as a whole while everything is a draft, correct a
// problem or a draft measure, give a problem several measures, a measure edited in the
// spreadsheet applied to a draft and refused for an assigned task.
#include "gmock/gmock.h"
#include "tests/support/import_fixture.h"

namespace rectify {
namespace {

using ::testing::HasSubstr;
using testing_support::ImportTest;

class LedgerImportFixTest : public ImportTest {
 protected:
  ImportedReview MustImport(const std::string& content = "document one") {
    absl::StatusOr<ImportedReview> done = Import(SampleImport(branch_a_.id, content));
    EXPECT_TRUE(done.ok()) << done.status();
    return done.ok() ? *done : ImportedReview{};
  }
  absl::StatusOr<WithdrawnImport> Withdraw(Id review_id) {
    return Do<WithdrawnImport>(
        [&](WriteTxn& tx) { return ledger_->WithdrawImport(tx, actor_, review_id, "导入了旧稿"); });
  }
};

TEST_F(LedgerImportFixTest, AMistakenImportIsWithdrawnWholeAndCanBeImportedAgain) {
  const ImportedReview done = MustImport();
  ASSERT_OK_AND_ASSIGN(WithdrawnImport w, Withdraw(done.review.id));
  EXPECT_EQ(w.cancelled_task_ids.size(), 3u);
  for (const Task& t : done.tasks) EXPECT_EQ(Stored(t.id).status, TaskStatus::kCancelled);
  EXPECT_THAT(w.review.title, HasSubstr("已撤回"));
  // The same content imports again (it was refused as a duplicate before the withdrawal).
  EXPECT_TRUE(Import(SampleImport(branch_a_.id)).ok());
  // Twice is refused: it is no longer an import.
  EXPECT_EQ(Withdraw(done.review.id).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(LedgerImportFixTest, WithdrawingIsRefusedOnceATaskWasAssignedAndChangesNothing) {
  const ImportedReview done = MustImport();
  ASSERT_TRUE(Assign(ToBranchA(done.tasks[1].id)).ok());
  const int64_t events = EventCount();
  absl::StatusOr<WithdrawnImport> w = Withdraw(done.review.id);
  ASSERT_EQ(w.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(w.status().message()),
              HasSubstr(absl::StrCat("任务 ", done.tasks[1].id)));
  EXPECT_EQ(Stored(done.tasks[0].id).status, TaskStatus::kOpen);
  EXPECT_EQ(EventCount(), events);
}

TEST_F(LedgerImportFixTest, AProblemAndADraftMeasureCanBeCorrected) {
  const ImportedReview done = MustImport();
  ASSERT_OK_AND_ASSIGN(Problem p, Do<Problem>([&](WriteTxn& tx) {
                         return ledger_->CorrectProblem(tx, actor_, done.problems[0].id,
                                                        "调研指导不够深入。");
                       }));
  EXPECT_EQ(p.text, "调研指导不够深入。");
  ASSERT_OK_AND_ASSIGN(Task t, Do<Task>([&](WriteTxn& tx) {
                         return ledger_->CorrectDraftMeasure(tx, actor_, done.tasks[1].id, 0,
                                                             "每季度到联系点调研一次。");
                       }));
  EXPECT_EQ(Stored(done.tasks[1].id).measure, "每季度到联系点调研一次。");
  EXPECT_EQ(t.version, done.tasks[1].version + 1);
  // An assigned task's measure is not a draft's: refused.
  ASSERT_TRUE(Assign(ToBranchA(done.tasks[2].id)).ok());
  absl::StatusOr<Task> refused = Do<Task>([&](WriteTxn& tx) {
    return ledger_->CorrectDraftMeasure(tx, actor_, done.tasks[2].id, 0, "另一措施");
  });
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<Problem> refused_problem = Do<Problem>([&](WriteTxn& tx) {
    return ledger_->CorrectProblem(tx, actor_, done.problems[2].id, "改写");
  });
  EXPECT_EQ(refused_problem.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(LedgerImportFixTest, OneProblemCanGetSeveralMeasures) {
  const ImportedReview done = MustImport();
  ASSERT_OK_AND_ASSIGN(Task extra, Do<Task>([&](WriteTxn& tx) {
                         return ledger_->AddDraftMeasure(tx, actor_, done.problems[0].id,
                                                         "建立调研台账。");
                       }));
  EXPECT_TRUE(extra.draft);
  EXPECT_EQ(extra.problem_id, done.problems[0].id);
  EXPECT_EQ(extra.review_id, done.review.id);
  EXPECT_EQ(extra.owner_unit_id, branch_a_.id);
  EXPECT_EQ(Stored(extra.id).measure, "建立调研台账。");
  // Withdrawing takes the added draft along.
  ASSERT_OK_AND_ASSIGN(WithdrawnImport w, Withdraw(done.review.id));
  EXPECT_EQ(w.cancelled_task_ids.size(), 4u);
}

TEST_F(LedgerImportFixTest, AMeasureEditedInTheSheetIsAppliedToADraftAndRefusedOnceAssigned) {
  const ImportedReview done = MustImport();
  TaskAssignment a = ToBranchA(done.tasks[0].id);
  a.measure = "每月到联系点调研一次。";
  ASSERT_TRUE(Assign(a).ok());
  EXPECT_EQ(Stored(done.tasks[0].id).measure, "每月到联系点调研一次。");
  // The same row again changes nothing; a different measure for the now assigned task is
  // refused, not dropped.
  EXPECT_TRUE(Assign(a).ok());
  a.measure = "每周调研。";
  absl::StatusOr<Task> refused = Assign(a);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("整改措施"));
  EXPECT_EQ(Stored(done.tasks[0].id).measure, "每月到联系点调研一次。");
}

TEST_F(LedgerImportFixTest, ADocumentsOwnerAndDeadlineFillTheDraft) {
  ReviewImport in = SampleImport(branch_a_.id);
  in.unit_id = committee_.id;
  in.problems[0].owner_unit_name = "第二支部";
  in.problems[0].owner_person = "王敏";
  in.problems[0].deadline = "2026-12-31";
  in.problems[1].owner_unit_name = "不存在的处室";  // no such unit: stays with the committee
  in.problems[2].deadline = "2000-01-31";           // past: not a plan
  ASSERT_OK_AND_ASSIGN(ImportedReview done, Import(in));
  const Task first = Stored(done.tasks[0].id);
  EXPECT_TRUE(first.draft);
  EXPECT_EQ(first.owner_unit_id, branch_b_.id);
  EXPECT_EQ(first.owner_person, "王敏");
  ASSERT_TRUE(first.deadline.has_value());
  EXPECT_EQ(*first.deadline, absl::CivilDay(2026, 12, 31));
  EXPECT_EQ(Stored(done.tasks[1].id).owner_unit_id, committee_.id);
  EXPECT_FALSE(Stored(done.tasks[2].id).deadline.has_value());
}

}  // namespace
}  // namespace rectify
