// The report, export, watch and urge commands, parsed and run by RunCli against an in-process
// fake server: what is sent, what is written (CSV files for Excel, JSON), and that `watch`
// resumes after the last seq it printed when the stream breaks.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "client/commands/root.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/server_context.h"
#include "gtest/gtest.h"
#include "rectify/v1/events.grpc.pb.h"
#include "rectify/v1/ledger.grpc.pb.h"
#include "rectify/v1/reports.grpc.pb.h"
#include "tests/support/fake_server_fixture.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;
using absl::StrContains;

// Canned reports; records the requests.
class FakeReports final : public v1::ReportService::Service {
 public:
  grpc::Status OverdueReport(grpc::ServerContext*, const v1::OverdueReportRequest* request,
                             v1::OverdueReportResponse* response) override {
    std::lock_guard<std::mutex> lock(mu_);
    overdue_requests_.push_back(*request);
    response->set_as_of("2022-03-10");
    response->set_total(1);
    v1::OverdueGroup* group = response->add_groups();
    group->set_unit_id(3);
    group->set_unit_name("第二支部");
    group->set_label("第二支部");
    v1::OverdueItem* item = group->add_items();
    item->mutable_task()->set_id(11);
    item->mutable_task()->set_measure("走访群众,听取意见");
    item->mutable_task()->set_latest_progress("第一行\n第二行");
    item->set_days_overdue(37);
    item->set_aging(v1::AGING_31_TO_90_DAYS);
    item->set_escalation_level(2);
    return grpc::Status::OK;
  }

  grpc::Status Statistics(grpc::ServerContext*, const v1::StatisticsRequest* request,
                          v1::StatisticsResponse* response) override {
    std::lock_guard<std::mutex> lock(mu_);
    stats_requests_.push_back(*request);
    response->set_as_of("2022-03-10");
    response->set_by(request->by());
    return grpc::Status::OK;  // an empty ledger
  }

  grpc::Status ExportLedger(grpc::ServerContext*, const v1::ExportLedgerRequest* request,
                            grpc::ServerWriter<v1::LedgerRow>* writer) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      export_requests_.push_back(*request);
    }
    for (int i = 1; i <= rows_; ++i) {
      v1::LedgerRow row;
      row.set_review_id(1);
      row.set_review_title("专题组织生活会");
      row.set_problem_seq(i);
      row.set_problem_text("问题，含\"引号\"");
      row.mutable_task()->set_id(i);
      row.mutable_task()->set_measure("措施,第" + std::to_string(i) + "条");
      writer->Write(row);
    }
    return grpc::Status::OK;
  }

  void set_rows(int rows) { rows_ = rows; }
  std::vector<v1::OverdueReportRequest> overdue_requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return overdue_requests_;
  }
  std::vector<v1::StatisticsRequest> stats_requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return stats_requests_;
  }
  std::vector<v1::ExportLedgerRequest> export_requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return export_requests_;
  }

 private:
  std::mutex mu_;
  int rows_ = 3;
  std::vector<v1::OverdueReportRequest> overdue_requests_;
  std::vector<v1::StatisticsRequest> stats_requests_;
  std::vector<v1::ExportLedgerRequest> export_requests_;
};

// An event log of seqs 1..10. The first watch breaks (UNAVAILABLE, as a restarting server would)
// after three events; later watches send what follows after_seq, one of them again on purpose.
class FakeEvents final : public v1::EventService::Service {
 public:
  grpc::Status WatchEvents(grpc::ServerContext*, const v1::WatchEventsRequest* request,
                           grpc::ServerWriter<v1::Event>* writer) override {
    int call;
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(*request);
      call = static_cast<int>(requests_.size());
    }
    // A server that repeated the last event must not make the client print it twice.
    int64_t from = call == 1 ? request->after_seq() + 1 : request->after_seq();
    for (int64_t seq = from; seq <= 10; ++seq) {
      if (seq == 0) continue;
      v1::Event event;
      event.set_seq(seq);
      event.set_kind(v1::EVENT_PROGRESS);
      event.set_task_id(12);
      event.set_actor("张三");
      event.set_detail("进度 " + std::to_string(seq * 10) + "%");
      if (!writer->Write(event)) return grpc::Status::CANCELLED;
      if (call == 1 && seq == 3) {
        return grpc::Status(grpc::StatusCode::UNAVAILABLE, "服务器正在停止 / shutting down");
      }
    }
    return grpc::Status::OK;
  }

  std::vector<v1::WatchEventsRequest> requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  std::mutex mu_;
  std::vector<v1::WatchEventsRequest> requests_;
};

