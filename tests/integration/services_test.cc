// The gRPC services over a real channel to an in-process server: conversions, error codes and
// messages as a client sees them, idempotent retries, health and reflection.
#include "google/protobuf/util/message_differencer.h"
#include "proto/grpc/health/v1/health.grpc.pb.h"
#include "services/auth/tokens.h"
#include "tests/support/ledger_fixture.h"
#include "tests/support/test_server.h"

namespace rectify {
namespace {

using testing_support::LedgerTest;

class ServicesTest : public LedgerTest {
 protected:
  void SetUp() override {
    LedgerTest::SetUp();
    server_ = testing_support::StartTestServer(ledger_.get());
    ASSERT_NE(server_, nullptr);
    channel_ = testing_support::ChannelTo(*server_);
    org_ = v1::OrgService::NewStub(channel_);
    ledger_stub_ = v1::LedgerService::NewStub(channel_);
    reports_ = v1::ReportService::NewStub(channel_);
  }
  void TearDown() override {
    server_.reset();
    LedgerTest::TearDown();
  }

  // A context with the root committee's token "张三" (made with the root, see Unit), or with
  // `token` when given.
  std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token = "") {
    if (token.empty() && secret_.empty()) Unit(0, "机关党委");
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("authorization", "Bearer " + (token.empty() ? secret_ : token));
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return ctx;
  }

  // The root is made as rectifyd's first start makes it: with the committee token bound to it.
  v1::OrgUnit Unit(int64_t parent, const std::string& name) {
    if (parent == 0 && secret_.empty()) {
      OrgUnit root = MustUnit(0, name);
      absl::Status s = store_->Write([&](WriteTxn& tx) -> absl::Status {
        auth::TokenSpec spec;
        spec.name = "张三";
        spec.role = Role::kCommittee;
        spec.unit_id = root.id;
        auto issued = auth::IssueToken(tx, Actor::System(), spec, clock_->Now());
        if (!issued.ok()) return issued.status();
        secret_ = issued->secret;
        return absl::OkStatus();
      });
      EXPECT_TRUE(s.ok()) << s;
      v1::OrgUnit out;
      out.set_id(root.id);
      out.set_name(root.name);
      return out;
    }
    v1::CreateUnitRequest req;
    req.set_parent_id(parent);
    req.set_name(name);
    v1::OrgUnit unit;
    grpc::Status s = org_->CreateUnit(Ctx().get(), req, &unit);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return unit;
  }

  // A committee, a branch, a review, a problem and one task due 2021-12-31.
  v1::Task SeedTask() {
    committee_ = Unit(0, "机关党委");
    branch_ = Unit(committee_.id(), "第一支部");
    v1::CreateReviewRequest review_req;
    review_req.set_title("2021年党史学习教育专题组织生活会");
    review_req.set_kind(v1::ORGANIZATIONAL_LIFE_MEETING);
    review_req.set_held_on("2021-11-30");
    review_req.set_unit_id(committee_.id());
    v1::Review review;
    EXPECT_TRUE(ledger_stub_->CreateReview(Ctx().get(), review_req, &review).ok());
    v1::CreateProblemRequest problem_req;
    problem_req.set_review_id(review.id());
    problem_req.set_area("在联系服务群众方面");
    problem_req.set_text("调研指导还不够深入");
    v1::Problem problem;
    EXPECT_TRUE(ledger_stub_->CreateProblem(Ctx().get(), problem_req, &problem).ok());
    v1::CreateTaskRequest task_req;
    task_req.set_problem_id(problem.id());
    task_req.set_measure("每季度到联系点调研一次");
    task_req.set_owner_unit_id(branch_.id());
    task_req.set_owner_person("张三");
    task_req.set_deadline("2021-12-31");
    v1::Task task;
    grpc::Status s = ledger_stub_->CreateTask(Ctx().get(), task_req, &task);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return task;
  }

  std::unique_ptr<api::RunningServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::string secret_;
  std::unique_ptr<v1::OrgService::Stub> org_;
  std::unique_ptr<v1::LedgerService::Stub> ledger_stub_;
  std::unique_ptr<v1::ReportService::Stub> reports_;
  v1::OrgUnit committee_, branch_;
};

TEST_F(ServicesTest, CreatedTaskComesBackWithChineseTextIntactAndUnitName) {
  v1::Task task = SeedTask();
  EXPECT_GT(task.id(), 0);
  EXPECT_EQ(task.status(), v1::OPEN);
  EXPECT_EQ(task.deadline(), "2021-12-31");
  EXPECT_EQ(task.owner_unit_name(), "第一支部");
  EXPECT_EQ(task.area(), "在联系服务群众方面");
  EXPECT_EQ(task.version(), 1);
  v1::GetTaskRequest get;
  get.set_id(task.id());
  v1::Task again;
  ASSERT_TRUE(ledger_stub_->GetTask(Ctx().get(), get, &again).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(task, again));
}

TEST_F(ServicesTest, ErrorsCarryTheRightCodeAndNameTheField) {
  v1::Task task = SeedTask();
  v1::ReportProgressRequest bad_percent;
  bad_percent.set_id(task.id());
  bad_percent.set_text("进展");
  bad_percent.set_percent(150);
  v1::ReportProgressResponse progress;
  grpc::Status s = ledger_stub_->ReportProgress(Ctx().get(), bad_percent, &progress);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("percent"), std::string::npos);
  EXPECT_NE(s.error_message().find("进度"), std::string::npos);

