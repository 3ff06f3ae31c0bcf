// `rectify import`, `rectify task export-drafts` and `rectify task assign-csv`, run whole by
// RunCli against a real in-process rectifyd (ledger on SQLite): what people see, what is stored,
// and the spreadsheet round trip a committee makes in Excel or WPS.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "client/commands/csv_reader.h"
#include "client/commands/root.h"
#include "client/output/csv.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "rectify/v1/import.pb.h"
#include "tests/support/import_server_fixture.h"

namespace rectify {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing_support::ImportServerTest;

constexpr char kReport[] =
    "一、存在的问题\n"
    "1、在学习教育方面。一是学习不够深入，理论学习浮于表面。二是学习方式不够丰富，创新不多。\n"
    "2、在联系服务群众方面。一是调研指导不够深入，服务群众办法不多。\n"
    "二、问题根源剖析\n"
    "一是理论武装不够强。\n"
    "三、整改措施\n"
    "1、加强理论学习，丰富学习方式，推动学习深入。\n"
    "2、加强调查研究，为群众办实事，提升服务群众水平。\n"
    "四、其他说明\n"
    "本材料经支部委员会讨论。\n";

class ImportCliTest : public ImportServerTest {
 protected:
  void SetUp() override {
    ImportServerTest::SetUp();
    report_ = dir_ + "/支部检视材料.txt";
    WriteFile(report_, kReport);
  }

  static void WriteFile(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  }
  static std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }

  // Imports kReport for branch A; returns the review id.
  int64_t ImportReport() {
    EXPECT_EQ(Run({"import", report_, "--unit", absl::StrCat(branch_a_.id), "--yes"}), 0)
        << err_.str();
    int64_t id = 0;
    EXPECT_TRUE(store_
                    ->Read([&](ReadTxn& tx) -> absl::Status {
                      auto reviews = tx.ListReviews("", 0, 1);
                      if (!reviews.ok()) return reviews.status();
                      id = reviews->front().id;
                      return absl::OkStatus();
                    })
                    .ok());
    return id;
  }

  std::string report_;
};

TEST_F(ImportCliTest, DryRunShowsAreasProblemsMeasuresAndLinesAndImportsNothing) {
  const Counts before = Count();
  ASSERT_EQ(Run({"import", report_, "--dry-run"}), 0) << err_.str();
  const std::string out = out_.str();
  EXPECT_THAT(out, HasSubstr("导入预览"));
  EXPECT_THAT(out, HasSubstr("【在学习教育方面】第2行"));
  EXPECT_THAT(out, HasSubstr("学习不够深入"));
  EXPECT_THAT(out, HasSubstr("措施 1"));
  EXPECT_THAT(out, HasSubstr("理论武装不够强"));
  EXPECT_THAT(out, HasSubstr("第8行"));  // measure 2
  EXPECT_THAT(out, HasSubstr("[!] 未识别的部分"));
  EXPECT_THAT(out, HasSubstr("四、其他说明"));
  EXPECT_THAT(out, HasSubstr("问题 3 个，草稿任务 3 个"));
  EXPECT_TRUE(Count() == before);
}

TEST_F(ImportCliTest, JsonPreviewIsOneDocumentOfTheApiMessage) {
  ASSERT_EQ(Run({"--json", "import", report_, "--dry-run"}), 0) << err_.str();
  v1::ImportPreview preview;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out_.str(), &preview).ok()) << out_.str();
  EXPECT_EQ(preview.problem_count(), 3);
  EXPECT_EQ(preview.areas(1).problems(0).measure_number(), 2);
  EXPECT_EQ(preview.unrecognised_size(), 1);
}

