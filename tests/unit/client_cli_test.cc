// Whole commands, parsed and run by RunCli against an in-process fake server: what is sent
// (request ids, actor metadata, filters, evidence), what is printed, and the exit codes.
#include <stdlib.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "client/commands/root.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/server_context.h"
#include "gtest/gtest.h"
#include "rectify/v1/ledger.grpc.pb.h"
#include "rectify/v1/org.grpc.pb.h"
#include "tests/support/fake_server_fixture.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

// Records what it was sent; answers from canned data. Task 404 does not exist; task 409 always
// has a newer version.
class FakeLedger final : public v1::LedgerService::Service {
 public:
  grpc::Status ListTasks(grpc::ServerContext*, const v1::ListTasksRequest* request,
                         v1::ListTasksResponse* response) override {
    std::lock_guard<std::mutex> lock(mu_);
    list_requests_.push_back(*request);
    // Two pages: ids 1, 2 then 3.
    if (request->page_token().empty()) {
      AddTask(response, 1, "整改中");
      AddTask(response, 2, "待整改");
      response->set_next_page_token("page-2");
    } else {
      AddTask(response, 3, "长期坚持");
    }
    return grpc::Status::OK;
  }

  grpc::Status StartTask(grpc::ServerContext* context, const v1::StartTaskRequest* request,
                         v1::Task* response) override {
    std::lock_guard<std::mutex> lock(mu_);
    request_ids_.push_back(request->request_id());
    actors_.push_back(Actor(*context));
    if (request->id() == 404) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "任务 404 不存在 / task 404 not found");
    }
    if (request->id() == 409) {
      return grpc::Status(grpc::StatusCode::ABORTED, "版本冲突 / version conflict");
    }
    response->set_id(request->id());
    response->set_status(v1::IN_PROGRESS);
    response->set_version(request->expected_version() + 1);
    return grpc::Status::OK;
  }

  grpc::Status ReportProgress(grpc::ServerContext*, const v1::ReportProgressRequest* request,
                              v1::ReportProgressResponse* response) override {
    std::lock_guard<std::mutex> lock(mu_);
    progress_requests_.push_back(*request);
    response->mutable_task()->set_id(request->id());
    response->mutable_task()->set_status(v1::IN_PROGRESS);
    response->mutable_task()->set_progress_percent(request->percent());
    response->mutable_report()->set_id(99);
    return grpc::Status::OK;
  }

  grpc::Status CreateProblem(grpc::ServerContext*, const v1::CreateProblemRequest* request,
                             v1::Problem* response) override {
    std::lock_guard<std::mutex> lock(mu_);
    problem_requests_.push_back(*request);
    response->set_id(9);
    return grpc::Status::OK;
  }

  std::vector<v1::CreateProblemRequest> problem_requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return problem_requests_;
  }
  std::vector<v1::ListTasksRequest> list_requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return list_requests_;
  }
  std::vector<std::string> request_ids() {
    std::lock_guard<std::mutex> lock(mu_);
    return request_ids_;
  }
  std::vector<std::string> actors() {
    std::lock_guard<std::mutex> lock(mu_);
    return actors_;
  }
  std::vector<v1::ReportProgressRequest> progress_requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return progress_requests_;
  }

 private:
  static void AddTask(v1::ListTasksResponse* response, int64_t id, const std::string& measure) {
    v1::Task* task = response->add_tasks();
    task->set_id(id);
    task->set_measure(measure);
    task->set_status(v1::OPEN);
  }

  static std::string Actor(const grpc::ServerContext& context) {
    const auto& metadata = context.client_metadata();
    auto it = metadata.find("authorization");
    return it == metadata.end() ? "" : std::string(it->second.data(), it->second.size());
  }

  std::mutex mu_;
  std::vector<v1::ListTasksRequest> list_requests_;
  std::vector<std::string> request_ids_;
  std::vector<std::string> actors_;
  std::vector<v1::ReportProgressRequest> progress_requests_;
  std::vector<v1::CreateProblemRequest> problem_requests_;
};

class ClientCliTest : public testing_support::FakeServerTest {
 protected:
  void SetUp() override {
    FakeServerTest::SetUp();
    Serve({&ledger_});
  }

  FakeLedger ledger_;
};

TEST_F(ClientCliTest, JsonListIsOneCleanDocumentOnStdout) {
  ASSERT_EQ(Run({"--json", "task", "list"}), 0) << err_.str();
  v1::ListTasksResponse parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out_.str(), &parsed).ok()) << out_.str();
  EXPECT_EQ(parsed.tasks_size(), 2);
  EXPECT_EQ(parsed.next_page_token(), "page-2");  // scripts page on with --page-token
  EXPECT_EQ(err_.str(), "");
}