  v1::GetTaskRequest missing;
  missing.set_id(424242);
  v1::Task t;
  EXPECT_EQ(ledger_stub_->GetTask(Ctx().get(), missing, &t).error_code(),
            grpc::StatusCode::NOT_FOUND);

  v1::AcceptTaskRequest accept_open;
  accept_open.set_id(task.id());
  s = ledger_stub_->AcceptTask(Ctx().get(), accept_open, &t);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("待整改"), std::string::npos);

  v1::StartTaskRequest stale;
  stale.set_id(task.id());
  stale.set_expected_version(7);
  EXPECT_EQ(ledger_stub_->StartTask(Ctx().get(), stale, &t).error_code(),
            grpc::StatusCode::ABORTED);

  v1::CreateReviewRequest unknown_kind;
  unknown_kind.set_title("检视");
  unknown_kind.set_kind(static_cast<v1::ReviewKind>(99));
  unknown_kind.set_held_on("2021-12-01");
  unknown_kind.set_unit_id(committee_.id());
  v1::Review review;
  s = ledger_stub_->CreateReview(Ctx().get(), unknown_kind, &review);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("kind"), std::string::npos);

  // A bad token is refused before anything runs, without echoing it.
  s = ledger_stub_->GetTask(Ctx("rfy_not-a-token").get(), missing, &t);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(s.error_message().find("rfy_not-a-token"), std::string::npos);
}

TEST_F(ServicesTest, RetryWithTheSameRequestIdReturnsTheFirstResultAndChangesNothing) {
  v1::Task task = SeedTask();
  v1::ReportProgressRequest req;
  req.set_request_id("retry-0001");
  req.set_id(task.id());
  req.set_text("已完成第一阶段");
  req.set_percent(30);
  v1::ReportProgressResponse first, second;
  ASSERT_TRUE(ledger_stub_->ReportProgress(Ctx().get(), req, &first).ok());
  ASSERT_TRUE(ledger_stub_->ReportProgress(Ctx().get(), req, &second).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(first, second));

  v1::GetTaskHistoryRequest history_req;
  history_req.set_id(task.id());
  v1::TaskHistory history;
  ASSERT_TRUE(ledger_stub_->GetTaskHistory(Ctx().get(), history_req, &history).ok());
  EXPECT_EQ(history.progress_size(), 1);
  EXPECT_EQ(history.task().version(), 2);
  EXPECT_EQ(history.progress(0).reporter(), "张三");

  req.set_percent(31);  // same id, different payload
  grpc::Status s = ledger_stub_->ReportProgress(Ctx().get(), req, &second);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_NE(s.error_message().find("request_id"), std::string::npos);
}

TEST_F(ServicesTest, OverdueReportGroupsByUnitAsOfADate) {
  v1::Task task = SeedTask();
  v1::OverdueReportRequest req;
  req.set_as_of("2022-01-05");
  v1::OverdueReportResponse report;
  ASSERT_TRUE(reports_->OverdueReport(Ctx().get(), req, &report).ok());
  EXPECT_EQ(report.as_of(), "2022-01-05");
  EXPECT_EQ(report.total(), 1);
  ASSERT_EQ(report.groups_size(), 1);
  EXPECT_EQ(report.groups(0).unit_name(), "第一支部");
  ASSERT_EQ(report.groups(0).items_size(), 1);
  EXPECT_EQ(report.groups(0).items(0).task().id(), task.id());
  EXPECT_EQ(report.groups(0).items(0).days_overdue(), 5);
  req.set_as_of("2022-13-01");
  EXPECT_EQ(reports_->OverdueReport(Ctx().get(), req, &report).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ServicesTest, HealthCheckServes) {
  auto health = grpc::health::v1::Health::NewStub(channel_);
  grpc::health::v1::HealthCheckRequest req;
  grpc::health::v1::HealthCheckResponse resp;
  ASSERT_TRUE(health->Check(Ctx().get(), req, &resp).ok());
  EXPECT_EQ(resp.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_F(ServicesTest, UnitsListInTreeOrderAcrossPages) {
  v1::OrgUnit root = Unit(0, "党委");
  v1::OrgUnit a = Unit(root.id(), "一支部");
  v1::OrgUnit b = Unit(root.id(), "二支部");
  v1::OrgUnit a1 = Unit(a.id(), "一支部第一党小组");
  v1::ListUnitsRequest req;
  req.set_page_size(2);
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    v1::ListUnitsResponse resp;
    ASSERT_TRUE(org_->ListUnits(Ctx().get(), req, &resp).ok());
    for (const auto& u : resp.units()) ids.push_back(u.id());
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  EXPECT_EQ(ids, (std::vector<int64_t>{root.id(), a.id(), a1.id(), b.id()}));
  EXPECT_EQ(a1.depth(), 2);
  EXPECT_EQ(a1.path_size(), 3);
}

}  // namespace
}  // namespace rectify
