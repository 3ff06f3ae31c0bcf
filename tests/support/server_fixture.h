// The in-process test server for client and service tests: rectifyd's real gRPC services
// (test_server.h) on a free loopback port over LedgerTest's temp SQLite ledger and fake clock,
// the root unit with its committee token as rectifyd's first start makes them (the audit chain
// started after them, as at that start), client stubs, and the rectify command line run
// in-process against it with that token (CliRunner: Run(), out_, err_). RestartServer() stops
// the server, closes and reopens the store on the same file, and starts again: what a restarted
// rectifyd sees.
#ifndef RECTIFY_TESTS_SUPPORT_SERVER_FIXTURE_H_
#define RECTIFY_TESTS_SUPPORT_SERVER_FIXTURE_H_

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "rectify/v1/admin.grpc.pb.h"
#include "rectify/v1/audit.grpc.pb.h"
#include "services/api/server.h"
#include "services/auth/tokens.h"
#include "services/notify/channels/channel.h"
#include "tests/support/cli_runner.h"
#include "tests/support/ledger_fixture.h"
#include "tests/support/test_server.h"

namespace rectify {
namespace testing_support {

class ServerTest : public LedgerTest, protected CliRunner {
 protected:
  using CliRunner::Run;

  void SetUp() override {
    // The command line takes the admin token from its file, not from what a developer exported.
    unsetenv("RECTIFY_TOKEN");
    admin_secret_.clear();
    start_audit_chain_ = false;  // rectifyd's order: root unit, then the chain at server start
    LedgerTest::SetUp();
    StartServer();
  }

  void TearDown() override {
    StopServer();
    admin_secret_.clear();
    if (!cli_token_file_.empty()) ::unlink(cli_token_file_.c_str());
    LedgerTest::TearDown();
  }

  void StartServer() {
    EnsureAdminToken();
    api::ServerOptions options;
    options.max_message_bytes = max_message_bytes_;
    options.notify_sender = notify_sender_.get();
    options.metrics = metrics_;
    server_ = StartTestServer(ledger_.get(), options);
    ASSERT_NE(server_, nullptr);
    channel_ = ChannelTo(*server_);
    cli_server_ = AddressOf(*server_);
    org_ = v1::OrgService::NewStub(channel_);
    ledger_stub_ = v1::LedgerService::NewStub(channel_);
    admin_ = v1::AdminService::NewStub(channel_);
    audit_ = v1::AuditService::NewStub(channel_);
  }

  void StopServer() { server_.reset(); }

  // Stops the server and closes the store, runs `change` on the database file (as someone with
  // file access would), then reopens and starts again.
  void WithServerDown(const std::function<void()>& change) {
    StopServer();
    ledger_.reset();
    store_.reset();
    change();
    Reopen();
    StartServer();
  }

  // AuditService.VerifyAudit as the root committee, against `head` when given.
  v1::VerifyAuditResponse VerifyAudit(const v1::AuditHead* head = nullptr) {
    v1::VerifyAuditRequest req;
    if (head != nullptr) *req.mutable_expected_head() = *head;
    v1::VerifyAuditResponse resp;
    grpc::Status s = audit_->VerifyAudit(Ctx().get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  // Stops the server, reopens the store on the same file (options_ may have changed), starts.
  void RestartServer() {
    StopServer();
    Reopen();
    StartServer();
  }

  // The root unit "机关党委" and the committee token "张三" bound to it, made once per database
  // and kept in an owner-only file the command line reads (rectifyd's first start does the same).
  void EnsureAdminToken() {
    if (!admin_secret_.empty()) return;
    root_ = MustUnit(0, "机关党委");
    admin_secret_ = IssueToken("张三", Role::kCommittee, root_.id);
    // Beside the test's directory, not in it: tests list and back up that directory.
    cli_token_file_ = dir_ + "-admin.token";
    std::ofstream(cli_token_file_, std::ios::trunc) << admin_secret_ << "\n";
    ::chmod(cli_token_file_.c_str(), 0600);
  }

  // Tokens for the usual roles besides the root committee, bound to the root unit unless a unit
  // is given: a supervisor "纪委办" (reads and urges the subtree) and a branch secretary
  // "一支部书记" (owns its unit's tasks). Their secrets.
  std::string SupervisorToken(Id unit_id = 0) {
    EnsureAdminToken();
    return IssueToken("纪委办", Role::kSupervisor, unit_id == 0 ? root_.id : unit_id);
  }
  std::string BranchToken(Id unit_id) { return IssueToken("一支部书记", Role::kBranch, unit_id); }

  // A token for `name` with `role`, bound to `unit_id`, issued straight in the store; its secret.
  std::string IssueToken(const std::string& name, Role role, Id unit_id,
                         absl::optional<absl::Time> expire = absl::nullopt) {
    std::string secret;
    absl::Status s = store_->Write([&](WriteTxn& tx) -> absl::Status {
      auth::TokenSpec spec;
      spec.name = name;
      spec.role = role;
      spec.unit_id = unit_id;
      spec.expire_time = expire;
      auto issued = auth::MintToken(tx, spec, Actor::System().name, clock_->Now());
      if (!issued.ok()) return issued.status();
      secret = issued->secret;
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return secret;
  }

  // A context with a deadline and the root committee's token (actor 张三).
  static std::unique_ptr<grpc::ClientContext> Ctx() { return CtxAs(admin_secret_); }

  // A context with a deadline and `secret` as its bearer token (none when empty).
  static std::unique_ptr<grpc::ClientContext> CtxAs(const std::string& secret) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    if (!secret.empty()) ctx->AddMetadata("authorization", "Bearer " + secret);
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    return ctx;
  }

  // A unit under `parent`, made through the API.
  v1::OrgUnit Unit(int64_t parent, const std::string& name) {
    v1::CreateUnitRequest req;
    req.set_parent_id(parent);
    req.set_name(name);
    v1::OrgUnit unit;
    grpc::Status s = org_->CreateUnit(Ctx().get(), req, &unit);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return unit;
  }

  // Through the API: a branch under the root, a review, a problem and one task due 2021-12-31.
  v1::Task SeedTask() {
    v1::CreateUnitRequest unit_req;
    v1::OrgUnit committee;
    committee.set_id(root_.id);
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
  // What NotifyService/TestChannel sends with (a test may swap it before StartServer).
  std::unique_ptr<notify::Sender> notify_sender_ =
      notify::NewCurlSender(notify::CurlSenderOptions{absl::Seconds(2), absl::Seconds(5)});
  // Where the server records its metrics (a test may set it before StartServer); null: none.
  metrics::Registry* metrics_ = nullptr;
  std::unique_ptr<api::RunningServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::OrgService::Stub> org_;
  std::unique_ptr<v1::LedgerService::Stub> ledger_stub_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
  std::unique_ptr<v1::AuditService::Stub> audit_;
  v1::OrgUnit branch_;
  v1::Problem problem_;
  OrgUnit root_;
  // The admin token of the current test (static so that static helpers can use Ctx()).
  inline static std::string admin_secret_;
};

}  // namespace testing_support
}  // namespace rectify

#endif  // RECTIFY_TESTS_SUPPORT_SERVER_FIXTURE_H_