TEST_F(ClientCliTest, AllFollowsEveryPageIntoOneDocument) {
  ASSERT_EQ(Run({"task", "list", "--all", "--json"}), 0) << err_.str();
  v1::ListTasksResponse parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out_.str(), &parsed).ok());
  ASSERT_EQ(parsed.tasks_size(), 3);
  EXPECT_EQ(parsed.tasks(2).id(), 3);
  EXPECT_EQ(parsed.next_page_token(), "");
  const auto requests = ledger_.list_requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].page_token(), "page-2");
}

TEST_F(ClientCliTest, FiltersAreSentAsTheApiSpellsThem) {
  ASSERT_EQ(Run({"task",
                 "list",
                 "--status",
                 "open,in-progress",
                 "--status",
                 "待验收",
                 "--unit",
                 "3",
                 "--due-from",
                 "2021-01-01",
                 "--due-to",
                 "2021-12-31",
                 "--overdue",
                 "--owner",
                 "张三",
                 "--area",
                 "在联系服务群众方面",
                 "--review",
                 "5",
                 "--page-size",
                 "20"}),
            0)
      << err_.str();
  const auto requests = ledger_.list_requests();
  ASSERT_EQ(requests.size(), 1u);
  const v1::ListTasksRequest& r = requests[0];
  ASSERT_EQ(r.statuses_size(), 3);
  EXPECT_EQ(r.statuses(0), v1::OPEN);
  EXPECT_EQ(r.statuses(1), v1::IN_PROGRESS);
  EXPECT_EQ(r.statuses(2), v1::SUBMITTED);
  EXPECT_EQ(r.unit_id(), 3);
  EXPECT_EQ(r.deadline_from(), "2021-01-01");
  EXPECT_EQ(r.deadline_to(), "2021-12-31");
  EXPECT_TRUE(r.overdue_only());
  EXPECT_EQ(r.owner_person(), "张三");
  EXPECT_EQ(r.area(), "在联系服务群众方面");
  EXPECT_EQ(r.review_id(), 5);
  EXPECT_EQ(r.page_size(), 20);
}

TEST_F(ClientCliTest, TokenFileReadableByOthersIsRefusedAndNoTokenFlagExists) {
  ::unsetenv("RECTIFY_TOKEN");
  const std::string path = ::testing::TempDir() + "rectify_cli_token";
  std::ofstream(path) << "rfy_open\n";
  ::chmod(path.c_str(), 0644);
  EXPECT_EQ(Run({"--token_file", path, "task", "start", "12"}), 2);
  EXPECT_NE(err_.str().find("chmod 600"), std::string::npos) << err_.str();
  EXPECT_EQ(err_.str().find("rfy_open"), std::string::npos);
  ::chmod(path.c_str(), 0600);
  ASSERT_EQ(Run({"--token_file", path, "task", "start", "12"}), 0) << err_.str();
  EXPECT_EQ(ledger_.actors().back(), "Bearer rfy_open");
  // A secret on the command line alone is not an option at all.
  EXPECT_EQ(Run({"--token", "rfy_x", "task", "start", "12"}), 2);
}

TEST_F(ClientCliTest, HumanListHintsAtMorePagesOnStderrOnly) {
  ASSERT_EQ(Run({"task", "list"}), 0);
  EXPECT_NE(out_.str().find("整改中"), std::string::npos);
  EXPECT_EQ(out_.str().find("page-2"), std::string::npos);
  EXPECT_NE(err_.str().find("--page-token page-2"), std::string::npos);
}

TEST_F(ClientCliTest, MutationsSendAFreshRequestIdAndTheBearerToken) {
  ::setenv("RECTIFY_TOKEN", "rfy_first", 1);
  ASSERT_EQ(Run({"task", "start", "12"}), 0) << err_.str();
  ::setenv("RECTIFY_TOKEN", "rfy_second", 1);
  ASSERT_EQ(Run({"task", "start", "12"}), 0) << err_.str();
  ::unsetenv("RECTIFY_TOKEN");
  const auto ids = ledger_.request_ids();
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids[0].size(), 32u);
  EXPECT_NE(ids[0], ids[1]);
  const auto actors = ledger_.actors();
  EXPECT_EQ(actors[0], "Bearer rfy_first");
  EXPECT_EQ(actors[1], "Bearer rfy_second");
  EXPECT_NE(out_.str().find("任务 12：整改中"), std::string::npos);
}

TEST_F(ClientCliTest, ServerErrorsPrintTheMessageOnStderrAndMapTheExitCode) {
  EXPECT_EQ(Run({"--json", "task", "start", "404"}), 4);
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "错误: 任务 404 不存在 / task 404 not found\n");
  EXPECT_EQ(Run({"task", "start", "409", "--expect-version", "3"}), 7);
}

