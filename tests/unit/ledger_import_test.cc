// Ledger::ImportReview: a review report becomes a review, its root causes, its problems and one
// draft task per problem, in one transaction, at most once per unit and content.
#include "gmock/gmock.h"
#include "services/domain/flag_rules.h"
#include "tests/support/import_fixture.h"

namespace rectify {
namespace {

using ::testing::HasSubstr;
using testing_support::ImportTest;

class LedgerImportTest : public ImportTest {};

TEST_F(LedgerImportTest, ImportCreatesReviewCausesProblemsAndOneDraftPerProblem) {
  const Counts before = Count();
  ASSERT_OK_AND_ASSIGN(ImportedReview done, Import(SampleImport(branch_a_.id)));

  EXPECT_GT(done.review.id, 0);
  EXPECT_EQ(done.review.unit_id, branch_a_.id);
  EXPECT_EQ(done.review.source_document, "branch-self-review-2021.txt");
  EXPECT_EQ(done.review.source_sha256, Sha256Hex("document one"));
  ASSERT_EQ(done.causes.size(), 2u);
  ASSERT_EQ(done.problems.size(), 3u);
  ASSERT_EQ(done.tasks.size(), 3u);
  EXPECT_EQ(done.problems[0].seq, 1);
  EXPECT_EQ(done.problems[2].seq, 3);
  EXPECT_EQ(done.problems[2].area, "在持续纠正“四风”方面");
  EXPECT_TRUE(done.problems[0].root_cause_ids.empty());  // the document does not say which

  for (size_t i = 0; i < done.tasks.size(); ++i) {
    const Task stored = Stored(done.tasks[i].id);
    EXPECT_TRUE(stored.draft);
    EXPECT_EQ(stored.status, TaskStatus::kOpen);
    EXPECT_EQ(stored.problem_id, done.problems[i].id);
    EXPECT_EQ(stored.review_id, done.review.id);
    EXPECT_EQ(stored.owner_unit_id, branch_a_.id);
    EXPECT_EQ(stored.owner_path, branch_a_.path);
    EXPECT_EQ(stored.owner_person, "");
    EXPECT_FALSE(stored.deadline.has_value());
    EXPECT_EQ(stored.cadence_days, 0);
    EXPECT_EQ(stored.light, WarningLight::kGreen);
    EXPECT_FALSE(stored.next_check_time.has_value());
  }
  EXPECT_EQ(Stored(done.tasks[0].id).measure, "进一步加强调查研究，为群众办实事。");
  // Unlinked: the draft carries the problem's own words for the committee to rewrite.
  EXPECT_EQ(Stored(done.tasks[1].id).measure, "与科技工作者和基层单位联系得还不够紧。");

  const Counts after = Count();
  EXPECT_EQ(after.reviews, before.reviews + 1);
  EXPECT_EQ(after.causes, before.causes + 2);
  EXPECT_EQ(after.problems, before.problems + 3);
  EXPECT_EQ(after.tasks, before.tasks + 3);
}

TEST_F(LedgerImportTest, DraftsAreNeverFlaggedOrOverdueHoweverLongTheyWait) {
  ASSERT_OK_AND_ASSIGN(ImportedReview done, Import(SampleImport(branch_a_.id)));
  clock_->Advance(absl::Hours(24 * 400));
  const Task draft = Stored(done.tasks[0].id);
  const TaskEvaluation e = EvaluateTask(draft, clock_->Now(), settings_);
  EXPECT_EQ(e.light, WarningLight::kGreen);
  EXPECT_TRUE(e.flags.empty());
  EXPECT_FALSE(e.overdue);
  EXPECT_FALSE(e.next_check_time.has_value());
  ASSERT_OK(store_->Read([&](ReadTxn& tx) -> absl::Status {
    auto due = tx.ListTasksDueForCheck(clock_->Now(), 100);
    EXPECT_TRUE(due.ok() && due->empty());
    return absl::OkStatus();
  }));
  ASSERT_OK_AND_ASSIGN(OverdueList overdue, ledger_->OverdueReport(0, ""));
  EXPECT_EQ(overdue.total, 0);
}

TEST_F(LedgerImportTest, SameContentTwiceForOneUnitIsRefusedNamingTheReviewAndDoublesNothing) {
  ASSERT_OK_AND_ASSIGN(ImportedReview first, Import(SampleImport(branch_a_.id)));
  const Counts before = Count();
  const int64_t events = EventCount();

  ReviewImport again = SampleImport(branch_a_.id);
  again.title = "另一个标题";
  again.source_document = "renamed.txt";
  auto second = Import(again);
  ASSERT_EQ(second.status().code(), absl::StatusCode::kAlreadyExists) << second.status();
  EXPECT_THAT(second.status().message(), HasSubstr(absl::StrCat("检视 ", first.review.id)));
  EXPECT_THAT(second.status().message(), HasSubstr("nothing was created"));
  EXPECT_TRUE(Count() == before);
  EXPECT_EQ(EventCount(), events);

  ASSERT_OK_AND_ASSIGN(absl::optional<Review> found,
                       ledger_->FindImportedReview(branch_a_.id, Sha256Hex("document one")));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, first.review.id);
}

TEST_F(LedgerImportTest, SameContentForAnotherUnitOrOtherContentIsANewReview) {
  ASSERT_OK(Import(SampleImport(branch_a_.id)).status());
  ASSERT_OK(Import(SampleImport(branch_b_.id)).status());
  ASSERT_OK(Import(SampleImport(branch_a_.id, "document two")).status());
  ASSERT_OK_AND_ASSIGN(absl::optional<Review> none,
                       ledger_->FindImportedReview(branch_a_.id, Sha256Hex("document three")));
  EXPECT_FALSE(none.has_value());
}

TEST_F(LedgerImportTest, FailedImportLeavesNothingBehind) {
  const Counts before = Count();
  const int64_t events = EventCount();
  EXPECT_EQ(Import(SampleImport(999)).status().code(), absl::StatusCode::kNotFound);
  // The review kind is checked after the causes and problems are validated, when the review is
  // written: still nothing may remain.
  ReviewImport bad_kind = SampleImport(branch_a_.id);
  bad_kind.kind = 42;
  EXPECT_EQ(Import(bad_kind).status().code(), absl::StatusCode::kInvalidArgument);
  ReviewImport bad_date = SampleImport(branch_a_.id);
  bad_date.held_on = "2021-02-30";
  EXPECT_EQ(Import(bad_date).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Count() == before);
  EXPECT_EQ(EventCount(), events);
  // And the content was not marked as imported by the failures.
  ASSERT_OK(Import(SampleImport(branch_a_.id)).status());
}

TEST_F(LedgerImportTest, EveryOverlongItemIsReportedWithItsLine) {
  ReviewImport in = SampleImport(branch_a_.id);
  in.problems[0].text.clear();
  for (int i = 0; i < 2001; ++i) in.problems[0].text += "问";
  in.causes[1].text.clear();
  for (int i = 0; i < 2001; ++i) in.causes[1].text += "因";
  auto result = Import(in);
  ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(), HasSubstr("2 处内容不能导入"));
  EXPECT_THAT(result.status().message(), HasSubstr("第 10 行：问题"));
  EXPECT_THAT(result.status().message(), HasSubstr("第 15 行：根源"));
}

