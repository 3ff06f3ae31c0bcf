// ImportService end to end for the documents people really write and for correcting an import:
// a .docx-free table document previewed with its owners and deadlines, imported into drafts that
// carry them, withdrawn as a whole and imported again, and a draft's measure corrected.
#include "gmock/gmock.h"
#include "rectify/v1/import.grpc.pb.h"
#include "tests/support/import_server_fixture.h"

namespace rectify {
namespace {

using ::testing::HasSubstr;
using testing_support::ImportServerTest;

constexpr char kTable[] =
    "巡察反馈问题整改清单\n"
    "| 序号 | 问题 | 整改措施 | 责任单位 | 完成时限 |\n"
    "|---|---|---|---|---|\n"
    "| 1 | 理论学习不够深入系统 | 制定年度学习计划 | 第二支部 | 2030年12月底 |\n"
    "|   |   | 建立学习台账 |   |   |\n"
    "| 2 | 基层调研次数偏少 | 每季度到基层调研 | 宣传处 | 长期坚持 |\n";

class ImportFixServiceTest : public ImportServerTest {
 protected:
  grpc::Status ImportTable(const std::string& request_id, v1::ImportReviewResponse* out) {
    v1::ImportReviewRequest req;
    req.set_request_id(request_id);
    req.set_document(kTable);
    req.set_file_name("清单.md");
    req.set_held_on("2021-11-30");
    req.set_unit_id(committee_.id);
    return import_->ImportReview(Ctx().get(), req, out);
  }
};

TEST_F(ImportFixServiceTest, ATablesOwnersAndDeadlinesShowInThePreviewAndFillTheDrafts) {
  v1::PreviewImportRequest preview_req;
  preview_req.set_document(kTable);
  v1::ImportPreview preview;
  grpc::Status s = import_->PreviewImport(Ctx().get(), preview_req, &preview);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(preview.problem_count(), 2);
  const v1::PreviewProblem& first = preview.areas(0).problems(0);
  EXPECT_EQ(first.owner(), "第二支部");
  EXPECT_EQ(first.deadline_text(), "2030年12月底");
  EXPECT_EQ(first.deadline(), "2030-12-31");
  EXPECT_EQ(first.measure_number(), 1);
  EXPECT_THAT(first.extra_measure_numbers(), ::testing::ElementsAre(2));
  EXPECT_EQ(preview.areas(0).problems(1).deadline(), "");  // 长期坚持 is no day

  v1::ImportReviewResponse done;
  s = ImportTable("import-table", &done);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(done.task_ids_size(), 2);
  const Task a = Stored(done.task_ids(0));
  EXPECT_TRUE(a.draft);
  EXPECT_EQ(a.owner_unit_id, branch_b_.id);
  EXPECT_EQ(a.measure, "制定年度学习计划\n建立学习台账");
  ASSERT_TRUE(a.deadline.has_value());
  EXPECT_EQ(*a.deadline, absl::CivilDay(2030, 12, 31));
  const Task b = Stored(done.task_ids(1));
  EXPECT_EQ(b.owner_unit_id, committee_.id);  // 宣传处 is no unit here
  EXPECT_FALSE(b.deadline.has_value());
}

TEST_F(ImportFixServiceTest, AWithdrawnImportCanBeImportedAgainAndADraftMeasureCorrected) {
  v1::ImportReviewResponse first;
  ASSERT_TRUE(ImportTable("import-1", &first).ok());
  v1::ImportReviewResponse again;
  EXPECT_EQ(ImportTable("import-2", &again).error_code(), grpc::StatusCode::ALREADY_EXISTS);

  v1::CorrectDraftMeasureRequest fix;
  fix.set_request_id("fix-1");
  fix.set_id(first.task_ids(1));
  fix.set_measure("领导班子成员每季度到基层调研不少于两次");
  v1::Task fixed;
  grpc::Status s = import_->CorrectDraftMeasure(Ctx().get(), fix, &fixed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(fixed.measure(), "领导班子成员每季度到基层调研不少于两次");

  v1::WithdrawImportRequest w;
  w.set_request_id("withdraw-1");
  w.set_review_id(first.review().id());
  w.set_reason("导入了旧版清单");
  v1::WithdrawImportResponse withdrawn;
  s = import_->WithdrawImport(Ctx().get(), w, &withdrawn);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(withdrawn.cancelled_task_ids_size(), 2);
  EXPECT_THAT(withdrawn.review().title(), HasSubstr("已撤回"));
  EXPECT_TRUE(ImportTable("import-3", &again).ok());
}

}  // namespace
}  // namespace rectify