TEST_F(ClientCliTest, ProgressReadsEvidenceFilesBeforeSending) {
  const std::string path = ::testing::TempDir() + "/scan.pdf";
  {
    std::ofstream out(path, std::ios::binary);
    out << "%PDF-1.4";
  }
  ASSERT_EQ(Run({"task", "progress", "12", "--text", "已完成第一轮走访", "--percent", "40",
                 "--evidence", path}),
            0)
      << err_.str();
  const auto requests = ledger_.progress_requests();
  ASSERT_EQ(requests.size(), 1u);
  ASSERT_EQ(requests[0].evidence_size(), 1);
  EXPECT_EQ(requests[0].evidence(0).file_name(), "scan.pdf");
  EXPECT_EQ(requests[0].evidence(0).media_type(), "application/pdf");
  EXPECT_EQ(requests[0].evidence(0).content(), "%PDF-1.4");
  EXPECT_EQ(requests[0].percent(), 40);
  std::remove(path.c_str());
}

TEST_F(ClientCliTest, UnreadableEvidenceIsAUsageErrorAndNothingIsSent) {
  EXPECT_EQ(Run({"task", "progress", "12", "--text", "x", "--percent", "40", "--evidence",
                 "/nonexistent/scan.pdf"}),
            2);
  EXPECT_NE(err_.str().find("/nonexistent/scan.pdf"), std::string::npos);
  EXPECT_TRUE(ledger_.progress_requests().empty());
}

TEST_F(ClientCliTest, RepeatedCauseFlagsDoNotSwallowTheText) {
  ASSERT_EQ(Run({"problem", "add", "5", "--area", "在学习方面", "--cause", "1", "--cause", "2,3",
                 "学习不系统"}),
            0)
      << err_.str();
  const auto requests = ledger_.problem_requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].text(), "学习不系统");
  ASSERT_EQ(requests[0].root_cause_ids_size(), 3);
  EXPECT_EQ(requests[0].root_cause_ids(2), 3);
}

TEST_F(ClientCliTest, UsageErrorsExitTwoWithoutSending) {
  EXPECT_EQ(Run({"task"}), 2);
  EXPECT_EQ(Run({"task", "start"}), 2);
  EXPECT_EQ(Run({"task", "list", "--status", "bogus"}), 2);
  EXPECT_EQ(Run({"task", "list", "--due-from", "2021-02-30"}), 2);
  EXPECT_NE(err_.str().find("错误: --due-from"), std::string::npos);
  EXPECT_EQ(Run({"task", "progress", "1", "--text", "x", "--percent", "101"}), 2);
  EXPECT_EQ(Run({"task", "create", "1", "--measure", "m", "--owner-unit", "1", "--owner", "a"}), 2);
  EXPECT_EQ(Run({"task", "create", "1", "--measure", "m", "--owner-unit", "1", "--owner", "a",
                 "--deadline", "2022-01-01", "--every", "30"}),
            2);
  EXPECT_EQ(
      Run({"review", "create", "t", "--kind", "party", "--held-on", "2021-12-20", "--unit", "1"}),
      2);
  EXPECT_EQ(Run({"task", "cancel", "1", "--reason", "\xC3\x28"}), 2);  // not UTF-8
  EXPECT_EQ(Run({"--lang", "fr", "task", "list"}), 2);
  EXPECT_TRUE(ledger_.list_requests().empty());
  EXPECT_TRUE(ledger_.request_ids().empty());
}

TEST_F(ClientCliTest, HelpExitsZeroAndShowsAnExample) {
  EXPECT_EQ(Run({"task", "accept", "--help"}), 0);
  EXPECT_NE(out_.str().find("Example"), std::string::npos);
  EXPECT_NE(out_.str().find("rectify task accept 12"), std::string::npos);
  EXPECT_EQ(Run({"--help"}), 0);
  EXPECT_NE(out_.str().find("Exit codes"), std::string::npos);
}

TEST_F(ClientCliTest, UnreachableServerExitsNineNamingTheAddress) {
  cli_server_ = "127.0.0.1:1";
  EXPECT_EQ(Run({"--timeout", "5", "task", "show", "1"}), 9);
  EXPECT_NE(err_.str().find("127.0.0.1:1"), std::string::npos);
  EXPECT_EQ(out_.str(), "");
}

TEST_F(ClientCliTest, UnimplementedCallsExitOne) {
  // The fake has no OrgService: the server answers UNIMPLEMENTED.
  EXPECT_EQ(Run({"unit", "list"}), 1);
}

}  // namespace
}  // namespace rectify::client