TEST_F(ImportCliTest, ImportNeedsAUnitAndWithoutATerminalNeedsYes) {
  EXPECT_EQ(Run({"import", report_}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--unit"));
  // ctest may run with a terminal on stdin: make sure this test's stdin is not one.
  const int saved = dup(STDIN_FILENO);
  const int null = open("/dev/null", O_RDONLY);
  ASSERT_GE(null, 0);
  dup2(null, STDIN_FILENO);
  const int code = Run({"import", report_, "--unit", absl::StrCat(branch_a_.id)});
  dup2(saved, STDIN_FILENO);
  close(null);
  close(saved);
  EXPECT_EQ(code, 2);
  EXPECT_THAT(err_.str(), HasSubstr("标准输入不是终端"));
  EXPECT_THAT(err_.str(), HasSubstr("--yes"));
  EXPECT_EQ(Count().tasks, 0u);
}

TEST_F(ImportCliTest, ImportWithYesCreatesDraftsAndASecondImportIsRefused) {
  const Counts before = Count();
  ImportReport();
  EXPECT_THAT(out_.str(), HasSubstr("已导入为检视"));
  EXPECT_THAT(out_.str(), HasSubstr("草稿任务 3 个"));
  EXPECT_THAT(out_.str(), HasSubstr("rectify task export-drafts --review"));
  const Counts after = Count();
  EXPECT_EQ(after.tasks, before.tasks + 3);

  EXPECT_EQ(Run({"import", report_, "--unit", absl::StrCat(branch_a_.id), "--yes"}), 5);
  EXPECT_THAT(err_.str(), HasSubstr("已导入过相同内容"));
  EXPECT_TRUE(Count() == after);
}

TEST_F(ImportCliTest, ExportFillInAndAssignRoundTrip) {
  const int64_t review = ImportReport();
  const std::string sheet = dir_ + "/drafts.csv";
  ASSERT_EQ(Run({"task", "export-drafts", "--review", absl::StrCat(review), "-o", sheet}), 0)
      << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("已导出 3 个草稿任务"));
  // The owner unit is written and asked for by name, not by id.
  EXPECT_THAT(out_.str(), HasSubstr("填写责任单位（单位名称"));
  EXPECT_THAT(out_.str(), Not(HasSubstr("责任单位ID")));
  const std::string exported = ReadFile(sheet);
  ASSERT_EQ(exported.substr(0, 3), client::kUtf8Bom);
  EXPECT_THAT(exported,
              HasSubstr("任务ID,版本,方面,问题,整改措施,责任单位,责任人,责任领导,整改时限\r\n"));

  // What a committee does in Excel: fill in person, leader and deadline; Excel saves the date
  // its own way; one row is left for later.
  auto rows = client::ParseCsv(exported);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 4u);
  for (size_t i = 1; i < rows->size(); ++i) EXPECT_EQ((*rows)[i].fields[5], "第一支部");
  std::string filled = client::kUtf8Bom;
  for (size_t i = 0; i < rows->size(); ++i) {
    std::vector<std::string> f = (*rows)[i].fields;
    if (i == 1) f[6] = "张三", f[7] = "李书记，兼任组长", f[8] = "2022/3/31";
    if (i == 2) f[5] = "第二支部", f[6] = "“老王”", f[8] = "长期坚持:30";
    filled += client::CsvRecord(f);
  }
  WriteFile(sheet, filled);
  ASSERT_EQ(Run({"task", "assign-csv", sheet}), 0) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("已指派 2 个任务，其中 2 个有变化"));
  EXPECT_THAT(err_.str(), HasSubstr("第 4 行未填写"));

  ASSERT_OK(store_->Read([&](ReadTxn& tx) -> absl::Status {
    TaskQuery q;
    q.review_id = review;
    auto tasks = tx.ListTasks(q);
    EXPECT_TRUE(tasks.ok());
    std::map<std::string, Task> by_person;
    int drafts = 0;
    for (const Task& t : *tasks) {
      if (t.draft) ++drafts;
      by_person[t.owner_person] = t;
    }
    EXPECT_EQ(drafts, 1);
    EXPECT_EQ(by_person["张三"].leader, "李书记，兼任组长");
    EXPECT_EQ(by_person["张三"].deadline, absl::CivilDay(2022, 3, 31));
    EXPECT_EQ(by_person["“老王”"].owner_unit_id, branch_b_.id);
    EXPECT_EQ(by_person["“老王”"].status, TaskStatus::kOngoing);
    return absl::OkStatus();
  }));

  // Loading the same sheet again is harmless; the export now holds only the last draft.
  ASSERT_EQ(Run({"task", "assign-csv", sheet}), 0) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("其中 0 个有变化"));
  ASSERT_EQ(Run({"task", "export-drafts", "--review", absl::StrCat(review), "-o", sheet}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("已导出 1 个草稿任务"));
}

TEST_F(ImportCliTest, BadRowsAreReportedByLineAndNothingIsApplied) {
  const int64_t review = ImportReport();
  const std::string sheet = dir_ + "/drafts.csv";
  ASSERT_EQ(Run({"task", "export-drafts", "--review", absl::StrCat(review), "-o", sheet}), 0);
  auto rows = client::ParseCsv(ReadFile(sheet));
  ASSERT_TRUE(rows.ok());
  auto write = [&](const std::function<void(size_t, std::vector<std::string>&)>& fill) {
    std::string out = client::kUtf8Bom;
    for (size_t i = 0; i < rows->size(); ++i) {
      std::vector<std::string> f = (*rows)[i].fields;
      if (i > 0) fill(i, f);
      out += client::CsvRecord(f);
    }
    WriteFile(sheet, out);
  };

  // Mistakes the client can see: every one is listed, nothing is sent. (A unit may be named,
  // but no unit has this name.)
  write([](size_t i, std::vector<std::string>& f) {
    f[6] = "张三";
    f[8] = i == 2 ? "下个月" : "2022-03-31";
    if (i == 3) f[5] = "第九十九支部";
  });
  EXPECT_EQ(Run({"task", "assign-csv", sheet}), 3);
  EXPECT_THAT(err_.str(), HasSubstr("2 处问题，未做任何修改"));
  EXPECT_THAT(err_.str(), HasSubstr("第 3 行 / line 3: 整改时限"));
  EXPECT_THAT(err_.str(), HasSubstr("第 4 行 / line 4: 责任单位"));

  // Mistakes only the server can see: a date in the past, an unknown unit.
  write([](size_t i, std::vector<std::string>& f) {
    f[6] = "张三";
    f[8] = i == 1 ? "2021-01-01" : "2022-03-31";
    if (i == 3) f[5] = "999";
  });
  EXPECT_EQ(Run({"task", "assign-csv", sheet}), 3);
  EXPECT_THAT(err_.str(), HasSubstr("共 2 行有误，未做任何修改"));
  EXPECT_THAT(err_.str(), HasSubstr("第 2 行 / line 2: deadline"));
  EXPECT_THAT(err_.str(), HasSubstr("第 4 行 / line 4: 单位 999 不存在"));
  EXPECT_THAT(err_.str(), Not(HasSubstr("第 3 行")));

  ASSERT_OK(store_->Read([&](ReadTxn& tx) -> absl::Status {
    TaskQuery q;
    q.review_id = review;
    auto tasks = tx.ListTasks(q);
    for (const Task& t : *tasks) EXPECT_TRUE(t.draft) << t.id;
    return absl::OkStatus();
  }));
}