TEST_F(LedgerImportTest, ImportWithoutProblemsOrWithABadHashIsRefused) {
  ReviewImport empty = SampleImport(branch_a_.id);
  empty.problems.clear();
  EXPECT_EQ(Import(empty).status().code(), absl::StatusCode::kInvalidArgument);
  ReviewImport bad_hash = SampleImport(branch_a_.id);
  bad_hash.source_sha256 = "abc";
  auto result = Import(bad_hash);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(), HasSubstr("source_sha256"));
}

TEST_F(LedgerImportTest, DefaultsFillOwnerLeaderAndTheDateHeld) {
  ReviewImport in = SampleImport(branch_a_.id);
  in.held_on.clear();
  in.default_owner_person = "王五";
  in.default_leader = "赵书记";
  ASSERT_OK_AND_ASSIGN(ImportedReview done, Import(in));
  EXPECT_EQ(done.review.held_on, absl::CivilDay(2021, 12, 1));  // today in Asia/Shanghai
  for (const Task& task : done.tasks) {
    EXPECT_TRUE(task.draft);  // a person alone does not make a task: it still has no deadline
    EXPECT_EQ(task.owner_person, "王五");
    EXPECT_EQ(task.leader, "赵书记");
  }
}

TEST_F(LedgerImportTest, DraftCannotBeStartedOrTakeProgressButCanBeCancelled) {
  ASSERT_OK_AND_ASSIGN(ImportedReview done, Import(SampleImport(branch_a_.id)));
  const Id id = done.tasks[0].id;
  auto start = Do<Task>([&](WriteTxn& tx) { return ledger_->StartTask(tx, actor_, id, 0); });
  EXPECT_EQ(start.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(start.status().message(), HasSubstr("草稿"));
  auto progress = Do<std::pair<Task, ProgressReport>>(
      [&](WriteTxn& tx) { return ledger_->ReportProgress(tx, actor_, id, 0, "开始", 10, {}); });
  EXPECT_EQ(progress.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Stored(id).version, 1);
  ASSERT_OK_AND_ASSIGN(Task cancelled, Do<Task>([&](WriteTxn& tx) {
                         return ledger_->CancelTask(tx, actor_, id, 0, "与问题 1 重复");
                       }));
  EXPECT_EQ(cancelled.status, TaskStatus::kCancelled);
}

}  // namespace
}  // namespace rectify
