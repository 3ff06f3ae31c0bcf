// A real gRPC server in-process (port 0) over LedgerTest's SQLite ledger, with client stubs, for
// tests that talk to rectifyd's services the way a client does. RestartServer() stops the server,
// closes and reopens the store on the same file, and starts again: what a restarted rectifyd sees.
#ifndef RECTIFY_TESTS_SUPPORT_SERVER_FIXTURE_H_
#define RECTIFY_TESTS_SUPPORT_SERVER_FIXTURE_H_

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <chrono>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "rectify/v1/admin.grpc.pb.h"
#include "services/api/server.h"
#include "tests/support/ledger_fixture.h"

namespace rectify {
namespace testing_support {

class ServerTest : public LedgerTest {
 protected:
  void SetUp() override {
    LedgerTest::SetUp();
    StartServer();
  }

  void TearDown() override {
    StopServer();
    LedgerTest::TearDown();
  }

  void StartServer() {
    api::ServerOptions options;
    options.listen_address = "127.0.0.1:0";
    options.max_message_bytes = max_message_bytes_;
    auto server = api::StartServer(ledger_.get(), options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(server).value();
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                   grpc::InsecureChannelCredentials());
    org_ = v1::OrgService::NewStub(channel_);
    ledger_stub_ = v1::LedgerService::NewStub(channel_);
    admin_ = v1::AdminService::NewStub(channel_);
  }

  void StopServer() { server_.reset(); }

  // Stops the server, reopens the store on the same file (options_ may have changed), starts.
  void RestartServer() {
    StopServer();
    Reopen();
    StartServer();
  }

  // A context with a deadline and the actor 张三 (percent-encoded, as the client sends it).
  static std::unique_ptr<grpc::ClientContext> Ctx() {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("x-rectify-actor", "%E5%BC%A0%E4%B8%89");
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    return ctx;
  }

  // Through the API: a committee, a branch, a review, a problem and one task due 2021-12-31.
  v1::Task SeedTask() {
    v1::CreateUnitRequest unit_req;
    unit_req.set_name("机关党委");
    v1::OrgUnit committee;
    EXPECT_TRUE(org_->CreateUnit(Ctx().get(), unit_req, &committee).ok());
    unit_req.set_parent_id(committee.id());
    unit_req.set_name("第一支部");
    EXPECT_TRUE(org_->CreateUnit(Ctx().get(), unit_req, &branch_).ok());
    v1::CreateReviewRequest review_req;
    review_req.set_title("2021年党史学习教育专题组织生活会");
    review_req.set_kind(v1::ORGANIZATIONAL_LIFE_MEETING);
    review_req.set_held_on("2021-11-30");
    review_req.set_unit_id(committee.id());
    v1::Review review;
    EXPECT_TRUE(ledger_stub_->CreateReview(Ctx().get(), review_req, &review).ok());
    v1::CreateProblemRequest problem_req;
    problem_req.set_review_id(review.id());
    problem_req.set_area("在联系服务群众方面");
    problem_req.set_text("调研指导还不够深入");
    EXPECT_TRUE(ledger_stub_->CreateProblem(Ctx().get(), problem_req, &problem_).ok());
    return NewTask();
  }

  // Another task of the seeded problem, owned by the branch.
  v1::Task NewTask(const std::string& measure = "每季度到联系点调研一次") {
    v1::CreateTaskRequest task_req;
    task_req.set_problem_id(problem_.id());
    task_req.set_measure(measure);
    task_req.set_owner_unit_id(branch_.id());
    task_req.set_owner_person("张三");
    task_req.set_deadline("2021-12-31");
    v1::Task task;
    grpc::Status s = ledger_stub_->CreateTask(Ctx().get(), task_req, &task);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return task;
  }

  // A progress report on `task_id` (any version), identified by `request_id`.
  grpc::Status Report(int64_t task_id, const std::string& request_id, const std::string& text,
                      v1::ReportProgressResponse* response, int percent = 10) {
    v1::ReportProgressRequest req;
    req.set_request_id(request_id);
    req.set_id(task_id);
    req.set_text(text);
    req.set_percent(percent);
    return ledger_stub_->ReportProgress(Ctx().get(), req, response);
  }

  v1::TaskHistory History(int64_t task_id) {
    v1::GetTaskHistoryRequest req;
    req.set_id(task_id);
    v1::TaskHistory history;
    grpc::Status s = ledger_stub_->GetTaskHistory(Ctx().get(), req, &history);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return history;
  }

  int max_message_bytes_ = 64 << 20;
  std::unique_ptr<api::RunningServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::OrgService::Stub> org_;
  std::unique_ptr<v1::LedgerService::Stub> ledger_stub_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
  v1::OrgUnit branch_;
  v1::Problem problem_;
};

}  // namespace testing_support
}  // namespace rectify

#endif  // RECTIFY_TESTS_SUPPORT_SERVER_FIXTURE_H_