TEST_F(ImportCliTest, WithdrawnOrCancelledDraftsShowAsCancelledNotAsDrafts) {
  const int64_t review = ImportReport();
  std::vector<int64_t> ids;
  ASSERT_OK(store_->Read([&](ReadTxn& tx) -> absl::Status {
    TaskQuery q;
    q.review_id = review;
    auto tasks = tx.ListTasks(q);
    for (const Task& t : *tasks) ids.push_back(t.id);
    return absl::OkStatus();
  }));
  ASSERT_EQ(ids.size(), 3u);
  // One draft cancelled on its own: the command's own answer says 已撤销.
  ASSERT_EQ(Run({"task", "cancel", absl::StrCat(ids[0]), "--reason", "重复"}), 0) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("已撤销"));
  EXPECT_THAT(out_.str(), Not(HasSubstr("草稿（待分配）")));
  // The rest withdrawn with the import.
  ASSERT_EQ(Run({"review", "withdraw-import", absl::StrCat(review), "--reason", "导入了旧版"}), 0)
      << err_.str();
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"task", "list", "--review", absl::StrCat(review)},
        std::vector<std::string>{"task", "show", absl::StrCat(ids[1])},
        std::vector<std::string>{"export", "--review", absl::StrCat(review)}}) {
    SCOPED_TRACE(command[0] + " " + command[1]);
    ASSERT_EQ(Run(command), 0) << err_.str();
    EXPECT_THAT(out_.str(), HasSubstr("已撤销"));
    EXPECT_THAT(out_.str(), Not(HasSubstr("草稿（待分配）")));
  }
}

TEST_F(ImportCliTest, PreviewOfALabelledReportTellsItsSectionsAndWhatTheDocumentGave) {
  const std::string report = dir_ + "/审计整改报告.txt";
  WriteFile(report,
            "关于预算执行审计发现问题整改情况的报告\n"
            "一、审计发现问题的整改情况\n"
            "问题一：预算编制不够细化。\n整改措施：修订预算管理办法。\n责任单位：第一支部\n"
            "责任人：王敏\n完成时限：2030年12月31日\n"
            "问题二：采购程序不规范。\n整改措施：\n1. 开展专项培训。\n责任单位：第二支部\n"
            "完成时限：长期坚持\n");
  ASSERT_EQ(Run({"import", report, "--dry-run"}), 0) << err_.str();
  const std::string out = out_.str();
  // The section that holds the records reads as the problems, not as skipped background, and
  // the label "整改措施：" is no section.
  EXPECT_THAT(out, HasSubstr("第2行  一、审计发现问题的整改情况  问题"));
  EXPECT_THAT(out, Not(HasSubstr("背景（跳过）")));
  EXPECT_THAT(out, Not(HasSubstr("第9行  整改措施")));
  EXPECT_THAT(out, HasSubstr("草稿任务 2 个（取自材料：责任单位 2 个，责任人 1 个，整改时限 1 个；"
                             "其余导入后填写）"));
  EXPECT_THAT(out, Not(HasSubstr("尚无责任人和整改时限")));

  // A narrative report supplies none of them.
  ASSERT_EQ(Run({"import", report_, "--dry-run"}), 0) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("草稿任务 3 个（尚无责任人和整改时限）"));
}

TEST_F(ImportCliTest, UnreadableOrBinaryFilesAreClearErrors) {
  EXPECT_EQ(Run({"import", dir_ + "/missing.txt", "--dry-run"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("无法读取文件"));
  const std::string docx = dir_ + "/report.docx";
  WriteFile(docx, std::string("PK\x03\x04\x14\x00\x06\x00", 8) + "word/document.xml");
  EXPECT_EQ(Run({"import", docx, "--dry-run"}), 3);
  EXPECT_THAT(err_.str(), HasSubstr("document"));
}

}  // namespace
}  // namespace rectify
