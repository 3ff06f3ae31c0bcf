// LedgerTest plus what the import and assignment tests share: a small review import (three
// problems, two causes; one problem without a linked measure), and counters of what is stored,
// so that a test can assert that a refused call left nothing behind.
#ifndef RECTIFY_TESTS_SUPPORT_IMPORT_FIXTURE_H_
#define RECTIFY_TESTS_SUPPORT_IMPORT_FIXTURE_H_

#include <string>
#include <vector>

#include "services/common/sha256.h"
#include "services/domain/drafts.h"
#include "tests/support/ledger_fixture.h"

namespace rectify {
namespace testing_support {

class ImportTest : public LedgerTest {
 protected:
  void SetUp() override {
    LedgerTest::SetUp();
    SeedLedger();
  }

  // What the ledger holds, counted over the whole store.
  struct Counts {
    size_t reviews = 0;
    size_t tasks = 0;
    size_t problems = 0;  // of every review
    size_t causes = 0;

    bool operator==(const Counts& o) const {
      return reviews == o.reviews && tasks == o.tasks && problems == o.problems &&
             causes == o.causes;
    }
  };

  Counts Count() {
    Counts c;
    EXPECT_TRUE(store_
                    ->Read([&](ReadTxn& tx) -> absl::Status {
                      auto reviews = tx.ListReviews("", 0, 100000);
                      if (!reviews.ok()) return reviews.status();
                      c.reviews = reviews->size();
                      for (const Review& r : *reviews) {
                        auto problems = tx.ListProblems(r.id, 0, 100000);
                        if (!problems.ok()) return problems.status();
                        c.problems += problems->size();
                        auto causes = tx.ListRootCauses(r.id);
                        if (!causes.ok()) return causes.status();
                        c.causes += causes->size();
                      }
                      TaskQuery all;
                      all.limit = 100000;
                      auto tasks = tx.ListTasks(all);
                      if (!tasks.ok()) return tasks.status();
                      c.tasks = tasks->size();
                      return absl::OkStatus();
                    })
                    .ok());
    return c;
  }

  // Three problems in two areas; the second is linked to no measure.
  ReviewImport SampleImport(Id unit_id, const std::string& content = "document one") {
    ReviewImport in;
    in.title = "2021年党史学习教育专题组织生活会（导入）";
    in.kind = 1;
    in.held_on = "2021-11-30";
    in.unit_id = unit_id;
    in.source_document = "branch-self-review-2021.txt";
    in.source_sha256 = Sha256Hex(content);
    in.causes = {{"理论武装不够强。急用现学多、活学活用少。", 13}, {"宗旨意识不够牢固。", 15}};
    in.problems = {
        {"在联系服务群众方面", "调研指导还不够深入。", "进一步加强调查研究，为群众办实事。", 10},
        {"在联系服务群众方面", "与科技工作者和基层单位联系得还不够紧。", "", 10},
        {"在持续纠正“四风”方面", "以会议落实会议、以文件落实文件。",
         "进一步加强廉政建设，筑牢廉洁自律防线。", 11},
    };
    return in;
  }

  absl::StatusOr<ImportedReview> Import(const ReviewImport& in) {
    return Do<ImportedReview>([&](WriteTxn& tx) { return ledger_->ImportReview(tx, actor_, in); });
  }

  absl::StatusOr<Task> Assign(const TaskAssignment& in) {
    return Do<Task>([&](WriteTxn& tx) { return ledger_->AssignTask(tx, actor_, in); });
  }

  absl::StatusOr<AssignmentOutcome> AssignAll(const std::vector<AssignmentRow>& rows) {
    return Do<AssignmentOutcome>(
        [&](WriteTxn& tx) { return ledger_->AssignTasks(tx, actor_, rows); });
  }

  // A complete assignment of task `id` to branch A, due `deadline`.
  TaskAssignment ToBranchA(Id id, const std::string& deadline = "2021-12-31") {
    TaskAssignment a;
    a.id = id;
    a.owner_unit_id = branch_a_.id;
    a.owner_person = "张三";
    a.leader = "李书记";
    a.deadline = deadline;
    return a;
  }

  Task Stored(Id id) {
    Task task;
    EXPECT_TRUE(store_
                    ->Read([&](ReadTxn& tx) -> absl::Status {
                      auto t = tx.GetTask(id);
                      if (!t.ok()) return t.status();
                      task = *t;
                      return absl::OkStatus();
                    })
                    .ok());
    return task;
  }
};

}  // namespace testing_support
}  // namespace rectify

#endif  // RECTIFY_TESTS_SUPPORT_IMPORT_FIXTURE_H_
