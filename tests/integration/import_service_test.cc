// ImportService over a real channel to an in-process server: the preview of the shared fixture,
// an import creating everything in one call, idempotency, failures that leave nothing behind,
// garbage input, and bulk assignment as a client sees it.
#include <fstream>
#include <random>
#include <sstream>

#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "rectify/v1/import.grpc.pb.h"
#include "tests/support/import_server_fixture.h"

#ifndef RECTIFY_SOURCE_DIR
#error "RECTIFY_SOURCE_DIR must name the source tree (tests/CMakeLists.txt sets it)"
#endif

namespace rectify {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing_support::ImportServerTest;

// A short report written for these tests, beside the real one in tests/data/importer.
constexpr char kSmallReport[] =
    "关于2021年度民主生活会的对照检查材料\n"
    "一、存在的问题\n"
    "1、在学习教育方面。一是学习不够深入，理论学习浮于表面。二是学习方式不够丰富，创新不多。\n"
    "2、在联系服务群众方面。一是调研指导不够深入，服务群众办法不多。\n"
    "二、问题根源剖析\n"
    "一是理论武装不够强。\n"
    "二是宗旨意识不够牢固。\n"
    "三、整改措施\n"
    "1、加强理论学习，丰富学习方式，推动学习深入。\n"
    "2、加强调查研究，为群众办实事，提升服务群众水平。\n";

std::string ReadFixture() {
  const std::string path =
      absl::StrCat(RECTIFY_SOURCE_DIR, "/tests/data/importer/branch-self-review-2021.txt");
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

class ImportServiceTest : public ImportServerTest {
 protected:
  grpc::Status Preview(const std::string& document, v1::ImportPreview* out, int64_t unit = 0) {
    v1::PreviewImportRequest req;
    req.set_document(document);
    req.set_file_name("reports/branch-self-review-2021.txt");
    req.set_unit_id(unit);
    return import_->PreviewImport(Ctx().get(), req, out);
  }

  v1::ImportReviewRequest ImportRequest(const std::string& document, int64_t unit,
                                        const std::string& request_id = "import-1") {
    v1::ImportReviewRequest req;
    req.set_request_id(request_id);
    req.set_document(document);
    req.set_file_name("branch-self-review-2021.txt");
    req.set_held_on("2021-11-30");
    req.set_unit_id(unit);
    return req;
  }

  v1::ListTasksResponse TasksOf(int64_t review_id) {
    v1::ListTasksRequest req;
    req.set_review_id(review_id);
    req.set_page_size(1000);
    v1::ListTasksResponse resp;
    grpc::Status s = ledger_stub_->ListTasks(Ctx().get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }
};

std::vector<int> ProblemCounts(const v1::ImportPreview& p) {
  std::vector<int> counts;
  for (const auto& area : p.areas()) counts.push_back(area.problems_size());
  return counts;
}

TEST_F(ImportServiceTest, PreviewOfTheFixtureShowsAreasCausesMeasuresAndWhereEachCameFrom) {
  const std::string fixture = ReadFixture();
  ASSERT_FALSE(fixture.empty()) << "tests/data/importer/branch-self-review-2021.txt is missing";
  const Counts before = Count();
  v1::ImportPreview p;
  grpc::Status s = Preview(fixture, &p);
  ASSERT_TRUE(s.ok()) << s.error_message();

  ASSERT_EQ(p.areas_size(), 4);
  EXPECT_EQ(p.areas(0).name(), "在组织开展学习教育方面");
  EXPECT_EQ(p.areas(2).name(), "在联系服务群众方面");
  EXPECT_THAT(ProblemCounts(p), ElementsAre(3, 3, 3, 1));
  EXPECT_EQ(p.problem_count(), 10);
  EXPECT_EQ(p.areas(0).problems(0).number(), 1);
  EXPECT_EQ(p.areas(0).problems(0).location().line(), 8);
  EXPECT_THAT(p.areas(0).problems(0).text(), ::testing::StartsWith("学懂弄通上还有差距"));
  // 联系服务群众 -> measure 2 (为群众办实事); 纠正"四风" -> measure 4 (廉政建设).
  for (const auto& problem : p.areas(2).problems()) EXPECT_EQ(problem.measure_number(), 2);
  EXPECT_EQ(p.areas(3).problems(0).measure_number(), 4);
  ASSERT_EQ(p.causes_size(), 4);
  EXPECT_EQ(p.causes(0).number(), 1);
  EXPECT_EQ(p.causes(0).title(), "理论武装不够强");
  EXPECT_EQ(p.causes(0).location().line(), 13);
  ASSERT_EQ(p.measures_size(), 4);
  EXPECT_EQ(p.measures(3).title(), "进一步加强廉政建设，筑牢廉洁自律防线");
  EXPECT_EQ(p.measures(3).location().line(), 21);
  ASSERT_EQ(p.sections_size(), 4);
  EXPECT_EQ(p.sections(0).kind(), v1::SECTION_BACKGROUND);
  EXPECT_EQ(p.sections(1).kind(), v1::SECTION_PROBLEMS);
  EXPECT_EQ(p.sections(2).kind(), v1::SECTION_CAUSES);
  EXPECT_EQ(p.sections(3).kind(), v1::SECTION_MEASURES);
  EXPECT_EQ(p.unrecognised_size(), 0);
  // Nothing from section 一 is a problem.
  for (const auto& area : p.areas()) {
    for (const auto& problem : area.problems()) {
      EXPECT_THAT(problem.text(), ::testing::Not(HasSubstr("有收获")));
    }
  }
  EXPECT_EQ(p.suggested_kind(), v1::ORGANIZATIONAL_LIFE_MEETING);  // "本次专题组织生活会"
  EXPECT_EQ(p.suggested_title(), "branch-self-review-2021");
  EXPECT_EQ(p.document_sha256(), Sha256Hex(fixture));
  EXPECT_EQ(p.existing_review_id(), 0);
  EXPECT_TRUE(Count() == before);  // a preview stores nothing
}

TEST_F(ImportServiceTest, ImportOfTheFixtureCreatesTenDraftsWithTheirMeasures) {
  const std::string fixture = ReadFixture();
  ASSERT_FALSE(fixture.empty()) << "tests/data/importer/branch-self-review-2021.txt is missing";
  v1::ImportReviewResponse resp;
  grpc::Status s = import_->ImportReview(Ctx().get(), ImportRequest(fixture, committee_.id), &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.review().kind(), v1::ORGANIZATIONAL_LIFE_MEETING);
  EXPECT_EQ(resp.cause_count(), 4);
  EXPECT_EQ(resp.problem_count(), 10);
  ASSERT_EQ(resp.task_ids_size(), 10);
  EXPECT_EQ(resp.unlinked_count(), 0);
  const v1::ListTasksResponse tasks = TasksOf(resp.review().id());
  ASSERT_EQ(tasks.tasks_size(), 10);
  for (const v1::Task& task : tasks.tasks()) {
    EXPECT_TRUE(task.draft());
    EXPECT_EQ(task.status(), v1::OPEN);
    EXPECT_EQ(task.deadline(), "");
    EXPECT_EQ(task.owner_unit_id(), committee_.id);
  }
  EXPECT_THAT(tasks.tasks(9).measure(), ::testing::StartsWith("进一步加强廉政建设"));
  EXPECT_EQ(tasks.tasks(9).area(), "在持续纠正“四风\"方面");
}

TEST_F(ImportServiceTest, ImportCreatesReviewCausesProblemsAndDraftsInOneCall) {
  const Counts before = Count();
  v1::ImportReviewRequest req = ImportRequest(kSmallReport, branch_a_.id);
  req.clear_held_on();
  req.set_default_owner_person("王五");
  v1::ImportReviewResponse resp;
  grpc::Status s = import_->ImportReview(Ctx().get(), req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.review().title(), "关于2021年度民主生活会的对照检查材料");
  EXPECT_EQ(resp.review().kind(), v1::DEMOCRATIC_LIFE_MEETING);
  EXPECT_EQ(resp.review().held_on(), "2021-12-01");
  EXPECT_EQ(resp.review().source_document(), "branch-self-review-2021.txt");
  EXPECT_EQ(resp.document_sha256(), Sha256Hex(kSmallReport));
  EXPECT_EQ(resp.cause_count(), 2);
  EXPECT_EQ(resp.problem_count(), 3);
  ASSERT_EQ(resp.task_ids_size(), 3);
  ASSERT_EQ(resp.problem_ids_size(), 3);

  const Counts after = Count();
  EXPECT_EQ(after.reviews, before.reviews + 1);
  EXPECT_EQ(after.causes, before.causes + 2);
  EXPECT_EQ(after.problems, before.problems + 3);
  EXPECT_EQ(after.tasks, before.tasks + 3);
  const v1::ListTasksResponse tasks = TasksOf(resp.review().id());
  ASSERT_EQ(tasks.tasks_size(), 3);
  EXPECT_EQ(tasks.tasks(0).measure(), "加强理论学习，丰富学习方式，推动学习深入。");
  EXPECT_EQ(tasks.tasks(2).measure(), "加强调查研究，为群众办实事，提升服务群众水平。");
  EXPECT_EQ(tasks.tasks(2).owner_person(), "王五");
  EXPECT_TRUE(tasks.tasks(2).draft());
}

TEST_F(ImportServiceTest, ImportingTheSameFileTwiceDoublesNothing) {
  v1::ImportReviewResponse first;
  ASSERT_TRUE(
      import_->ImportReview(Ctx().get(), ImportRequest(kSmallReport, branch_a_.id), &first).ok());
  const Counts after_first = Count();

  // A retry of the same call (same request_id) gets the same answer.
  v1::ImportReviewResponse retry;
  ASSERT_TRUE(
      import_->ImportReview(Ctx().get(), ImportRequest(kSmallReport, branch_a_.id), &retry).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(first, retry));

  // A new import of the same content (another request_id, another title) is refused.
  v1::ImportReviewRequest again = ImportRequest(kSmallReport, branch_a_.id, "import-2");
  again.set_title("重新导入");
  v1::ImportReviewResponse second;
  grpc::Status s = import_->ImportReview(Ctx().get(), again, &second);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(s.error_message(), HasSubstr(absl::StrCat("检视 ", first.review().id())));
  EXPECT_TRUE(Count() == after_first);

  // And the preview says so before anyone confirms.
  v1::ImportPreview p;
  ASSERT_TRUE(Preview(kSmallReport, &p, branch_a_.id).ok());
  EXPECT_EQ(p.existing_review_id(), first.review().id());
  ASSERT_TRUE(Preview(kSmallReport, &p, branch_b_.id).ok());
  EXPECT_EQ(p.existing_review_id(), 0);
}

TEST_F(ImportServiceTest, FailedImportLeavesNothingBehind) {
  const Counts before = Count();
  v1::ImportReviewResponse resp;
  grpc::Status unknown_unit =
      import_->ImportReview(Ctx().get(), ImportRequest(kSmallReport, 999), &resp);
  EXPECT_EQ(unknown_unit.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(unknown_unit.error_message(), HasSubstr("999"));
  v1::ImportReviewRequest no_unit = ImportRequest(kSmallReport, 0, "import-3");
  EXPECT_EQ(import_->ImportReview(Ctx().get(), no_unit, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  v1::ImportReviewRequest bad_date = ImportRequest(kSmallReport, branch_a_.id, "import-4");
  bad_date.set_held_on("2021-02-30");
  EXPECT_EQ(import_->ImportReview(Ctx().get(), bad_date, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Count() == before);
  v1::ImportPreview p;
  EXPECT_EQ(Preview(kSmallReport, &p, 999).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(ImportServiceTest, GarbageOrBinaryInputIsAClearInvalidArgumentNeverACrash) {
  std::vector<std::pair<std::string, std::string>> inputs = {
      {"empty", ""},
      {"blank", "  \n\n \t\n"},
      {"nul bytes", std::string("\0\0\0\x01\x02binary", 11)},
      {"pdf", "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n"},
      {"zip/docx", std::string("PK\x03\x04\x14\x00\x06\x00", 8) + "[Content_Types].xml"},
      {"gbk", "\xB4\xE6\xD4\xDA\xB5\xC4\xCE\xCA\xCC\xE2\n"},  // 存在的问题 in GBK
      {"utf-16", std::string("\xFF\xFE\x58\x5B\x28\x57", 6)},
      {"no problems section", "一、基本情况\n今年开展了学习。\n"},
      {"too large", std::string(3 * 1024 * 1024, 'a')},
  };
  std::mt19937 random(7);
  for (int i = 0; i < 40; ++i) {
    std::string bytes(1 + random() % 4000, '\0');
    for (char& c : bytes) c = static_cast<char>(random() % 256);
    inputs.push_back({absl::StrCat("random ", i), bytes});
  }
  const Counts before = Count();
  for (const auto& [name, bytes] : inputs) {
    v1::ImportPreview p;
    grpc::Status s = Preview(bytes, &p);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << name;
    EXPECT_THAT(s.error_message(), HasSubstr("document")) << name;
    EXPECT_THAT(s.error_message(), HasSubstr(" / ")) << name;  // Chinese, then English
    v1::ImportReviewResponse resp;
    grpc::Status imported = import_->ImportReview(
        Ctx().get(),
        ImportRequest(bytes, branch_a_.id, absl::StrCat("g-", name.size(), "-", bytes.size())),
        &resp);
    EXPECT_EQ(imported.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << name;
  }
  EXPECT_TRUE(Count() == before);
  v1::ImportPreview p;
  ASSERT_TRUE(Preview(kSmallReport, &p).ok());  // the server is still there
  EXPECT_EQ(p.problem_count(), 3);
}

TEST_F(ImportServiceTest, BulkAssignmentThroughTheApiIsAllOrNothing) {
  v1::ImportReviewResponse imported;
  ASSERT_TRUE(
      import_->ImportReview(Ctx().get(), ImportRequest(kSmallReport, branch_a_.id), &imported)
          .ok());
  auto row = [&](int line, int64_t id, const std::string& deadline) {
    v1::TaskAssignmentRow r;
    r.set_line(line);
    r.set_id(id);
    r.set_expected_version(1);
    r.set_owner_unit_id(branch_b_.id);
    r.set_owner_person("李四");
    r.set_deadline(deadline);
    return r;
  };
  v1::AssignTasksRequest req;
  req.set_request_id("assign-1");
  *req.add_rows() = row(2, imported.task_ids(0), "2022-03-31");
  *req.add_rows() = row(3, imported.task_ids(1), "2021-01-01");
  *req.add_rows() = row(4, imported.task_ids(2), "");
  v1::AssignTasksResponse resp;
  grpc::Status s = import_->AssignTasks(Ctx().get(), req, &resp);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("第 3 行 / line 3: deadline"));
  EXPECT_THAT(s.error_message(), HasSubstr("第 4 行 / line 4: deadline"));
  const v1::ListTasksResponse unchanged = TasksOf(imported.review().id());
  for (const v1::Task& t : unchanged.tasks()) EXPECT_TRUE(t.draft());

  req.set_request_id("assign-2");
  req.mutable_rows(1)->set_deadline("2022-04-30");
  req.mutable_rows(2)->set_cadence_days(30);
  s = import_->AssignTasks(Ctx().get(), req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.changed_count(), 3);
  ASSERT_EQ(resp.tasks_size(), 3);
  EXPECT_FALSE(resp.tasks(0).draft());
  EXPECT_EQ(resp.tasks(0).owner_unit_name(), "第二支部");
  EXPECT_EQ(resp.tasks(0).deadline(), "2022-03-31");
  EXPECT_EQ(resp.tasks(2).status(), v1::ONGOING);

  // The single-task call: a stale version is ABORTED, a fresh one reassigns.
  v1::AssignTaskRequest one;
  one.set_request_id("assign-one");
  one.set_id(imported.task_ids(0));
  one.set_expected_version(1);
  one.set_owner_unit_id(branch_a_.id);
  one.set_owner_person("赵六");
  one.set_deadline("2022-05-31");
  v1::Task task;
  EXPECT_EQ(import_->AssignTask(Ctx().get(), one, &task).error_code(), grpc::StatusCode::ABORTED);
  one.set_request_id("assign-one-b");
  one.set_expected_version(2);
  s = import_->AssignTask(Ctx().get(), one, &task);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(task.owner_person(), "赵六");
  EXPECT_EQ(task.deadline_version(), 2);
}

TEST_F(ImportServiceTest, ALaterDeadlineWithAReasonIsFiledAsAnExtensionForSomeoneElseToDecide) {
  v1::ImportReviewResponse imported;
  ASSERT_TRUE(
      import_->ImportReview(Ctx().get(), ImportRequest(kSmallReport, branch_a_.id), &imported)
          .ok());
  v1::AssignTasksRequest req;
  req.set_request_id("assign-first");
  v1::TaskAssignmentRow* row = req.add_rows();
  row->set_line(2);
  row->set_id(imported.task_ids(0));
  row->set_owner_unit_id(branch_b_.id);
  row->set_owner_person("李四");
  row->set_deadline("2022-03-31");
  v1::AssignTasksResponse resp;
  ASSERT_TRUE(import_->AssignTasks(Ctx().get(), req, &resp).ok());
  EXPECT_EQ(resp.extensions_size(), 0);  // a draft's first deadline is set, whatever the reason

  // The round trip of an edited ledger: a new leader and a later deadline for the same task.
  req.set_request_id("assign-later");
  row->set_leader("王书记");
  row->set_deadline("2022-06-30");
  row->set_extension_reason("需协调上级党校师资");
  ASSERT_TRUE(import_->AssignTasks(Ctx().get(), req, &resp).ok());
  ASSERT_EQ(resp.tasks_size(), 1);
  EXPECT_EQ(resp.tasks(0).leader(), "王书记");
  EXPECT_EQ(resp.tasks(0).deadline(), "2022-03-31");  // unchanged until decided
  ASSERT_EQ(resp.extensions_size(), 1);
  const v1::ExtensionRequest& x = resp.extensions(0);
  EXPECT_EQ(x.task_id(), imported.task_ids(0));
  EXPECT_EQ(x.state(), v1::EXTENSION_PENDING);
  EXPECT_EQ(x.requested_deadline(), "2022-06-30");
  EXPECT_EQ(x.reason(), "需协调上级党校师资");

  // Separation of duties: the root committee asked, so it may not decide; the root's
  // supervisor may.
  v1::DecideExtensionRequest decide;
  decide.set_request_id("decide-1");
  decide.set_extension_id(x.id());
  decide.set_approve(true);
  v1::ExtensionRequest decided;
  EXPECT_EQ(ledger_stub_->DecideExtension(Ctx().get(), decide, &decided).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const std::string supervisor = testing_support::IssueTestToken(
      *store_, clock_->Now(), "纪委督查室", Role::kSupervisor, committee_.id);
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("authorization", "Bearer " + supervisor);
  decide.set_request_id("decide-2");
  grpc::Status s = ledger_stub_->DecideExtension(ctx.get(), decide, &decided);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(TasksOf(imported.review().id()).tasks(0).deadline(), "2022-06-30");
}

}  // namespace
}  // namespace rectify