class FakeUrge final : public v1::LedgerService::Service {
 public:
  grpc::Status UrgeTask(grpc::ServerContext*, const v1::UrgeTaskRequest* request,
                        v1::Event* response) override {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(*request);
    if (request->id() == 4) {
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                          "任务 4 状态为“已销号”，不能催办 / task 4 is closed");
    }
    response->set_seq(77);
    response->set_task_id(request->id());
    response->set_kind(v1::EVENT_URGED);
    return grpc::Status::OK;
  }
  std::vector<v1::UrgeTaskRequest> requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  std::mutex mu_;
  std::vector<v1::UrgeTaskRequest> requests_;
};

class ClientReportsCliTest : public testing_support::FakeServerTest {
 protected:
  void SetUp() override {
    FakeServerTest::SetUp();
    Serve({&reports_, &events_, &ledger_});
    std::string pattern = ::testing::TempDir() + "rectify_cli_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }

  void TearDown() override {
    FakeServerTest::TearDown();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  static std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

  FakeReports reports_;
  FakeEvents events_;
  FakeUrge ledger_;
  std::string dir_;
};

TEST_F(ClientReportsCliTest, OverdueFiltersAreSentAsTheApiSpellsThem) {
  ASSERT_EQ(Run({"report", "overdue", "--unit", "3", "--as-of", "2022-03-10", "--area",
                 "在理论学习方面", "--owner", "王五", "--min-days", "8", "--group-by", "area"}),
            0)
      << err_.str();
  ASSERT_EQ(reports_.overdue_requests().size(), 1u);
  const v1::OverdueReportRequest r = reports_.overdue_requests()[0];
  EXPECT_EQ(r.unit_id(), 3);
  EXPECT_EQ(r.as_of(), "2022-03-10");
  EXPECT_EQ(r.area(), "在理论学习方面");
  EXPECT_EQ(r.owner_person(), "王五");
  EXPECT_EQ(r.min_days_overdue(), 8);
  EXPECT_EQ(r.group_by(), v1::GROUP_BY_AREA);
  EXPECT_TRUE(StrContains(out_.str(), "逾期清单（截至 2022-03-10")) << out_.str();
  EXPECT_EQ(Run({"report", "overdue", "--group-by", "leader"}), 2);
  EXPECT_EQ(Run({"report", "overdue", "--min-days", "-1"}), 2);
}

TEST_F(ClientReportsCliTest, OneReviewsReportsAndWorkbookAskForThatReviewInEveryCall) {
  ASSERT_EQ(Run({"report", "overdue", "--review", "7"}), 0) << err_.str();
  EXPECT_EQ(reports_.overdue_requests().back().review_id(), 7);
  ASSERT_EQ(Run({"report", "stats", "--review", "7", "--as-of", "2022-03-10"}), 0) << err_.str();
  EXPECT_EQ(reports_.stats_requests().back().review_id(), 7);
  EXPECT_EQ(Run({"report", "stats", "--review", "0"}), 2);
  // The workbook: its three calls are of one unit, one review and one date, and the ledger's
  // rows come with their lights as of that date.
  const std::string path = dir_ + "/整改台账.xlsx";
  ASSERT_EQ(Run({"export", "--format", "xlsx", "--unit", "3", "--review", "7", "--as-of",
                 "2022-03-10", "-o", path}),
            0)
      << err_.str();
  const v1::ExportLedgerRequest ledger = reports_.export_requests().back();
  EXPECT_EQ(ledger.review_id(), 7);
  EXPECT_EQ(ledger.as_of(), "2022-03-10");
  const v1::OverdueReportRequest overdue = reports_.overdue_requests().back();
  EXPECT_EQ(overdue.unit_id(), 3);
  EXPECT_EQ(overdue.review_id(), 7);
  EXPECT_EQ(overdue.as_of(), "2022-03-10");
  const v1::StatisticsRequest stats = reports_.stats_requests().back();
  EXPECT_EQ(stats.unit_id(), 3);
  EXPECT_EQ(stats.review_id(), 7);
  EXPECT_EQ(stats.as_of(), "2022-03-10");
}

TEST_F(ClientReportsCliTest, OverdueCsvFileOpensInExcel) {
  const std::string path = dir_ + "/逾期清单.csv";
  ASSERT_EQ(Run({"report", "overdue", "--format", "csv", "-o", path}), 0) << err_.str();
  const std::string csv = ReadFile(path);
  EXPECT_TRUE(absl::StartsWith(csv, "\xEF\xBB\xBF分组,任务编号,")) << csv;
  EXPECT_TRUE(StrContains(csv, "\"走访群众,听取意见\",\"第一行\n第二行\"\r\n")) << csv;
  EXPECT_EQ(out_.str(), "");  // the report went to the file
  EXPECT_TRUE(StrContains(err_.str(), path)) << err_.str();
  EXPECT_FALSE(std::filesystem::exists(path + ".part"));
}

TEST_F(ClientReportsCliTest, StatsOfAnEmptyLedgerInEveryFormat) {
  ASSERT_EQ(Run({"report", "stats", "--by", "area"}), 0) << err_.str();
  EXPECT_EQ(reports_.stats_requests().back().by(), v1::STATISTICS_BY_AREA);
  EXPECT_TRUE(StrContains(out_.str(), "（没有任务）")) << out_.str();

  ASSERT_EQ(Run({"--lang", "en", "report", "stats", "--format", "csv"}), 0);
  EXPECT_EQ(out_.str(),
            "\xEF\xBB\xBF"
            "Unit,Depth,Total,Closed,On time,In progress,Submitted,Ongoing,Overdue,Cancelled,"
            "Completion,On-time rate\r\n"
            "Total,,0,0,0,0,0,0,0,0,—,—\r\n");

  ASSERT_EQ(Run({"--json", "report", "stats"}), 0);
  v1::StatisticsResponse parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out_.str(), &parsed).ok()) << out_.str();
  EXPECT_EQ(parsed.as_of(), "2022-03-10");
}

TEST_F(ClientReportsCliTest, ExportWritesEveryStreamedRow) {
  reports_.set_rows(1200);
  const std::string path = dir_ + "/台账.csv";
  ASSERT_EQ(
      Run({"export", "--unit", "3", "--review", "5", "--format", "csv", "-o", path, "--progress"}),
      0)
      << err_.str();
  ASSERT_EQ(reports_.export_requests().size(), 1u);
  EXPECT_EQ(reports_.export_requests()[0].unit_id(), 3);
  EXPECT_EQ(reports_.export_requests()[0].review_id(), 5);
  const std::string csv = ReadFile(path);
  // Ids in columns of their own, dates and cadences apart, numbers bare.
  EXPECT_TRUE(
      absl::StartsWith(csv,
                       "\xEF\xBB\xBF检视编号,检视,问题编号,问题序号,方面,问题,任务编号,"
                       "整改措施,责任单位编号,责任单位,责任人,责任领导,整改时限,"
                       "长期坚持周期（天）,状态,预警,逾期,进度（%）,最新进展,销号日期,版本\r\n"))
      << csv;
  size_t records = 0;
  for (size_t at = csv.find("\r\n"); at != std::string::npos; at = csv.find("\r\n", at + 2)) {
    ++records;
  }
  EXPECT_EQ(records, 1201u);  // the header and every row
  EXPECT_TRUE(StrContains(
      csv, "\r\n1,专题组织生活会,0,1200,,\"问题，含\"\"引号\"\"\",1200,\"措施,第1200条\",0,"))
      << csv.substr(csv.size() - 200);
  EXPECT_TRUE(StrContains(err_.str(), "已导出 1000 行…")) << err_.str();
  EXPECT_TRUE(StrContains(err_.str(), "已导出 1200 行\n")) << err_.str();
}

TEST_F(ClientReportsCliTest, ExportAsTableAndAsOneJsonArray) {
  ASSERT_EQ(Run({"export"}), 0) << err_.str();
  EXPECT_TRUE(absl::StartsWith(out_.str(), "整改台账（全部单位）\n\n检视")) << out_.str();
  EXPECT_TRUE(absl::EndsWith(out_.str(), "\n共 3 行\n")) << out_.str();
  EXPECT_EQ(err_.str(), "");  // no progress line when stderr is not a terminal

  ASSERT_EQ(Run({"--json", "export"}), 0);
  EXPECT_TRUE(absl::StartsWith(out_.str(), "[\n{")) << out_.str();
  EXPECT_TRUE(absl::EndsWith(out_.str(), "}\n]\n")) << out_.str();

  reports_.set_rows(0);
  ASSERT_EQ(Run({"export", "--format", "json"}), 0);
  EXPECT_EQ(out_.str(), "[]\n");
  ASSERT_EQ(Run({"export", "--format", "csv"}), 0);
  EXPECT_EQ(out_.str(),
            "\xEF\xBB\xBF检视编号,检视,问题编号,问题序号,方面,问题,任务编号,整改措施,"
            "责任单位编号,责任单位,责任人,责任领导,整改时限,长期坚持周期（天）,状态,预警,逾期,"
            "进度（%）,最新进展,销号日期,版本\r\n");
}

TEST_F(ClientReportsCliTest, WatchResumesAfterTheLastSeqPrintedWhenTheStreamBreaks) {
  ASSERT_EQ(Run({"watch", "--unit", "3", "--after", "0", "--limit", "10"}), 0) << err_.str();
  std::vector<v1::WatchEventsRequest> requests = events_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].unit_id(), 3);
  EXPECT_EQ(requests[0].after_seq(), 0);
  EXPECT_EQ(requests[1].after_seq(), 3);  // resumed after the last one printed
  // Seqs 1..10, each exactly once.
  std::istringstream lines(out_.str());
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    ++n;
    EXPECT_TRUE(StrContains(line, "进度 " + std::to_string(n * 10) + "%")) << line;
  }
  EXPECT_EQ(n, 10) << out_.str();
  EXPECT_TRUE(StrContains(err_.str(), "从序号 3 之后继续")) << err_.str();
}

TEST_F(ClientReportsCliTest, WatchJsonPrintsOneObjectPerLine) {
  ASSERT_EQ(Run({"--json", "watch", "--after", "7", "--limit", "2"}), 0) << err_.str();
  std::istringstream lines(out_.str());
  std::string line;
  std::vector<int64_t> seqs;
  while (std::getline(lines, line)) {
    v1::Event event;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, &event).ok()) << line;
    seqs.push_back(event.seq());
  }
  EXPECT_EQ(seqs, (std::vector<int64_t>{8, 9}));
}

TEST_F(ClientReportsCliTest, UrgeSendsTheNoteWithARequestId) {
  ASSERT_EQ(Run({"task", "urge", "12", "--note", "请于本周五前报送整改进展"}), 0) << err_.str();
  ASSERT_EQ(ledger_.requests().size(), 1u);
  EXPECT_EQ(ledger_.requests()[0].id(), 12);
  EXPECT_EQ(ledger_.requests()[0].note(), "请于本周五前报送整改进展");
  EXPECT_FALSE(ledger_.requests()[0].request_id().empty());
  EXPECT_EQ(out_.str(), "已催办任务 12（事件序号 77）\n");
  EXPECT_EQ(Run({"task", "urge", "4", "--note", "请尽快整改"}), 6);
  EXPECT_TRUE(StrContains(err_.str(), "不能催办")) << err_.str();
  EXPECT_EQ(Run({"task", "urge", "12"}), 2);  // --note is required
}

}  // namespace
}  // namespace rectify::client
